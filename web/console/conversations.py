"""Reading the conversation log (Rasa's `events` table) for the console.

Rasa stores each event as the JSON of ``Event.as_dict()``. The console reads:

* ``user`` events: what the visitor typed (already redacted by the tracker
  store), the predicted intent and its confidence (``parse_data.intent``), the
  input channel; a text starting with ``/`` is a button press (its payload), and
  the ``feedback`` intent is a thumbs up or down from the widget (entities
  ``rating`` and ``rated_topic``);
* ``bot`` events: the reply text, its buttons, and the answer contract's
  ``custom`` payload (``data.custom.topic``, ``source``, ``lang``), which gives each turn its
  topic and language, and the id of the model that answered (``metadata.model_id``, which
  Rasa adds); a visitor's message carries the language chosen in the widget
  (``metadata.lang``).

The summary of a conversation (:func:`summarise`) holds counts, topic ids, whether the
visitor said something special-category about themselves (``sensitive``, with the
categories) and the signs worked out in :mod:`web.console.signals` (unsure answers, a
question asked again, leaving after an answer, safeguarding), never text, and is kept in
``console_summaries`` by :func:`refresh_summaries`, together with the conversation's typed
visitor messages in ``console_messages`` (for text search and the unanswered questions)
and its ratings, one per answer, in ``console_ratings``.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bot.privacy import special_categories
from bot.storage import daily
from bot.storage import database as db
from web.console import signals

FALLBACK = signals.FALLBACK
LANGUAGES = {"en": "English", "cy": "Welsh"}
ENGLISH = "en"
GREETING_PAYLOAD = "/greeting"  # sent by the widget when it opens, not typed
WIDGET = "widget"  # the channel of a conversation the widget opened with its greeting
STATE_KEY = db.SUMMARIES_STATE_KEY
BATCH = 400
# On PostgreSQL, Rasa's workers take event ids when they insert but commit in their own
# order, so an event may appear below the newest id already seen: the newest LOOKBACK
# ids are checked again on every refresh.
LOOKBACK = 1000
GROUP_IN_SQL = 50_000  # events; more than this and the database groups them


@dataclass
class Message:
    speaker: str  # "visitor" or "assistant"
    at: float | None
    event_id: int | None = None
    text: str = ""
    intent: str | None = None
    confidence: float | None = None
    topic: str | None = None
    source: str | None = None
    button: str | None = None  # the title of the button pressed (visitor)
    buttons: list[str] = field(default_factory=list)  # titles offered (assistant)
    rating: str | None = None  # "up" or "down" for feedback
    rated_topic: str | None = None
    rated_answer: int | None = None  # the event id of the answer a rating is about
    automatic: bool = False  # the widget's greeting payload
    # The classifier's next likeliest topics after the one it chose (parse_data's
    # intent_ranking): [{"topic": ..., "confidence": ...}], the likeliest first.
    runners_up: list[dict[str, Any]] = field(default_factory=list)
    situations: list[str] = field(default_factory=list)  # danger, crime... the checks found
    noise: bool = False  # the checks found no words in it (keyboard mash)
    safety: bool = False  # an assistant reply carrying the safety signposting
    acknowledges_rating: bool = False  # the assistant's thanks for a rating
    model_id: str | None = None  # Rasa's id of the model that answered (assistant)
    lang: str | None = None  # "en" or "cy": answered in, or chosen in the widget (visitor)

    @property
    def is_feedback(self) -> bool:
        return self.rating is not None

    @property
    def unsure(self) -> bool:
        """Answered with a topic below the confident threshold."""
        return signals.is_low_confidence(self)

    @property
    def is_typed(self) -> bool:
        """A visitor message typed, not a button, a rating or the widget's greeting."""
        return (
            self.speaker == "visitor"
            and not self.is_feedback
            and not self.automatic
            and not self.button
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            key: value
            for key, value in self.__dict__.items()
            if key not in ("event_id", "rated_answer", "acknowledges_rating")
            and (value not in (None, [], False, "") or key in ("speaker", "text"))
        }


