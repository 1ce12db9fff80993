"""Reading the conversation log (Rasa's `events` table) for the console.

Rasa stores each event as the JSON of ``Event.as_dict()``. The console reads:

* ``user`` events: what the visitor typed (already redacted by the tracker
  store), the predicted intent and its confidence (``parse_data.intent``), the
  input channel; a text starting with ``/`` is a button press (its payload), and
  the ``feedback`` intent is a thumbs up or down from the widget (entities
  ``rating`` and ``rated_topic``);
* ``bot`` events: the reply text, its buttons, and the answer contract's
  ``custom`` payload (``data.custom.topic``, ``source``), which gives each turn its topic.

The summary of a conversation (:func:`summarise`) holds counts and topic ids,
never text, and is kept in ``console_summaries`` by :func:`refresh_summaries`.
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bot.storage import database as db

FALLBACK = "fallback"
GREETING_PAYLOAD = "/greeting"  # sent by the widget when it opens, not typed
STATE_KEY = "summaries_event_id"
BATCH = 400


@dataclass
class Message:
    speaker: str  # "visitor" or "assistant"
    at: float | None
    text: str = ""
    intent: str | None = None
    confidence: float | None = None
    topic: str | None = None
    source: str | None = None
    button: str | None = None  # the title of the button pressed (visitor)
    buttons: list[str] = field(default_factory=list)  # titles offered (assistant)
    rating: str | None = None  # "up" or "down" for feedback
    rated_topic: str | None = None
    automatic: bool = False  # the widget's greeting payload

    @property
    def is_feedback(self) -> bool:
        return self.rating is not None

    def as_dict(self) -> dict[str, Any]:
        return {
            key: value
            for key, value in self.__dict__.items()
            if value not in (None, [], False, "") or key in ("speaker", "text")
        }


def _load(data: str | None) -> dict[str, Any]:
    try:
        value = json.loads(data or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _entity(parse_data: dict[str, Any], name: str) -> str | None:
    for entity in parse_data.get("entities") or []:
        if isinstance(entity, dict) and entity.get("entity") == name:
            return str(entity.get("value"))
    return None


def messages(rows: Iterable[Any]) -> list[Message]:
    """Visitor and assistant messages from a conversation's event rows, in order.

    Each visitor message gets the topic of the first assistant reply after it that
    carries the answer contract's ``custom.topic``.
    """
    out: list[Message] = []
    waiting: Message | None = None
    offered: dict[str, str] = {}
    for row in rows:
        if row.type_name not in ("user", "bot"):
            continue
        data = _load(row.data)
        if row.type_name == "user":
            parse_data = data.get("parse_data") or {}
            intent = parse_data.get("intent") or {}
            text = data.get("text") or ""
            message = Message(
                speaker="visitor",
                at=row.timestamp,
                text=text,
                intent=intent.get("name"),
                confidence=intent.get("confidence"),
            )
            if message.intent == "feedback":
                message.rating = _entity(parse_data, "rating")
                message.rated_topic = _entity(parse_data, "rated_topic")
            elif text == GREETING_PAYLOAD:
                message.automatic = True
            elif text.startswith("/"):
                message.button = offered.get(text, text)
            out.append(message)
            waiting = message
        else:
            body = data.get("data") or {}
            custom = body.get("custom") if isinstance(body.get("custom"), dict) else {}
            buttons = [b for b in body.get("buttons") or [] if isinstance(b, dict)]
            offered = {str(b.get("payload")): str(b.get("title")) for b in buttons}
            message = Message(
                speaker="assistant",
                at=row.timestamp,
                text=data.get("text") or "",
                topic=custom.get("topic"),
                source=custom.get("source"),
                buttons=[str(b.get("title")) for b in buttons],
            )
            out.append(message)
            if waiting is not None and message.topic:
                waiting.topic = message.topic
                waiting = None
    return out


def summarise(sender_id: str, rows: list[Any]) -> tuple[dict[str, Any], set[str]]:
    """Counts and topic ids for one conversation (no text)."""
    stamps = [row.timestamp for row in rows if row.timestamp is not None]
    channel = None
    for row in rows:
        if row.type_name == "user":
            channel = _load(row.data).get("input_channel")
            break
    visitor = [m for m in messages(rows) if m.speaker == "visitor"]
    topics = {m.topic for m in visitor if m.topic and not m.is_feedback and not m.automatic}
    summary = {
        "sender_id": sender_id,
        "started_at": min(stamps) if stamps else None,
        "last_at": max(stamps) if stamps else None,
        "user_messages": sum(1 for m in visitor if not m.is_feedback and not m.automatic),
        "fallbacks": sum(1 for m in visitor if m.topic == FALLBACK and not m.is_feedback),
        "feedback_up": sum(1 for m in visitor if m.rating == "up"),
        "feedback_down": sum(1 for m in visitor if m.rating == "down"),
        "channel": channel,
        "topics": " ".join(sorted(topics)),
    }
    return summary, topics


_refresh_lock = threading.Lock()


def refresh_summaries(connection: Connection) -> int:
    """Bring ``console_summaries`` up to date with new events; return conversations updated.

    Every conversation with an event newer than the last one seen is summarised
    again from all its events. Only one thread of this process refreshes at a time.
    """
    with _refresh_lock:
        seen_row = connection.execute(
            sa.select(db.state.c.value).where(db.state.c.key == STATE_KEY)
        ).first()
        seen = int(seen_row[0]) if seen_row else 0
        newest = connection.execute(sa.select(sa.func.max(db.events.c.id))).scalar()
        if newest is None or newest <= seen:
            return 0
        changed = [
            row[0]
            for row in connection.execute(
                sa.select(db.events.c.sender_id)
                .where(db.events.c.id > seen, db.events.c.id <= newest)
                .distinct()
            )
        ]
        for start in range(0, len(changed), BATCH):
            _resummarise(connection, changed[start : start + BATCH])
        if seen_row:
            connection.execute(
                db.state.update().where(db.state.c.key == STATE_KEY).values(value=str(newest))
            )
        else:
            connection.execute(db.state.insert().values(key=STATE_KEY, value=str(newest)))
        return len(changed)


def _resummarise(connection: Connection, sender_ids: list[str]) -> None:
    grouped: dict[str, list[Any]] = defaultdict(list)
    query = (
        sa.select(
            db.events.c.sender_id,
            db.events.c.type_name,
            db.events.c.timestamp,
            db.events.c.data,
        )
        .where(db.events.c.sender_id.in_(sender_ids))
        .where(db.events.c.type_name.in_(["user", "bot"]))
        .order_by(db.events.c.sender_id, db.events.c.id)
    )
    for row in connection.execute(query):
        grouped[row.sender_id].append(row)
    connection.execute(db.summaries.delete().where(db.summaries.c.sender_id.in_(sender_ids)))
    connection.execute(
        db.summary_topics.delete().where(db.summary_topics.c.sender_id.in_(sender_ids))
    )
    rows, topic_rows = [], []
    for sender_id, events in grouped.items():
        summary, topics = summarise(sender_id, events)
        rows.append(summary)
        topic_rows += [{"sender_id": sender_id, "topic": topic} for topic in topics]
    if rows:
        connection.execute(db.summaries.insert(), rows)
    if topic_rows:
        connection.execute(db.summary_topics.insert(), topic_rows)


def conversation_events(connection: Connection, sender_id: str) -> list[Any]:
    return list(
        connection.execute(
            sa.select(db.events.c.type_name, db.events.c.timestamp, db.events.c.data)
            .where(db.events.c.sender_id == sender_id)
            .where(db.events.c.type_name.in_(["user", "bot"]))
            .order_by(db.events.c.id)
        )
    )
