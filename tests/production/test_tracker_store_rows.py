"""Our tracker store writes exactly the rows Rasa's SQLTrackerStore writes, on both databases.

It writes them with one multi-row INSERT and checks a PostgreSQL schema once, at
start (bot/storage/tracker_store.py); what lands in the `events` table, and the
tracker read back, must not change. The messages hold nothing to redact.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from postgres_schemas import fresh_schema, pg_store_kwargs, rasa_schema
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.storage.tracker_store import RedactingSQLTrackerStore

ROWS = (
    "SELECT sender_id, type_name, timestamp, intent_name, action_name, data FROM events ORDER BY id"
)
DOMAIN = Domain.from_dict({"slots": {"topic": {"type": "text", "mappings": []}}})


def conversation() -> list:
    asked = "what does a crown prosecutor earn?"
    return [
        ActionExecuted("action_session_start", timestamp=1.0),
        SessionStarted(timestamp=1.1),
        ActionExecuted("action_listen", timestamp=1.2),
        UserUttered(
            asked,
            parse_data={"text": asked, "intent": {"name": "salary", "confidence": 0.97}},
            timestamp=2.0,
        ),
        ActionExecuted("action_answer_knowledge", timestamp=2.1),
        BotUttered(
            "Crown Prosecutors are paid ...", {"custom": {"topic": "salary"}}, timestamp=2.2
        ),
        SlotSet("topic", "salary", timestamp=2.3),
        ActionExecuted("action_listen", timestamp=2.4),
    ]


async def save_in_two_turns(store: SQLTrackerStore) -> DialogueStateTracker:
    """As Rasa's processor does: save the first turn; read it back, add the next, save."""
    events = conversation()
    await store.save(DialogueStateTracker.from_events("visitor-1", events[:3], DOMAIN.slots))
    tracker = await store.retrieve("visitor-1")
    for event in events[3:]:
        tracker.update(event)
    await store.save(tracker)
    return await store.retrieve("visitor-1")


def rows(engine: sa.engine.Engine) -> list[tuple]:
    with engine.connect() as connection:
        return list(connection.execute(sa.text(ROWS)))


@pytest.fixture
async def rasas(tmp_path: Path) -> tuple[list[tuple], list[dict]]:
    """The rows Rasa's own store writes, and the events it reads back."""
    store = SQLTrackerStore(dialect="sqlite", db=str(tmp_path / "rasa.db"), domain=DOMAIN)
    read_back = await save_in_two_turns(store)
    return rows(store.engine), [event.as_dict() for event in read_back.events]


@pytest.fixture
def postgres_schema_env() -> Iterator[str]:
    with fresh_schema("rows") as schema, rasa_schema(schema):
        yield schema


async def test_sqlite_rows_are_rasas(tmp_path: Path, rasas) -> None:
    rasas_rows, rasas_events = rasas
    store = RedactingSQLTrackerStore(dialect="sqlite", db=str(tmp_path / "ours.db"), domain=DOMAIN)
    read_back = await save_in_two_turns(store)
    assert [row[1] for row in rasas_rows].count("user") == 1
    assert rows(store.engine) == rasas_rows
    assert [event.as_dict() for event in read_back.events] == rasas_events


async def test_postgresql_rows_in_a_schema_are_rasas(rasas, postgres_schema_env: str) -> None:
    rasas_rows, rasas_events = rasas
    store = RedactingSQLTrackerStore(**pg_store_kwargs(), domain=DOMAIN)
    read_back = await save_in_two_turns(store)
    assert rows(store.engine) == rasas_rows
    assert [event.as_dict() for event in read_back.events] == rasas_events
    store.engine.dispose()


def test_a_missing_schema_stops_the_store_at_start(monkeypatch) -> None:
    monkeypatch.setenv("POSTGRESQL_SCHEMA", "no_such_schema_here")
    with pytest.raises(SystemExit):
        RedactingSQLTrackerStore(**pg_store_kwargs())
