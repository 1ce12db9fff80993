"""The console's queries: the filtered, paged conversation list, exports and insights.

Every value from a request reaches the database as a bound parameter
(SQLAlchemy Core); nothing is put into SQL text. Filters are parsed and
checked first (:class:`Filters`), so a bad value is refused, not passed on.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Connection

from bot.storage import database as db
from web.console import log

PAGE_SIZE = 25
EXPORT_LIMIT = 5000
TOPIC = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
TAG = re.compile(r"^[a-z0-9][a-z0-9 -]{0,39}$")
MAX_SEARCH = 200


class BadFilter(ValueError):
    """A filter value the console does not accept; the message says which."""


def _day(value: str, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadFilter(f"{name}: enter a date like 2026-03-31") from None


def normalise_tag(value: str) -> str:
    tag = " ".join(value.strip().lower().split())
    if not TAG.match(tag):
        raise BadFilter("Tags are 1 to 40 letters, digits, spaces or hyphens")
    return tag


@dataclass(frozen=True)
class Filters:
    date_from: date | None = None
    date_to: date | None = None
    topic: str = ""
    fallback: bool = False
    negative: bool = False
    tag: str = ""
    reviewed: str = ""  # "", "yes" or "no"
    q: str = ""
    page: int = 1

    @classmethod
    def parse(cls, args: Mapping[str, Any]) -> Filters:
        def get(name: str) -> str:
            value = args.get(name, "")
            if isinstance(value, list):  # Sanic's request.args holds lists
                value = value[0] if value else ""
            return str(value).strip()

        topic = get("topic")
        if topic and not TOPIC.match(topic):
            raise BadFilter("topic: not a topic id")
        tag = get("tag")
        if tag:
            tag = normalise_tag(tag)
        reviewed = get("reviewed")
        if reviewed not in ("", "yes", "no"):
            raise BadFilter("reviewed: choose yes, no or either")
        q = get("q")
        if len(q) > MAX_SEARCH:
            raise BadFilter(f"Search: at most {MAX_SEARCH} characters")
        page = get("page") or "1"
        if not page.isdigit() or not 1 <= int(page) <= 100_000:
            raise BadFilter("page: not a page number")
        date_from, date_to = _day(get("from"), "From"), _day(get("to"), "To")
        if date_from and date_to and date_from > date_to:
            raise BadFilter("From must be on or before To")
        return cls(
            date_from=date_from,
            date_to=date_to,
            topic=topic,
            fallback=get("fallback") in ("1", "on", "yes"),
            negative=get("negative") in ("1", "on", "yes"),
            tag=tag,
            reviewed=reviewed,
            q=q,
            page=int(page),
        )

    def query_args(self, **changes: Any) -> dict[str, str]:
        """The filters as query-string arguments (for paging and export links)."""
        values = {
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "topic": self.topic,
            "fallback": "1" if self.fallback else "",
            "negative": "1" if self.negative else "",
            "tag": self.tag,
            "reviewed": self.reviewed,
            "q": self.q,
            "page": str(self.page) if self.page > 1 else "",
        }
        values.update({key: str(value) for key, value in changes.items()})
        return {key: value for key, value in values.items() if value}

    def audit_detail(self) -> dict[str, Any]:
        """What the audit trail records about the filters: no search text."""
        detail = {key: value for key, value in self.query_args().items() if key not in ("q",)}
        if self.q:
            detail["search"] = True
        return detail


def _timestamp(day: date) -> float:
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp()


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _conditions(filters: Filters, dialect: str) -> list[Any]:
    s = db.summaries.c
    conditions: list[Any] = [s.user_messages > 0]
    if filters.date_from:
        conditions.append(s.last_at >= _timestamp(filters.date_from))
    if filters.date_to:
        conditions.append(s.started_at < _timestamp(filters.date_to + timedelta(days=1)))
    if filters.topic:
        conditions.append(
            sa.exists().where(
                db.summary_topics.c.sender_id == s.sender_id,
                db.summary_topics.c.topic == filters.topic,
            )
        )
    if filters.fallback:
        conditions.append(s.fallbacks > 0)
    if filters.negative:
        conditions.append(s.feedback_down > 0)
    if filters.tag:
        conditions.append(
            sa.exists().where(db.tags.c.sender_id == s.sender_id, db.tags.c.tag == filters.tag)
        )
    reviewed = sa.exists().where(
        db.reviews.c.sender_id == s.sender_id, db.reviews.c.reviewed.is_(True)
    )
    if filters.reviewed == "yes":
        conditions.append(reviewed)
    elif filters.reviewed == "no":
        conditions.append(~reviewed)
    if filters.q:
        conditions.append(s.sender_id.in_(_search(filters.q, dialect)))
    return conditions


def _search(text: str, dialect: str):
    """Conversations in which a visitor message contains ``text`` (any case).

    A cheap LIKE on the stored JSON (non-ASCII is stored as \\u escapes, so the
    pattern is escaped the same way) narrows the rows; the visitor's ``text`` field
    is then matched on its own, so words in the JSON keys never match.
    """
    events = db.events.c
    if dialect == "postgresql":
        message = sa.cast(events.data, JSONB)["text"].astext
    else:
        message = sa.func.json_extract(events.data, "$.text")
    return sa.select(events.sender_id).where(
        events.type_name == "user",
        events.data.ilike(_like_pattern(json.dumps(text)[1:-1]), escape="\\"),
        message.ilike(_like_pattern(text), escape="\\"),
    )


@dataclass
class Page:
    rows: list[dict[str, Any]]
    total: int
    page: int
    pages: int


def _decorate(connection: Connection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ids = [row["sender_id"] for row in rows]
    tags_by: dict[str, list[str]] = defaultdict(list)
    reviewed: dict[str, bool] = {}
    if ids:
        for sender_id, tag in connection.execute(
            sa.select(db.tags.c.sender_id, db.tags.c.tag)
            .where(db.tags.c.sender_id.in_(ids))
            .order_by(db.tags.c.tag)
        ):
            tags_by[sender_id].append(tag)
        for sender_id, mark in connection.execute(
            sa.select(db.reviews.c.sender_id, db.reviews.c.reviewed).where(
                db.reviews.c.sender_id.in_(ids)
            )
        ):
            reviewed[sender_id] = bool(mark)
    for row in rows:
        row["tags"] = tags_by.get(row["sender_id"], [])
        row["reviewed"] = reviewed.get(row["sender_id"], False)
        row["topic_list"] = row["topics"].split() if row["topics"] else []
    return rows


def conversation_page(connection: Connection, filters: Filters) -> Page:
    log.refresh_summaries(connection)
    where = sa.and_(*_conditions(filters, connection.dialect.name))
    total = connection.execute(
        sa.select(sa.func.count()).select_from(db.summaries).where(where)
    ).scalar_one()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(filters.page, pages)
    rows = [
        dict(row._mapping)
        for row in connection.execute(
            sa.select(db.summaries)
            .where(where)
            .order_by(db.summaries.c.last_at.desc(), db.summaries.c.sender_id)
            .limit(PAGE_SIZE)
            .offset((page - 1) * PAGE_SIZE)
        )
    ]
    return Page(_decorate(connection, rows), total, page, pages)


def known_topics(connection: Connection) -> list[str]:
    return [
        row[0]
        for row in connection.execute(
            sa.select(db.summary_topics.c.topic).distinct().order_by(db.summary_topics.c.topic)
        )
    ]


def known_tags(connection: Connection) -> list[str]:
    return [
        row[0]
        for row in connection.execute(sa.select(db.tags.c.tag).distinct().order_by(db.tags.c.tag))
    ]


def conversation(connection: Connection, sender_id: str) -> dict[str, Any] | None:
    log.refresh_summaries(connection)
    row = connection.execute(
        sa.select(db.summaries).where(db.summaries.c.sender_id == sender_id)
    ).first()
    if row is None:
        return None
    result = _decorate(connection, [dict(row._mapping)])[0]
    note = connection.execute(
        sa.select(db.reviews.c.note).where(db.reviews.c.sender_id == sender_id)
    ).scalar()
    result["note"] = note or ""
    result["messages"] = log.messages(log.conversation_events(connection, sender_id))
    return result


def export_rows(connection: Connection, filters: Filters) -> list[dict[str, Any]]:
    """The filtered conversations (at most EXPORT_LIMIT), each with its messages."""
    log.refresh_summaries(connection)
    rows = [
        dict(row._mapping)
        for row in connection.execute(
            sa.select(db.summaries)
            .where(sa.and_(*_conditions(filters, connection.dialect.name)))
            .order_by(db.summaries.c.last_at.desc(), db.summaries.c.sender_id)
            .limit(EXPORT_LIMIT)
        )
    ]
    rows = _decorate(connection, rows)
    for row in rows:
        row["messages"] = [
            m
            for m in log.messages(log.conversation_events(connection, row["sender_id"]))
            if not m.automatic
        ]
    return rows


# ---- Insights -------------------------------------------------------------------------------

STOP_WORDS = frozenset(
    "a an and are as at be can could do does for from have how i i'm if in is it me my "
    "of on or so that the there this to was what when where which who why will with would "
    "you your please".split()
)
WORD = re.compile(r"[a-z0-9']+")
SIMILAR = 0.5  # Jaccard overlap of content words for two questions to be grouped


def _words(text: str) -> frozenset[str]:
    words = [w.strip("'") for w in WORD.findall(text.lower())]
    return frozenset(w for w in words if w and w not in STOP_WORDS)


def group_questions(questions: list[str]) -> list[dict[str, Any]]:
    """Group similar questions (content-word overlap); most frequent groups first."""
    groups: list[dict[str, Any]] = []
    for question in questions:
        words = _words(question)
        best, best_score = None, 0.0
        for group in groups:
            union = words | group["words"]
            score = len(words & group["words"]) / len(union) if union else 1.0
            if score > best_score:
                best, best_score = group, score
        if best is not None and best_score >= SIMILAR:
            best["questions"].append(question)
            best["words"] = best["words"] | words
        else:
            groups.append({"words": words, "questions": [question]})
    result = []
    for group in groups:
        counts = Counter(q.strip() for q in group["questions"])
        result.append(
            {
                "count": len(group["questions"]),
                "example": counts.most_common(1)[0][0],
                "questions": [q for q, _ in counts.most_common()],
            }
        )
    result.sort(key=lambda g: (-g["count"], g["example"].lower()))
    return result


def training_examples(groups: list[dict[str, Any]]) -> str:
    """Rasa NLU YAML of the unanswered questions, one block per group, to copy out."""
    lines = ['version: "3.1"', "nlu:"]
    for number, group in enumerate(groups, 1):
        times = "once" if group["count"] == 1 else f"{group['count']} times"
        lines.append(f"# group {number}: asked {times}; choose the intent")
        lines.append("- intent: TODO")
        lines.append("  examples: |")
        for question in group["questions"]:
            lines.append(f"    - {' '.join(question.split())}")
    return "\n".join(lines) + "\n"


def _day_of(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).date().isoformat()


def insights(connection: Connection, date_from: date, date_to: date) -> dict[str, Any]:
    log.refresh_summaries(connection)
    s = db.summaries.c
    where = sa.and_(
        s.user_messages > 0,
        s.started_at >= _timestamp(date_from),
        s.started_at < _timestamp(date_to + timedelta(days=1)),
    )
    per_day: dict[str, dict[str, int]] = {}
    totals = Counter()
    fallback_ids = []
    for row in connection.execute(
        sa.select(
            s.sender_id,
            s.started_at,
            s.user_messages,
            s.fallbacks,
            s.feedback_up,
            s.feedback_down,
        ).where(where)
    ):
        day = per_day.setdefault(_day_of(row.started_at), {"conversations": 0, "messages": 0})
        day["conversations"] += 1
        day["messages"] += row.user_messages
        totals.update(
            conversations=1,
            messages=row.user_messages,
            fallbacks=row.fallbacks,
            up=row.feedback_up,
            down=row.feedback_down,
        )
        if row.fallbacks:
            fallback_ids.append(row.sender_id)
    topics = Counter()
    for topic, count in connection.execute(
        sa.select(db.summary_topics.c.topic, sa.func.count())
        .select_from(
            db.summary_topics.join(
                db.summaries, db.summaries.c.sender_id == db.summary_topics.c.sender_id
            )
        )
        .where(where)
        .group_by(db.summary_topics.c.topic)
    ):
        topics[topic] = count
    questions: list[str] = []
    for start in range(0, min(len(fallback_ids), 2000), 400):
        chunk = fallback_ids[start : start + 400]
        rows = connection.execute(
            sa.select(
                db.events.c.sender_id,
                db.events.c.type_name,
                db.events.c.timestamp,
                db.events.c.data,
            )
            .where(db.events.c.sender_id.in_(chunk), db.events.c.type_name.in_(["user", "bot"]))
            .order_by(db.events.c.sender_id, db.events.c.id)
        )
        by_sender: dict[str, list[Any]] = defaultdict(list)
        for row in rows:
            by_sender[row.sender_id].append(row)
        for events in by_sender.values():
            questions += [
                m.text
                for m in log.messages(events)
                if m.speaker == "visitor"
                and m.topic == log.FALLBACK
                and not m.is_feedback
                and not m.button
            ]
    groups = group_questions(questions)
    rated = totals["up"] + totals["down"]
    days = []
    day = date_from
    while day <= date_to:
        days.append(
            {
                "day": day.isoformat(),
                **per_day.get(day.isoformat(), {"conversations": 0, "messages": 0}),
            }
        )
        day += timedelta(days=1)
    return {
        "days": days,
        "totals": totals,
        "topics": topics.most_common(20),
        "fallback_rate": totals["fallbacks"] / totals["messages"] if totals["messages"] else None,
        "feedback_ratio": totals["up"] / rated if rated else None,
        "unanswered": groups,
        "training_yaml": training_examples(groups),
    }
