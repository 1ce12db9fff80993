"""The conversation log in the database: redaction before writing, summaries,
queries (with hostile filter values), retention and erasure; on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections import Counter

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from seed import DAY, Turn, events_for, save, seed_conversations, store_for

from bot.storage import database as db
from bot.storage.retention import erase_conversation, purge_expired
from bot.storage.retention import main as retention_main
from bot.storage.tracker_store import redact_event
from web.console import conversations, queries
from web.console.conversations import refresh_summaries

RAW = ["jane.doe@example.com", "QQ 12 34 56 C", "07700 900123", "4111 1111 1111 1111", "SW1A 1AA"]


def all_event_data(engine) -> str:
    with engine.connect() as connection:
        return "\n".join(row[0] for row in connection.execute(sa.select(db.events.c.data)))


# ---- Redaction before persistence ------------------------------------------------------------


def test_redact_event_cleans_text_parse_data_entities_and_slots():
    user = UserUttered(
        "call me on 07700 900123",
        intent={"name": "contact", "confidence": 0.9},
        entities=[{"entity": "phone", "value": "07700 900123"}],
        parse_data={
            "text": "call me on 07700 900123",
            "intent": {"name": "contact"},
            "entities": [{"entity": "phone", "value": "07700 900123"}],
        },
    ).as_dict()
    cleaned = json.dumps(redact_event(user))
    assert "07700" not in cleaned and "[phone number]" in cleaned
    assert redact_event(user)["parse_data"]["intent"]["name"] == "contact"
    slot = redact_event(SlotSet("subject", "jane.doe@example.com").as_dict())
    assert slot["value"] == "[email address]"
    number = redact_event(SlotSet("count", 3).as_dict())
    assert number["value"] == 3
    bot = {"event": "bot", "text": "Apply by 12 March 2026", "data": {}}
    assert redact_event(dict(bot)) == bot  # the assistant's own words are kept as written


def test_store_writes_no_raw_personal_data_and_leaves_the_live_tracker_alone(database):
    store = database.store()
    text = "I am Jane, " + ", ".join(RAW)
    tracker = DialogueStateTracker.from_events(
        "visitor-1",
        [
            UserUttered(
                text,
                intent={"name": "nlu_fallback", "confidence": 0.2},
                parse_data={"text": text, "intent": {"name": "nlu_fallback"}, "entities": []},
            ),
            SlotSet("subject", "my email is jane.doe@example.com"),
        ],
    )
    asyncio.run(store.save(tracker))
    stored = all_event_data(database.engine)
    for raw in RAW:
        assert raw not in stored
    assert "[email address]" in stored and "[national insurance number]" in stored
    assert tracker.latest_message.text == text  # the turn in progress still has what was typed

    # The next turn appends after the stored events (counts match), and reloads redacted text.
    tracker.update(UserUttered("thanks", intent={"name": "thanks"}))
    asyncio.run(store.save(tracker))
    with database.engine.connect() as connection:
        count = connection.execute(sa.select(sa.func.count()).select_from(db.events)).scalar()
    assert count == len(tracker.events)
    reloaded = asyncio.run(store.retrieve("visitor-1"))
    assert "jane.doe" not in json.dumps([e.as_dict() for e in reloaded.events])


# ---- Summaries and queries -------------------------------------------------------------------


def page(connection, **args) -> list[str]:
    return [
        row["sender_id"]
        for row in queries.conversation_page(connection, queries.Filters.parse(args)).rows
    ]


def test_summaries_and_filters(database):
    ids = seed_conversations(database.store())
    with database.engine.begin() as connection:
        assert refresh_summaries(connection) == 4
        assert refresh_summaries(connection) == 0  # nothing new
        everything = page(connection)
        assert everything == [ids["salary"], ids["dog"], ids["parking"], ids["scheme"]]
        assert set(page(connection, fallback="1")) == {ids["dog"], ids["parking"]}
        assert page(connection, negative="1") == [ids["dog"]]
        assert page(connection, topic="legal-trainee-scheme") == [ids["scheme"]]
        assert page(connection, q="DOG") == [ids["dog"]]  # case-insensitive on both databases
        assert page(connection, q="national insurance number") == [ids["dog"]]
        assert page(connection, q="QQ 12") == []  # the raw number was never stored
        assert page(connection, q="100%") == [] and page(connection, q="dog_to") == []  # literal
        connection.execute(db.tags.insert().values(sender_id=ids["dog"], tag="content gap"))
        assert page(connection, tag="content gap") == [ids["dog"]]
        connection.execute(db.reviews.insert().values(sender_id=ids["dog"], reviewed=True, note=""))
        assert page(connection, reviewed="yes") == [ids["dog"]]
        assert ids["dog"] not in page(connection, reviewed="no")
        # The day of the salary conversation (an hour ago: yesterday just after midnight).
        salary_day = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 3500))
        assert page(connection, **{"from": salary_day}) == [ids["salary"]]
        summary = queries.conversation(connection, ids["salary"])
        assert summary["user_messages"] == 2 and summary["feedback_up"] == 1
        visitor = [m for m in summary["messages"] if m.speaker == "visitor"]
        assert visitor[0].topic == "salary" and visitor[0].confidence == pytest.approx(0.93)
        assert visitor[1].button == "Tell me more"
        assert visitor[2].rating == "up"
    # a new conversation is picked up incrementally (the console's transaction has ended:
    # on SQLite, Rasa waits for it)
    save(database.store(), "a-new-one", [Turn("what about bikes", "fallback")])
    with database.engine.begin() as connection:
        assert refresh_summaries(connection) == 1


@pytest.mark.parametrize(
    "hostile",
    [
        "' OR 1=1 --",
        "%' UNION SELECT password_hash FROM console_accounts --",
        "'; DROP TABLE events; --",
        "\\' OR ''='",
    ],
)
def test_sql_injection_in_search_finds_nothing_and_breaks_nothing(database, hostile):
    seed_conversations(database.store())
    with database.engine.begin() as connection:
        assert page(connection, q=hostile) == []
        assert len(page(connection)) == 4  # every table still there


@pytest.mark.parametrize(
    "args",
    [
        {"topic": "x' OR '1'='1"},
        {"reviewed": "1 OR 1"},
        {"page": "1;DROP"},
        {"from": "2026-13-45"},
        {"tag": "<script>"},
        {"q": "x" * 201},
        {"from": "2026-02-02", "to": "2026-02-01"},
        {"after": "soon,abc"},
        {"after": "nan,abc"},
        {"before": "1700000000.5,<script>"},
        {"after": "1700000000.5,abc", "before": "1700000000.5,abc"},
    ],
)
def test_bad_filter_values_are_refused(args):
    with pytest.raises(queries.BadFilter):
        queries.Filters.parse(args)


def test_insights_group_unanswered_questions(database):
    store = database.store()
    seed_conversations(store)
    save(store, "extra-1", [Turn("Is there parking at the office?", "fallback")])
    save(store, "extra-2", [Turn("is there any parking at the office", "fallback")])
    today = time.gmtime()
    day = queries.date(today.tm_year, today.tm_mon, today.tm_mday)
    with database.engine.begin() as connection:
        data = queries.insights(connection, day - queries.timedelta(days=29), day)
    assert data["totals"]["conversations"] == 5
    assert data["unanswered"][0]["count"] == 3  # the parking questions, grouped
    assert "parking" in data["unanswered"][0]["example"].lower()
    assert data["fallback_rate"] == pytest.approx(5 / 7)
    assert data["feedback_ratio"] == pytest.approx(0.5)


# ---- Retention and erasure -------------------------------------------------------------------


def audit_rows(engine) -> list[dict]:
    with engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(sa.select(db.audit))]


def test_retention_deletes_old_conversations_and_audits_without_text(database):
    ids = seed_conversations(database.store())
    with database.engine.begin() as connection:
        refresh_summaries(connection)
        connection.execute(db.tags.insert().values(sender_id=ids["scheme"], tag="old"))
    assert purge_expired(database.engine, days=90) == 1  # the 200-day-old conversation
    with database.engine.begin() as connection:
        remaining = {r[0] for r in connection.execute(sa.select(db.events.c.sender_id).distinct())}
        assert remaining == {ids["salary"], ids["dog"], ids["parking"]}
        assert page(connection) == [ids["salary"], ids["dog"], ids["parking"]]
        assert connection.execute(sa.select(db.tags)).first() is None
    assert purge_expired(database.engine, days=1, now=time.time() + 10 * DAY) == 3
    records = audit_rows(database.engine)
    assert [r["action"] for r in records] == ["retention-purge", "retention-purge"]
    assert json.loads(records[0]["detail"])["conversations"] == 1
    assert "trainee" not in json.dumps(records) and "dog" not in json.dumps(records)


def test_erasure_removes_one_conversation_and_is_audited(database):
    ids = seed_conversations(database.store())
    with database.engine.begin() as connection:
        assert page(connection, q="dog") == [ids["dog"]]  # summarised and searchable first
    assert erase_conversation(database.engine, ids["dog"], "admin@cps.example") > 0
    with database.engine.begin() as connection:
        assert ids["dog"] not in page(connection)
        assert len(page(connection)) == 3
        assert page(connection, q="dog") == [] and page(connection, q="national") == []
        for table in db.CONVERSATION_TABLES:
            left = connection.execute(sa.select(table).where(table.c.sender_id == ids["dog"]))
            assert left.first() is None, table.name
    (record,) = audit_rows(database.engine)
    assert record["action"] == "erase" and record["actor"] == "admin@cps.example"
    assert record["conversation_id"] == ids["dog"]
    assert "dog" not in record["detail"]


def test_retention_command(tmp_path, monkeypatch, capsys):
    from seed import store_for

    path = tmp_path / "tracker.db"
    seed_conversations(store_for(path))
    monkeypatch.setenv("TRACKER_DB", str(path))
    monkeypatch.delenv("CONVERSATIONS_DB_URL", raising=False)
    monkeypatch.setenv("RETENTION_DAYS", "30")
    assert retention_main([]) == 0
    assert "Removed 1 conversations" in capsys.readouterr().out
    assert retention_main(["--days", "1"]) == 0
    assert "Removed 2 conversations" in capsys.readouterr().out


# ---- Keeping summaries right -----------------------------------------------------------------


def _insert_events(database, sender: str, first_id: int, turns: list[Turn]) -> None:
    """A conversation's rows with ids chosen here, as a late commit would leave them."""
    tracker = DialogueStateTracker.from_events(sender, events_for(turns, time.time() - 60))
    rows = [
        {
            "id": first_id + number,
            "sender_id": sender,
            "type_name": event.type_name,
            "timestamp": event.timestamp,
            "data": json.dumps(event.as_dict()),
        }
        for number, event in enumerate(tracker.events)
    ]
    with database.engine.begin() as connection:
        connection.execute(db.events.insert(), rows)


