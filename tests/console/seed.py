"""Write realistic conversations into a tracker store database, as Rasa would.

Events are real Rasa events, saved through RedactingSQLTrackerStore, so the
rows are exactly what a running assistant writes (redaction included).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.storage.tracker_store import RedactingSQLTrackerStore


@dataclass
class Turn:
    text: str
    topic: str
    intent: str | None = None
    confidence: float = 0.93
    reply: str = "An answer from the knowledge file."
    buttons: list[dict[str, str]] = field(default_factory=list)
    entities: list[dict] = field(default_factory=list)


def feedback(rating: str, topic: str) -> Turn:
    return Turn(
        text=f'/feedback{{"rating": "{rating}", "rated_topic": "{topic}"}}',
        topic=topic,
        intent="feedback",
        confidence=1.0,
        reply="Thank you for your feedback.",
        entities=[
            {"entity": "rating", "value": rating},
            {"entity": "rated_topic", "value": topic},
        ],
    )


def events_for(turns: list[Turn], start: float) -> list:
    events: list = [
        ActionExecuted("action_session_start", timestamp=start),
        SessionStarted(timestamp=start),
        ActionExecuted("action_listen", timestamp=start),
    ]
    at = start
    for turn in turns:
        at += 5
        intent = turn.intent or ("nlu_fallback" if turn.topic == "fallback" else turn.topic)
        events.append(
            UserUttered(
                turn.text,
                intent={"name": intent, "confidence": turn.confidence},
                entities=turn.entities,
                parse_data={
                    "text": turn.text,
                    "intent": {"name": intent, "confidence": turn.confidence},
                    "entities": turn.entities,
                },
                input_channel="rest",
                timestamp=at,
            )
        )
        events.append(ActionExecuted("action_answer_knowledge", timestamp=at + 1))
        events.append(
            BotUttered(
                turn.reply,
                data={"buttons": turn.buttons or None, "custom": {"topic": turn.topic}},
                timestamp=at + 1,
            )
        )
        events.append(ActionExecuted("action_listen", timestamp=at + 1))
    return events


def store_for(db_path=None, **kwargs) -> RedactingSQLTrackerStore:
    if db_path is not None:
        return RedactingSQLTrackerStore(dialect="sqlite", db=str(db_path))
    return RedactingSQLTrackerStore(**kwargs)


def save(
    store: RedactingSQLTrackerStore, sender: str, turns: list[Turn], start: float | None = None
):
    tracker = DialogueStateTracker.from_events(
        sender, events_for(turns, start if start is not None else time.time() - 600)
    )
    asyncio.run(store.save(tracker))
