"""The questions worth improving the assistant with, for the console's Improve page.

A typed visitor question qualifies if the assistant did not understand it (fallback),
answered it with low confidence, or the visitor rated its answer "not helpful". Questions
from sensitive conversations are left out, as on the insights page, and so are those an
editor already decided about (``console_question_marks``). They are grouped by similar
wording as the insights page groups them (queries.group_questions), most frequent first,
and the newest first among equals; each question keeps where it was asked.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bot.storage import database as db
from web.console import conversations
from web.console.queries import group_questions

LOW_CONFIDENCE = 0.6  # below this a topic answer is shown for review, though not a fallback
CONVERSATIONS_READ = 500  # the newest conversations that had a question to look at
MARKS = {
    "example": "Added as a training example",
    "out-of-scope": "Out of scope",
    "needs-answer": "Needs a new answer",
}
REASONS = {
    "fallback": "not understood",
    "low-confidence": "low confidence",
    "not-helpful": "rated not helpful",
}


@dataclass
class Asked:
    """One time a question was asked: the visitor message it was, and why it is here."""

    event_id: int
    sender_id: str
    at: float
    text: str
    intent: str | None
    confidence: float | None
    topic: str | None
    reasons: list[str] = field(default_factory=list)

    @property
    def reason_words(self) -> str:
        return ", ".join(REASONS[reason] for reason in self.reasons)


def _reasons(messages: list[conversations.Message]) -> list[Asked]:
    """The typed questions of one conversation that qualify, with their reasons."""
    found: list[Asked] = []
    last_by_topic: dict[str, Asked] = {}
    for message in messages:
        if message.is_feedback:
            rated = last_by_topic.get(message.rated_topic or "")
            if message.rating == "down" and rated and "not-helpful" not in rated.reasons:
                rated.reasons.append("not-helpful")
            continue
        if not message.is_typed or message.event_id is None or not message.text:
            continue
        asked = Asked(
            message.event_id,
            "",
            message.at or 0.0,
            message.text,
            message.intent,
            message.confidence,
            message.topic,
        )
        if message.topic == conversations.FALLBACK:
            asked.reasons.append("fallback")
        elif message.confidence is not None and message.confidence < LOW_CONFIDENCE:
            asked.reasons.append("low-confidence")
        if message.topic:
            last_by_topic[message.topic] = asked
        found.append(asked)
    return [asked for asked in found if asked.reasons]


def _candidates(connection: Connection, since: float) -> list[str]:
    """The newest conversations since ``since`` that are not sensitive."""
    s = db.summaries.c
    return list(
        connection.execute(
            sa.select(s.sender_id)
            .where(s.last_at >= since, s.user_messages > 0, s.sensitive.isnot(True))
            .order_by(s.last_at.desc(), s.sender_id.desc())
            .limit(CONVERSATIONS_READ)
        ).scalars()
    )


def questions(connection: Connection, days: int = 30) -> list[Asked]:
    """Every qualifying question of the last ``days`` days not yet decided about."""
    conversations.refresh_summaries(connection)
    sender_ids = _candidates(connection, time.time() - days * 86400)
    events = conversations.events_by_conversation(connection, sender_ids)
    decided = set(connection.execute(sa.select(db.question_marks.c.event_id)).scalars())
    found = []
    for sender_id in sender_ids:
        for asked in _reasons(conversations.messages(events[sender_id])):
            if asked.event_id not in decided:
                asked.sender_id = sender_id
                found.append(asked)
    return found


def grouped(asked: list[Asked]) -> list[dict[str, Any]]:
    """Groups of similar questions, most frequent then newest first; each question with
    the times it was asked, newest first."""
    by_text: dict[str, list[Asked]] = {}
    for item in asked:
        by_text.setdefault(item.text.strip(), []).append(item)
    groups = []
    for group in group_questions([item.text for item in asked]):
        rows = []
        for text in group["questions"]:
            times = sorted(by_text[text], key=lambda a: -a.at)
            rows.append({"text": text, "times": times, "newest": times[0]})
        rows.sort(key=lambda row: (-len(row["times"]), -row["newest"].at))
        newest = max(row["newest"].at for row in rows)
        groups.append({"count": group["count"], "questions": rows, "newest": newest})
    groups.sort(key=lambda g: (-g["count"], -g["newest"]))
    return groups


def find_question(connection: Connection, event_id: int) -> Asked | None:
    """A visitor's question by its event id, as stored (redacted), or None."""
    e = db.events.c
    row = connection.execute(
        sa.select(e.id, e.sender_id, e.type_name, e.timestamp, e.data).where(
            e.id == event_id, e.type_name == "user"
        )
    ).first()
    if row is None:
        return None
    message = conversations.messages([row])[0]
    if not message.is_typed or not message.text:
        return None
    return Asked(
        row.id,
        row.sender_id,
        row.timestamp or 0.0,
        message.text,
        message.intent,
        message.confidence,
        message.topic,
    )


def mark(connection: Connection, asked: Asked, what: str, actor: str, topic: str | None) -> None:
    values = {"mark": what, "topic": topic, "actor": actor, "at": time.time()}
    changed = connection.execute(
        db.question_marks.update()
        .where(db.question_marks.c.event_id == asked.event_id)
        .values(**values)
    ).rowcount
    if not changed:
        connection.execute(
            db.question_marks.insert().values(
                event_id=asked.event_id, sender_id=asked.sender_id, **values
            )
        )


def needing_answers(connection: Connection) -> list[dict[str, Any]]:
    """The questions marked "needs a new answer", newest first, with their text."""
    q, e = db.question_marks.c, db.events.c
    rows = connection.execute(
        sa.select(q.event_id, q.sender_id, q.actor, q.at, e.type_name, e.timestamp, e.data, e.id)
        .join(db.events, e.id == q.event_id)
        .where(q.mark == "needs-answer")
        .order_by(q.at.desc())
        .limit(200)
    ).all()
    return [
        {
            "text": conversations.messages([row])[0].text,
            "sender_id": row.sender_id,
            "marked_by": row.actor,
            "marked_at": row.at,
        }
        for row in rows
    ]


def day(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%d %b %Y")