def test_an_event_committed_late_with_a_lower_id_is_still_summarised(database):
    # On PostgreSQL, Rasa's workers take ids in one order and may commit in another.
    _insert_events(database, "committed-first", 5000, [Turn("what do lawyers earn", "salary")])
    with database.engine.begin() as connection:
        assert refresh_summaries(connection) == 1
    _insert_events(database, "committed-late", 4990, [Turn("is there a canteen", "fallback")])
    with database.engine.begin() as connection:
        assert refresh_summaries(connection) == 1
        assert page(connection, q="canteen") == ["committed-late"]
        assert refresh_summaries(connection) == 0  # and then nothing is done twice


def test_pages_by_keyset_with_equal_times(database):
    at = 1_780_000_000.25
    with database.engine.begin() as connection:
        connection.execute(
            db.summaries.insert(),
            [
                {
                    "sender_id": f"tie-{n:02d}",
                    "started_at": at,
                    "last_at": at + (n // 10),
                    "user_messages": 1,
                    "topics": "",
                }
                for n in range(60)
            ],
        )
        connection.execute(db.state.insert().values(key=conversations.STATE_KEY, value="0"))
        walked, args = [], {}
        while True:
            result = queries.conversation_page(connection, queries.Filters.parse(args))
            walked += [row["sender_id"] for row in result.rows]
            if result.next_key is None:
                break
            args = {"page": str(result.page + 1), "after": result.next_key}
    expected = sorted((f"tie-{n:02d}" for n in range(60)), key=lambda s: (int(s[4:]) // 10, s))
    assert walked == expected[::-1]


def test_tables_made_by_an_older_console_are_upgraded(tmp_path):
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as old:
        old.executescript(
            """
            CREATE TABLE console_sessions (token_hash VARCHAR(64) PRIMARY KEY, account_id INTEGER,
                csrf_token VARCHAR(64) NOT NULL, created_at FLOAT NOT NULL,
                expires_at FLOAT NOT NULL);
            CREATE TABLE console_summaries (sender_id VARCHAR(255) PRIMARY KEY, started_at FLOAT,
                last_at FLOAT, user_messages INTEGER NOT NULL, fallbacks INTEGER NOT NULL,
                feedback_up INTEGER NOT NULL, feedback_down INTEGER NOT NULL,
                channel VARCHAR(64), topics TEXT NOT NULL);
            """
        )
    seed_conversations(store_for(path))
    engine = db.make_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as connection:
            inspector = sa.inspect(connection)
            assert "last_seen_at" in {c["name"] for c in inspector.get_columns("console_sessions")}
            indexes = {i["name"] for i in inspector.get_indexes("console_summaries")}
            assert "ix_console_summaries_last_at_sender_id" in indexes
            assert db.has_search_index(connection)
            assert len(page(connection, q="dog")) == 1
    finally:
        engine.dispose()


def _grouped_one_by_one(questions: list[str]) -> list[dict]:
    """The grouping rule, comparing each set of words with every group in turn."""
    groups: list[dict] = []
    for question in questions:
        words = queries._words(question)
        same = [group for group in groups if words in group["sets"]]
        best, best_score = (same[0], 1.0) if same else (None, 0.0)
        for group in [] if same else groups:
            union = words | group["words"]
            score = len(words & group["words"]) / len(union) if union else 0.0
            if score > best_score:
                best, best_score = group, score
        if best is not None and best_score >= queries.SIMILAR:
            best["questions"].append(question)
            best["words"] = best["words"] | words
            best["sets"].add(words)
        else:
            groups.append({"words": words, "questions": [question], "sets": {words}})
    return groups


WORDS = ["parking", "office", "leeds", "dog", "visa", "the", "is", "gym", "open", "cps"]


@given(st.lists(st.lists(st.sampled_from(WORDS), max_size=5).map(" ".join), max_size=40))
@settings(max_examples=150, deadline=None)
def test_grouping_questions_compares_only_groups_sharing_a_word(questions):
    grouped = queries.group_questions(questions)
    reference = _grouped_one_by_one(questions)
    assert sorted(g["count"] for g in grouped) == sorted(len(g["questions"]) for g in reference)
    assert sorted(sorted(g["questions"]) for g in grouped) == sorted(
        sorted(Counter(q.strip() for q in g["questions"])) for g in reference
    )


def test_a_long_backlog_is_grouped_by_the_database(database, monkeypatch):
    ids = seed_conversations(database.store())
    monkeypatch.setattr(conversations, "GROUP_IN_SQL", 0)  # as if a first run found millions
    with database.engine.begin() as connection:
        assert refresh_summaries(connection) == 4
        assert page(connection) == [ids["salary"], ids["dog"], ids["parking"], ids["scheme"]]
        assert refresh_summaries(connection) == 0
