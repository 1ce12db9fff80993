"""The conversation log in the database: redaction before writing, summaries,
queries (with hostile filter values), retention and erasure; on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
import sqlalchemy as sa
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from seed import DAY, Turn, save, seed_conversations

from bot.privacy import sensitive_notice
from bot.storage import database as db
from bot.storage.retention import erase_conversation, purge_expired
from bot.storage.retention import main as retention_main
from bot.storage.tracker_store import redact_event
from web.console import queries
from web.console.log import refresh_summaries

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


def test_sensitive_notice_only_for_ni_and_card_numbers():
    assert "not kept" in sensitive_notice("my NI is QQ123456C")
    assert "card number" in sensitive_notice("card 4111 1111 1111 1111")
    assert sensitive_notice("email me at a@b.co") is None
    assert sensitive_notice("") is None and sensitive_notice(None) is None


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
        today = time.strftime("%Y-%m-%d", time.gmtime())
        assert page(connection, **{"from": today}) == [ids["salary"]]
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
    assert "- intent: TODO" in data["training_yaml"]
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
    assert erase_conversation(database.engine, ids["dog"], "admin@cps.example") > 0
    with database.engine.begin() as connection:
        assert ids["dog"] not in page(connection)
        assert len(page(connection)) == 3
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