def event_data(data: str | None) -> dict[str, Any]:
    """The JSON of an event row as a dict ({} if it is not one)."""
    try:
        value = json.loads(data or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def entity_value(parse_data: dict[str, Any], name: str) -> str | None:
    for entity in parse_data.get("entities") or []:
        if isinstance(entity, dict) and entity.get("entity") == name:
            return str(entity.get("value"))
    return None


RUNNERS_UP = 3  # how many of the classifier's other topics a transcript shows


def runners_up(parse_data: dict[str, Any], chosen: str | None) -> list[dict[str, Any]]:
    """The classifier's next likeliest intents after ``chosen``, from its ranking."""
    found = []
    for ranked in parse_data.get("intent_ranking") or []:
        if not isinstance(ranked, dict) or not isinstance(ranked.get("name"), str):
            continue
        confidence = ranked.get("confidence")
        if ranked["name"] == chosen or not isinstance(confidence, (int, float)):
            continue
        found.append({"topic": ranked["name"], "confidence": float(confidence)})
        if len(found) == RUNNERS_UP:
            break
    return found


def _understanding(parse_data: dict[str, Any]) -> dict[str, Any]:
    """What the assistant's own checks found (bot/language/understanding.py)."""
    found = parse_data.get("understanding")
    return found if isinstance(found, dict) else {}


def _situations(parse_data: dict[str, Any]) -> list[str]:
    found = _understanding(parse_data).get("safety")
    return [str(s) for s in found] if isinstance(found, list) else []


def _visitor_message(row: Any, data: dict[str, Any], offered: dict[str, str]) -> Message:
    parse_data = data.get("parse_data") or {}
    intent = parse_data.get("intent") or {}
    text = data.get("text") or ""
    message = Message(
        speaker="visitor",
        at=row.timestamp,
        event_id=getattr(row, "id", None),
        text=text,
        intent=intent.get("name"),
        confidence=intent.get("confidence"),
        lang=_language((data.get("metadata") or {}).get("lang")),
    )
    if message.intent == "feedback":
        message.rating = entity_value(parse_data, "rating")
        message.rated_topic = entity_value(parse_data, "rated_topic")
    elif text == GREETING_PAYLOAD:
        message.automatic = True
    else:
        if text.startswith("/"):
            message.button = offered.get(text, text)
        message.runners_up = runners_up(parse_data, message.intent)
        message.situations = _situations(parse_data)
        message.noise = _understanding(parse_data).get("made_of_words") is False
    return message


def messages(rows: Iterable[Any]) -> list[Message]:
    """Visitor and assistant messages from a conversation's event rows, in order.

    Each visitor message gets the topic of the first assistant reply after it that
    carries the answer contract's ``custom.topic``. A rating is about the newest answer
    on its topic before it (not the thanks for an earlier rating).
    """
    out: list[Message] = []
    waiting: Message | None = None
    offered: dict[str, str] = {}
    answers: dict[str, int | None] = {}  # topic: event id of its newest answer
    for row in rows:
        if row.type_name not in ("user", "bot"):
            continue
        data = event_data(row.data)
        if row.type_name == "user":
            message = _visitor_message(row, data, offered)
            if message.is_feedback:
                message.rated_answer = answers.get(message.rated_topic or "")
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
                event_id=getattr(row, "id", None),
                text=data.get("text") or "",
                topic=custom.get("topic"),
                source=custom.get("source"),
                buttons=[str(b.get("title")) for b in buttons],
                safety=custom.get("safety") is True,
                acknowledges_rating=waiting is not None and waiting.is_feedback,
                model_id=(data.get("metadata") or {}).get("model_id"),
                lang=_language(custom.get("lang")),
            )
            out.append(message)
            if message.topic and not message.acknowledges_rating:
                answers[message.topic] = message.event_id
            if waiting is not None and message.topic:
                waiting.topic = message.topic
                waiting = None
    return out


def _language(value: Any) -> str | None:
    return value if value in LANGUAGES else None


