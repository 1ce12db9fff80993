"""The console on a generated data set (bench/console_data.py), on SQLite and PostgreSQL.

The generator's rows are first shown to be what Rasa's tracker store writes; then
every filter, search, keyset paging, insights and export are checked against answers
computed straight from the generated rows, and the list is paged over HTTP.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from backends import start_web_app
from postgres_schemas import fresh_schema, pg_url
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from seed import PASSWORD, RECRUITER

from bench.console_client import sign_in
from bench.console_data import DAY, conversations
from bench.console_load import Target, load_rows
from bot.privacy import special_categories
from bot.storage import database as db
from bot.storage.tracker_store import RedactingSQLTrackerStore
from web.console import queries, search
from web.console.auth import add_account

COUNT = 2000
NOW = time.time()


@pytest.fixture(scope="module")
def generated() -> list[list[dict]]:
    return list(conversations(COUNT, NOW, seed=7))


# ---- The generator writes what Rasa writes ---------------------------------------------------


def covering(generated: list[list[dict]]) -> list[list[dict]]:
    """A few conversations that between them hold every kind of turn the generator makes."""
    kinds = {
        "fallback": lambda data: (
            data.get("parse_data", {}).get("intent", {}).get("name") == "nlu_fallback"
        ),
        "feedback": lambda data: data.get("text", "").startswith("/feedback"),
        "greeting": lambda data: data.get("text") == "/greeting",
        "button": lambda data: re.fullmatch(r"/[a-z-]+", data.get("text") or "") is not None,
        "redacted": lambda data: "[" in (data.get("text") or ""),
        "socketio": lambda data: data.get("input_channel") == "socketio",
    }
    chosen, missing = [], set(kinds)
    for rows in generated:
        users = [json.loads(r["data"]) for r in rows if r["type_name"] == "user"]
        found = {kind for kind in missing if any(kinds[kind](user) for user in users)}
        if found:
            chosen.append(rows)
            missing -= found
        if not missing:
            return chosen
    raise AssertionError(f"the data set has no {missing}")


def test_rows_are_what_the_tracker_store_writes(generated, tmp_path):
    path = tmp_path / "rasa.db"
    store = RedactingSQLTrackerStore(dialect="sqlite", db=str(path))
    sample = covering(generated)
    for rows in sample:
        events = [Event.from_parameters(json.loads(row["data"])) for row in rows]
        tracker = DialogueStateTracker.from_events(rows[0]["sender_id"], events)
        asyncio.run(store.save(tracker))
    store.engine.dispose()
    engine = sa.create_engine(f"sqlite:///{path}", future=True)
    with engine.connect() as connection:
        written = [
            dict(row._mapping)
            for row in connection.execute(sa.select(db.events).order_by(db.events.c.id))
        ]
    engine.dispose()
    expected = [row for rows in sample for row in rows]
    assert len(written) == len(expected)
    for ours, rasa in zip(expected, written, strict=True):
        assert json.loads(ours["data"]) == json.loads(rasa["data"])
        for column in ("sender_id", "type_name", "timestamp", "intent_name", "action_name"):
            assert ours[column] == rasa[column], column


def test_data_set_looks_like_real_use(generated):
    starts = [rows[0]["timestamp"] for rows in generated]
    assert min(starts) < NOW - 100 * DAY and max(starts) > NOW - 2 * DAY  # 90+ days
    assert starts == sorted(starts)  # written in time order, as Rasa would
    users = [json.loads(r["data"]) for rows in generated for r in rows if r["type_name"] == "user"]
    intents = [u["parse_data"]["intent"]["name"] for u in users]
    share = {name: intents.count(name) / len(intents) for name in ("nlu_fallback", "feedback")}
    assert 0.05 < share["nlu_fallback"] < 0.2 and 0.03 < share["feedback"] < 0.2
    assert any("[email address]" in u["text"] for u in users)  # redacted, as stored
    assert len({u["text"] for u in users}) > 1000
    assert all(len(rows[0]["sender_id"]) == 32 for rows in generated)


# ---- What the console must find, computed from the rows ---------------------------------------


@dataclass
class Conversation:
    sender_id: str
    started_at: float
    last_at: float
    typed: list[tuple[float, str, bool]] = field(default_factory=list)  # at, text, fallback
    intents: set[str] = field(default_factory=set)
    messages: int = 0  # visitor messages counted by the console
    fallbacks: int = 0
    up: int = 0
    down: int = 0
    shown: int = 0  # messages a transcript or export shows

    @property
    def sensitive(self) -> bool:
        """Left out of searches, exports and unanswered questions by default."""
        return any(special_categories(text) for _, text, _ in self.typed)


def truth(generated: list[list[dict]]) -> dict[str, Conversation]:
    found = {}
    for rows in generated:
        talk = [r for r in rows if r["type_name"] in ("user", "bot")]
        stamps = [r["timestamp"] for r in talk]
        item = Conversation(rows[0]["sender_id"], min(stamps), max(stamps))
        for row in talk:
            data = json.loads(row["data"])
            if row["type_name"] == "bot":
                item.shown += 1
                continue
            intent, text = data["parse_data"]["intent"]["name"], data["text"]
            if text == "/greeting":
                continue
            item.shown += 1
            if intent == "feedback":
                rating = data["parse_data"]["entities"][0]["value"]
                item.up, item.down = item.up + (rating == "up"), item.down + (rating == "down")
                continue
            item.messages += 1
            item.intents.add(intent)
            item.fallbacks += intent == "nlu_fallback"
            if not text.startswith("/"):
                item.typed.append((row["timestamp"], text, intent == "nlu_fallback"))
        found[item.sender_id] = item
    return found


def newest_first(items) -> list[str]:
    return [
        c.sender_id for c in sorted(items, key=lambda c: (c.last_at, c.sender_id), reverse=True)
    ]


def midnight(days_ago: int) -> datetime:
    today = datetime.fromtimestamp(NOW, tz=timezone.utc).replace(hour=0, minute=0, second=0)
    return today.replace(microsecond=0) - timedelta(days=days_ago)


@dataclass
class Loaded:
    target: Target
    engine: sa.engine.Engine

    def begin(self):
        return self.engine.begin()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def loaded(request, generated, tmp_path_factory) -> Iterator[Loaded]:
    if request.param == "sqlite":
        target = Target.sqlite(tmp_path_factory.mktemp("generated") / "console.db")
        yield from _loaded(target, generated)
    else:
        with fresh_schema("data") as schema:
            yield from _loaded(Target.postgresql(pg_url(), schema), generated)


def _loaded(target: Target, generated) -> Iterator[Loaded]:
    assert load_rows(target, generated).conversations == COUNT
    engine = target.engine()
    try:
        yield Loaded(target, engine)
    finally:
        engine.dispose()


def ids(connection, **args) -> list[str]:
    """Every conversation the list shows for these filters, following the Next links."""
    found, key, number = [], None, 1
    while True:
        page = queries.conversation_page(
            connection, queries.Filters.parse({**args, "page": str(number), "after": key or ""})
        )
        found += [row["sender_id"] for row in page.rows]
        key, number = page.next_key, number + 1
        if key is None:
            return found


@pytest.fixture
def long_pages(monkeypatch):
    """Fewer, longer pages: the same queries, quicker to walk through 2,000 conversations."""
    monkeypatch.setattr(queries, "PAGE_SIZE", 400)


def test_list_filters_and_search_match_the_rows(loaded, generated, long_pages):
    everything = truth(generated)
    every = list(everything.values())
    week = midnight(6)
    cases = {
        "all": ({}, every),
        "fallback": ({"fallback": "1"}, [c for c in every if c.fallbacks]),
        "negative": ({"negative": "1"}, [c for c in every if c.down]),
        "topic": ({"topic": "salary"}, [c for c in every if "salary" in c.intents]),
        "week": (
            {"from": week.date().isoformat()},
            [c for c in every if c.last_at >= week.timestamp()],
        ),
        "week to yesterday": (
            {"from": week.date().isoformat(), "to": midnight(1).date().isoformat()},
            [
                c
                for c in every
                if c.last_at >= week.timestamp() and c.started_at < midnight(0).timestamp()
            ],
        ),
        "until a month ago": (
            {"to": midnight(30).date().isoformat()},
            [c for c in every if c.started_at < midnight(29).timestamp()],
        ),
    }

    def typed(c: Conversation, word: str) -> bool:
        return any(word.lower() in text.lower() for _, text, _ in c.typed)

    for word in ("parking", "PARKING", "office", "[name]", "cv", "100%", "zebra crossing"):
        cases[f"search {word}"] = (
            {"q": word},
            [c for c in every if typed(c, word) and not c.sensitive],
        )
    cases["search + fallback + week"] = (
        {"q": "the", "fallback": "1", "from": week.date().isoformat()},
        [
            c
            for c in every
            if c.fallbacks and c.last_at >= week.timestamp() and typed(c, "the") and not c.sensitive
        ],
    )
    cases["search including sensitive"] = (
        {"q": "support", "include_sensitive": "1"},
        [c for c in every if typed(c, "support")],
    )
    assert any(c.sensitive for c in cases["search including sensitive"][1])
    with loaded.begin() as connection:
        for name, (args, expected) in cases.items():
            assert ids(connection, **args) == newest_first(expected), name
        assert len(cases["search parking"][1]) >= 3  # the searches found something to check
        assert cases["search zebra crossing"][1] == []


def test_search_finds_the_same_with_and_without_the_index(loaded, monkeypatch, long_pages):
    words = ["parking", "Welsh", "[email address]", "it's", 'say "hi"', "ĳ"]
    with loaded.begin() as connection:
        assert db.has_search_index(connection), "no trigram index: search would be slow"
        indexed = {word: ids(connection, q=word) for word in words}
    monkeypatch.setattr(search, "TRIGRAM", 10_000)  # never the index
    with loaded.begin() as connection:
        assert {word: ids(connection, q=word) for word in words} == indexed


def test_keyset_paging_back_and_forth_and_by_number(loaded):
    with loaded.begin() as connection:
        forward = []
        page = queries.conversation_page(connection, queries.Filters.parse({"negative": "1"}))
        while True:
            forward.append([row["sender_id"] for row in page.rows])
            if page.next_key is None:
                break
            page = queries.conversation_page(
                connection,
                queries.Filters.parse(
                    {"negative": "1", "page": str(page.page + 1), "after": page.next_key}
                ),
            )
        assert len(forward) > 2 and all(len(p) == queries.PAGE_SIZE for p in forward[:-1])
        backward = [[row["sender_id"] for row in page.rows]]
        while page.previous_key is not None:
            page = queries.conversation_page(
                connection,
                queries.Filters.parse(
                    {"negative": "1", "page": str(page.page - 1), "before": page.previous_key}
                ),
            )
            backward.append([row["sender_id"] for row in page.rows])
        assert backward[::-1] == forward
        by_number = queries.conversation_page(
            connection, queries.Filters.parse({"negative": "1", "page": "2"})
        )
        assert [row["sender_id"] for row in by_number.rows] == forward[1]


def test_insights_and_export_match_the_rows(loaded, generated):
    every = truth(generated).values()
    start, end = midnight(29), midnight(-1)
    period = [c for c in every if start.timestamp() <= c.started_at < end.timestamp()]
    with loaded.begin() as connection:
        data = queries.insights(connection, start.date(), (end - timedelta(days=1)).date())
        exported = queries.export_rows(
            connection, queries.Filters.parse({"fallback": "1", "from": midnight(6).date()})
        )
    assert data["totals"] == {
        "conversations": len(period),
        "messages": sum(c.messages for c in period),
        "fallbacks": sum(c.fallbacks for c in period),
        "up": sum(c.up for c in period),
        "down": sum(c.down for c in period),
    }
    assert sum(day["conversations"] for day in data["days"]) == len(period)
    assert len(data["days"]) == 30
    unanswered = [
        text
        for c in every
        if not c.sensitive
        for at, text, fallback in c.typed
        if fallback and start.timestamp() <= at < end.timestamp()
    ]
    assert sum(group["count"] for group in data["unanswered"]) == len(unanswered)
    assert data["unanswered"][0]["count"] > 5  # families of wordings were grouped
    # The top topics, each with its count of conversations: as many as the page shows.
    counted = Counter(
        "fallback" if intent == "nlu_fallback" else intent for c in period for intent in c.intents
    )
    shown = dict(data["topics"])
    assert len(shown) == min(20, len(counted)) and "salary" in counted
    assert all(shown[topic] == counted[topic] for topic in shown)
    assert min(shown.values()) >= max((n for t, n in counted.items() if t not in shown), default=0)
    week = midnight(6).timestamp()
    expected = {
        c.sender_id: c for c in every if c.fallbacks and c.last_at >= week and not c.sensitive
    }
    assert {row["sender_id"] for row in exported} == set(expected)
    for row in exported:
        assert len(row["messages"]) == expected[row["sender_id"]].shown


# ---- The same through the running web app --------------------------------------------------


def test_next_links_page_through_the_list_over_http(loaded, generated, tmp_path):
    with loaded.begin() as connection:
        add_account(connection, RECRUITER, "recruiter", PASSWORD)
    target = loaded.target
    env = (
        {"TRACKER_DB": target.url.removeprefix("sqlite:///")}
        if target.kind == "sqlite"
        else {"CONVERSATIONS_DB_URL": target.url, "CONVERSATIONS_DB_SCHEMA": target.schema}
    )
    service = start_web_app(env, tmp_path / "web.log")
    try:
        session, _ = sign_in(service.url, RECRUITER, PASSWORD)
        seen, link = [], "/console/conversations?negative=1"
        while link:
            page = session.get(service.url + link.replace("&amp;", "&"), timeout=10)
            assert page.status_code == 200
            seen += re.findall(r'href="/console/conversations/([0-9a-f]{32})"', page.text)
            found = re.search(r'href="([^"]+)" rel="next"', page.text)
            link = found.group(1) if found else None
            assert link is None or "after=" in link
    finally:
        service.stop()
    expected = [c for c in truth(generated).values() if c.down]
    assert len(expected) > 2 * queries.PAGE_SIZE and seen == newest_first(expected)
