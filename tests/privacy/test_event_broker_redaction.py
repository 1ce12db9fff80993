"""An event broker receives the same redacted events as the tracker store's table.

Uses Rasa's own SQLEventBroker, so the check covers what a real broker is sent.
"""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
from rasa.core.brokers.sql import SQLEventBroker
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.storage.tracker_store import RedactingSQLTrackerStore

TYPED = (
    "my name is Jane Smith, email jane.smith@example.com, NI number QQ 12 34 56 C, "
    "case 01AB1234567"
)


async def test_events_streamed_to_a_broker_are_redacted(tmp_path: Path) -> None:
    broker = SQLEventBroker(db=str(tmp_path / "broker.db"))
    store = RedactingSQLTrackerStore(
        dialect="sqlite", db=str(tmp_path / "tracker.db"), event_broker=broker
    )
    tracker = DialogueStateTracker.from_events(
        "visitor-1",
        [
            ActionExecuted("action_listen"),
            UserUttered(TYPED, parse_data={"text": TYPED, "intent": {"name": "salary"}}),
            SlotSet("subject", "jane.smith@example.com"),
        ],
    )
    await store.save(tracker)

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'broker.db'}")
    with engine.connect() as connection:
        published = [
            json.loads(row[0]) for row in connection.execute(sa.text("SELECT data FROM events"))
        ]
    engine.dispose()

    assert [event["event"] for event in published] == ["action", "user", "slot"]
    everything = json.dumps(published)
    for secret in ("Jane Smith", "jane.smith@example.com", "QQ 12 34 56 C", "01AB1234567"):
        assert secret not in everything
    user = published[1]
    assert user["sender_id"] == "visitor-1"
    assert user["text"] == user["parse_data"]["text"]
    assert user["text"] == (
        "my name is [name], email [email address], NI number [national insurance number], "
        "case [case reference]"
    )
    assert published[2]["value"] == "[email address]"