def conversation_language(everything: list[Message]) -> str:
    """The language the assistant answered in most ("cy" on a tie: a conversation half in
    Welsh is one the Welsh service wants to see); failing that, the one the visitor chose
    in the widget; failing that (older conversations), English."""
    for speaker in ("assistant", "visitor"):
        said = [m.lang for m in everything if m.speaker == speaker and m.lang]
        if said:
            welsh = said.count("cy")
            return "cy" if welsh * 2 >= len(said) else ENGLISH
    return ENGLISH


def summarise(
    sender_id: str, rows: list[Any]
) -> tuple[dict[str, Any], set[str], list[dict], list[dict]]:
    """Counts, signs and topic ids for one conversation (no text), its typed messages and
    the ratings that count (one per answer)."""
    stamps = [row.timestamp for row in rows if row.timestamp is not None]
    channel = None
    for row in rows:
        if row.type_name == "user":
            data = event_data(row.data)
            opened_by_widget = data.get("text") == GREETING_PAYLOAD
            channel = WIDGET if opened_by_widget else data.get("input_channel")
            break
    everything = messages(rows)
    visitor = [m for m in everything if m.speaker == "visitor"]
    topics = {m.topic for m in visitor if m.topic and not m.is_feedback and not m.automatic}
    categories = frozenset().union(*(special_categories(m.text) for m in visitor if m.is_typed))
    rated = signals.ratings(visitor)
    safety, signposted = signals.safety(everything, categories)
    summary = {
        "sender_id": sender_id,
        "started_at": min(stamps) if stamps else None,
        "last_at": max(stamps) if stamps else None,
        "user_messages": sum(1 for m in visitor if not m.is_feedback and not m.automatic),
        "fallbacks": sum(1 for m in visitor if m.topic == FALLBACK and not m.is_feedback),
        "feedback_up": sum(1 for m in rated.values() if m.rating == "up"),
        "feedback_down": sum(1 for m in rated.values() if m.rating == "down"),
        "channel": channel,
        "topics": " ".join(sorted(topics)),
        "sensitive": bool(categories),
        "sensitive_categories": " ".join(sorted(categories)) or None,
        "low_confidence": sum(1 for m in visitor if signals.is_low_confidence(m)),
        "confident_answers": sum(
            1 for m in visitor if signals.is_answer(m) and not signals.is_low_confidence(m)
        ),
        "rephrased": signals.rephrased(visitor),
        "left_after_answer": signals.left_after_answer(everything),
        "safety": safety,
        "signposted": signposted,
        "language": conversation_language(everything),
    }
    typed = [
        {
            "event_id": m.event_id,
            "sender_id": sender_id,
            "at": m.at,
            "text": m.text,
            "fallback": m.topic == FALLBACK,
            "noise": m.noise,
        }
        for m in visitor
        if m.is_typed and m.text and m.event_id is not None
    ]
    rating_rows = [
        {
            "sender_id": sender_id,
            # A rating whose answer is not found stands alone, keyed by its own event.
            "answer_event_id": m.rated_answer if m.rated_answer is not None else m.event_id,
            "topic": m.rated_topic or "",
            "rating": m.rating,
            "at": m.at,
        }
        for m in rated.values()
        if m.at is not None and (m.rated_answer is not None or m.event_id is not None)
    ]
    return summary, topics, typed, rating_rows


_refresh_lock = threading.Lock()


def _state(connection: Connection) -> int | None:
    value = connection.execute(
        sa.select(db.state.c.value).where(db.state.c.key == STATE_KEY)
    ).scalar()
    return None if value is None else int(value)


def refresh_summaries(connection: Connection) -> int:
    """Bring the summaries up to date with new events; return conversations updated.

    A conversation whose newest event is newer than its summary's is summarised again
    from all its events. One refresh runs at a time: in this process (a thread lock) and
    across processes on PostgreSQL (an advisory lock; a page whose refresh finds another
    under way shows the summaries as they are, and the next page has the new ones).
    """
    with _refresh_lock:
        if not db.lock_for_writing(connection, "console_summaries", wait=False):
            return 0
        seen = _state(connection)
        newest_ids = _newest_event_ids(connection, max(0, (seen or 0) - LOOKBACK))
        if not newest_ids:
            return 0
        changed = []
        senders = list(newest_ids)
        for start in range(0, len(senders), BATCH):
            chunk = senders[start : start + BATCH]
            s = db.summaries.c
            known = dict(  # a summary with no sensitive mark yet is made again
                connection.execute(
                    sa.select(s.sender_id, s.last_event_id).where(
                        s.sender_id.in_(chunk),
                        s.sensitive.isnot(None),
                        s.safety.isnot(None),
                        s.language.isnot(None),
                    )
                ).all()
            )
            changed += [s for s in chunk if (known.get(s) or 0) < newest_ids[s]]
        for start in range(0, len(changed), BATCH):
            chunk = changed[start : start + BATCH]
            _resummarise(connection, {sender: newest_ids[sender] for sender in chunk})
        newest = max(newest_ids.values())
        if seen is None:
            connection.execute(db.state.insert().values(key=STATE_KEY, value=str(newest)))
        elif newest > seen:
            connection.execute(
                db.state.update().where(db.state.c.key == STATE_KEY).values(value=str(newest))
            )
        return len(changed)


def _newest_event_ids(connection: Connection, after: int) -> dict[str, int]:
    """The newest event id of each conversation with events after id ``after``."""
    events = db.events.c
    newest = connection.execute(sa.select(sa.func.max(events.id))).scalar() or 0
    if newest - after > GROUP_IN_SQL:  # a first run, or a long backlog
        return dict(
            connection.execute(
                sa.select(events.sender_id, sa.func.max(events.id))
                .where(events.id > after)
                .group_by(events.sender_id)
            ).all()
        )
    # A few rows: grouped here, as SQLite would rather walk its sender_id index for a
    # GROUP BY than read the newest rows by id.
    found: dict[str, int] = {}
    for sender_id, event_id in connection.execute(
        sa.select(events.sender_id, events.id).where(events.id > after)
    ):
        found[sender_id] = max(event_id, found.get(sender_id, 0))
    return found


def _resummarise(connection: Connection, newest_ids: dict[str, int]) -> None:
    sender_ids = list(newest_ids)
    grouped = events_by_conversation(connection, sender_ids)
    days = daily.days_of(connection, sender_ids)  # what the old summaries counted
    for table in (db.summaries, db.summary_topics, db.messages, db.ratings):
        connection.execute(table.delete().where(table.c.sender_id.in_(sender_ids)))
    rows, topic_rows, message_rows, rating_rows = [], [], [], []
    for sender_id, events in grouped.items():
        summary, topics, typed, rated = summarise(sender_id, events)
        rows.append({**summary, "last_event_id": newest_ids[sender_id]})
        topic_rows += [{"sender_id": sender_id, "topic": topic} for topic in topics]
        message_rows += typed
        rating_rows += rated
    for table, values in (
        (db.summaries, rows),
        (db.summary_topics, topic_rows),
        (db.messages, message_rows),
        (db.ratings, rating_rows),
    ):
        if values:
            connection.execute(table.insert(), values)
    days |= {int(row["started_at"] // daily.DAY_SECONDS) for row in rows if row["started_at"]}
    daily.recount(connection, days)


def _events_of(sender_ids: list[str]):
    """The visitor and assistant events of these conversations, in order."""
    events = db.events.c
    return (
        sa.select(events.id, events.sender_id, events.type_name, events.timestamp, events.data)
        .where(events.sender_id.in_(sender_ids), events.type_name.in_(["user", "bot"]))
        .order_by(events.sender_id, events.id)
    )


def events_by_conversation(connection: Connection, sender_ids: list[str]) -> dict[str, list]:
    """Each conversation's visitor and assistant events, in batches of BATCH conversations."""
    grouped: dict[str, list[Any]] = {sender: [] for sender in sender_ids}
    for start in range(0, len(sender_ids), BATCH):
        for row in connection.execute(_events_of(sender_ids[start : start + BATCH])):
            grouped[row.sender_id].append(row)
    return grouped


def conversation_events(connection: Connection, sender_id: str) -> list[Any]:
    return events_by_conversation(connection, [sender_id])[sender_id]
