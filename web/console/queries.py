"""The console's queries: the filtered, paged conversation list, exports and insights.

Every value from a request reaches the database as a bound parameter
(SQLAlchemy Core); nothing is put into SQL text. Filters are parsed and
checked first (:class:`Filters`), so a bad value is refused, not passed on.

The list is ordered newest first by ``(last_at, sender_id)`` and paged by keyset:
"Next" and "Previous" links carry the boundary row's key (``after``/``before``), so
a deep page costs what the first one does; a bare ``page=N`` still works, by offset.
The other orders (``SORTS``: oldest first, most visitor messages, most not understood)
page by offset, each along an index. Filters on the signs of a wrong answer and on
safeguarding read the summary's own columns (web/console/signals.py works them out).

Sensitive conversations (the visitor said something special-category or criminal-offence
about themselves) are listed, marked, but left out of text searches, exports and the
unanswered questions unless ``include_sensitive`` is chosen, which the views audit.
Tags come from a fixed list (``TAGS``): a free-text tag could hold personal details that
no redaction recognises ("call back jane").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bot.storage import database as db
from web.console import conversations, dismissals, search, signals

PAGE_SIZE = 25
WIDGET = conversations.WIDGET
EXPORT_LIMIT = 5000
TOPIC = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
TAG = re.compile(r"^[a-z0-9][a-z0-9 -]{0,39}$")  # the shape of any tag, old ones included
# The tags a recruiter can give a conversation: what went wrong or what to do with it.
TAGS = (
    "content gap",
    "wrong answer",
    "unclear answer",
    "not understood",
    "good example",
    "training example",
    "safeguarding",
    "technical problem",
    "follow up",
)
MAX_SEARCH = 200
EPOCH = date(1970, 1, 1)  # day numbers in console_daily count from here
QUESTION_LIMIT = 2000  # the newest unanswered questions grouped on the insights page
CONVERSATION_ID = re.compile(r"^[A-Za-z0-9_.:@-]{1,255}$")  # as the console's routes accept


# The list's orders: (label, columns). Newest first pages by keyset; the others by offset,
# each on an index of its own columns then (last_at, sender_id).
SORTS = {
    "newest": ("Newest first", ()),
    "oldest": ("Oldest first", ()),
    "messages": ("Most visitor messages", ("user_messages",)),
    "fallbacks": ("Most not understood", ("fallbacks",)),
}
CHANNELS = {"widget": "The careers site's chat widget", "other": "Other channels"}
LANGUAGES = conversations.LANGUAGES
YES = ("1", "on", "yes")


class BadFilter(ValueError):
    """A filter value the console does not accept; the message says which."""


def _day(value: str, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadFilter(f"{name}: enter a date like 2026-03-31") from None


def _key(value: str, name: str) -> tuple[float, str] | None:
    """A keyset cursor ``<last_at>,<conversation id>`` from a Next or Previous link."""
    if not value:
        return None
    at, _, sender_id = value.partition(",")
    try:
        last_at = float(at)
    except ValueError:
        last_at = float("nan")
    if last_at != last_at or not CONVERSATION_ID.match(sender_id):  # NaN is never equal
        raise BadFilter(f"{name}: not a position in the list")
    return last_at, sender_id


def cursor(row: dict[str, Any]) -> str:
    """The keyset cursor of a list row; repr keeps the float exact."""
    return f"{row['last_at']!r},{row['sender_id']}"


def normalise_tag(value: str) -> str:
    tag = " ".join(value.strip().lower().split())
    if tag not in TAGS:
        raise BadFilter("Choose a tag from the list")
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
    include_sensitive: bool = False  # in text searches and exports (audited by the views)
    low_confidence: bool = False  # answered below signals.CONFIDENT
    rephrased: bool = False
    left: bool = False  # left right after an answer
    safety: bool = False  # safeguarding: danger, a crime or distress described
    channel: str = ""  # "", "widget" or "other"
    language: str = ""  # "", "en" or "cy"
    sort: str = "newest"
    page: int = 1
    after: tuple[float, str] | None = None  # the list continues after this row...
    before: tuple[float, str] | None = None  # ...or ends before it

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
        tag = " ".join(get("tag").lower().split())
        if tag and not TAG.match(tag):  # a tag given before the fixed list can still be found
            raise BadFilter("tag: not a tag")
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
        after, before = _key(get("after"), "after"), _key(get("before"), "before")
        if after and before:
            raise BadFilter("Use either after or before, not both")
        channel = get("channel")
        if channel and channel not in CHANNELS:
            raise BadFilter("Channel: choose the widget, other channels or any")
        language = get("language")
        if language and language not in LANGUAGES:
            raise BadFilter("Language: choose English, Welsh or any")
        sort = get("sort") or "newest"
        if sort not in SORTS:
            raise BadFilter("Sort: choose an order from the list")
        if sort != "newest":
            after = before = None  # only newest first pages by keyset
        return cls(
            date_from=date_from,
            date_to=date_to,
            topic=topic,
            fallback=get("fallback") in ("1", "on", "yes"),
            negative=get("negative") in ("1", "on", "yes"),
            tag=tag,
            reviewed=reviewed,
            q=q,
            include_sensitive=get("include_sensitive") in YES,
            low_confidence=get("low_confidence") in YES,
            rephrased=get("rephrased") in YES,
            left=get("left") in YES,
            safety=get("safety") in YES,
            channel=channel,
            language=language,
            sort=sort,
            page=int(page),
            after=after,
            before=before,
        )

    def query_args(self, **changes: Any) -> dict[str, str]:
        """The filters as query-string arguments (for paging and export links).

        A keyset cursor is never carried over: only ``changes`` can add one.
        """
        values = {
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
            "topic": self.topic,
            "fallback": "1" if self.fallback else "",
            "negative": "1" if self.negative else "",
            "tag": self.tag,
            "reviewed": self.reviewed,
            "q": self.q,
            "include_sensitive": "1" if self.include_sensitive else "",
            "low_confidence": "1" if self.low_confidence else "",
            "rephrased": "1" if self.rephrased else "",
            "left": "1" if self.left else "",
            "safety": "1" if self.safety else "",
            "channel": self.channel,
            "language": self.language,
            "sort": self.sort if self.sort != "newest" else "",
            "page": str(self.page) if self.page > 1 else "",
        }
        values.update({key: str(value) for key, value in changes.items() if value is not None})
        return {key: value for key, value in values.items() if value}

    def audit_detail(self) -> dict[str, Any]:
        """What the audit trail records about the filters: no search text."""
        detail = {key: value for key, value in self.query_args().items() if key not in ("q",)}
        if self.q:
            detail["search"] = True
        return detail


def _timestamp(day: date) -> float:
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp()


def period(date_from: date, date_to: date) -> tuple[float, float]:
    """The timestamps from the start of ``date_from`` to the end of ``date_to`` (UTC)."""
    return _timestamp(date_from), _timestamp(date_to + timedelta(days=1))


def language_of(s: Any) -> Any:
    """A summary's language in SQL: older summaries, made before languages, are English."""
    return sa.func.coalesce(s.language, conversations.ENGLISH)


def _conditions(filters: Filters, connection: Connection, exporting: bool = False) -> list[Any]:
    s = db.summaries.c
    conditions: list[Any] = [s.user_messages > 0]
    if (filters.q or exporting) and not filters.include_sensitive:
        conditions.append(s.sensitive.isnot(True))
    if filters.date_from:
        conditions.append(s.last_at >= _timestamp(filters.date_from))
    if filters.date_to:
        started = s.started_at
        if connection.dialect.name == "sqlite" and filters.date_from:
            # "+ 0" keeps SQLite, which has no statistics on ranges, on the narrow last_at
            # range above rather than this one, which nearly every conversation meets.
            started = started + 0
        conditions.append(started < _timestamp(filters.date_to + timedelta(days=1)))
    # IN over an indexed subquery, not a correlated EXISTS: the database reads the few
    # matching ids instead of probing once per conversation.
    if filters.topic:
        topic = db.summary_topics.c
        conditions.append(
            s.sender_id.in_(sa.select(topic.sender_id).where(topic.topic == filters.topic))
        )
    if filters.fallback:
        conditions.append(s.fallbacks > 0)
    if filters.negative:
        conditions.append(s.feedback_down > 0)
    if filters.low_confidence:
        conditions.append(s.low_confidence > 0)
    if filters.rephrased:
        conditions.append(s.rephrased.is_(True))
    if filters.left:
        conditions.append(s.left_after_answer.is_(True))
    if filters.safety:
        conditions.append(s.safety.is_(True))
    if filters.channel == "widget":
        conditions.append(s.channel == WIDGET)
    elif filters.channel == "other":
        conditions.append(sa.or_(s.channel.is_(None), s.channel != WIDGET))
    if filters.language:
        conditions.append(language_of(s) == filters.language)
    if filters.tag:
        tag = db.tags.c
        conditions.append(s.sender_id.in_(sa.select(tag.sender_id).where(tag.tag == filters.tag)))
    review = db.reviews.c
    if filters.reviewed == "yes":
        reviewed = sa.select(review.sender_id).where(review.reviewed.is_(True))
        conditions.append(s.sender_id.in_(reviewed))
    elif filters.reviewed == "no":  # most are not: an anti-join probe per row is cheapest
        reviewed = sa.exists().where(review.sender_id == s.sender_id, review.reviewed.is_(True))
        conditions.append(~reviewed)
    if filters.q:
        conditions.append(s.sender_id.in_(search.conversations_with(connection, filters.q)))
    return conditions


@dataclass
class Page:
    rows: list[dict[str, Any]]
    total: int
    page: int
    pages: int
    keyset: bool = True  # newest first: Next and Previous carry the boundary row

    @property
    def next_key(self) -> str | None:
        if not self.keyset:
            return None
        return cursor(self.rows[-1]) if self.rows and self.page < self.pages else None

    @property
    def previous_key(self) -> str | None:
        if not self.keyset:
            return None
        return cursor(self.rows[0]) if self.rows and self.page > 1 else None


def _first_questions(connection: Connection, ids: list[str]) -> dict[str, str]:
    """The first typed question of each of these conversations (the sender_id index)."""
    m = db.messages.c
    firsts = sa.select(sa.func.min(m.event_id)).where(m.sender_id.in_(ids)).group_by(m.sender_id)
    return dict(
        connection.execute(sa.select(m.sender_id, m.text).where(m.event_id.in_(firsts))).all()
    )


def _decorate(connection: Connection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ids = [row["sender_id"] for row in rows]
    tags_by: dict[str, list[str]] = defaultdict(list)
    reviewed: dict[str, bool] = {}
    notes: dict[str, str] = {}
    if ids:
        for sender_id, tag in connection.execute(
            sa.select(db.tags.c.sender_id, db.tags.c.tag)
            .where(db.tags.c.sender_id.in_(ids))
            .order_by(db.tags.c.tag)
        ):
            tags_by[sender_id].append(tag)
        for sender_id, mark, note in connection.execute(
            sa.select(db.reviews.c.sender_id, db.reviews.c.reviewed, db.reviews.c.note).where(
                db.reviews.c.sender_id.in_(ids)
            )
        ):
            reviewed[sender_id] = bool(mark)
            notes[sender_id] = note or ""
    firsts = _first_questions(connection, ids) if ids else {}
    for row in rows:
        row["tags"] = tags_by.get(row["sender_id"], [])
        row["reviewed"] = reviewed.get(row["sender_id"], False)
        row["note"] = notes.get(row["sender_id"], "")
        row["topic_list"] = row["topics"].split() if row["topics"] else []
        row["first_question"] = firsts.get(row["sender_id"], "")
        row["language"] = row.get("language") or conversations.ENGLISH
    return rows


NEWEST_FIRST = (db.summaries.c.last_at.desc(), db.summaries.c.sender_id.desc())


def _count(connection: Connection, where: Any) -> int:
    return connection.execute(
        sa.select(sa.func.count()).select_from(db.summaries).where(where)
    ).scalar_one()


def _page_rows(
    connection: Connection, source: Any, filters: Filters, offset: int, where: Any = None
) -> list[dict[str, Any]]:
    """One page of ``source`` newest first: after or before a keyset cursor, else by offset."""
    c = source.c
    key = sa.tuple_(c.last_at, c.sender_id)
    query = sa.select(source).limit(PAGE_SIZE)
    if where is not None:
        query = query.where(where)
    if filters.sort != "newest":
        order = [c[column].desc() for column in SORTS[filters.sort][1]]
        if filters.sort == "oldest":
            order += [c.last_at, c.sender_id]
        else:
            order += [c.last_at.desc(), c.sender_id.desc()]
        query = query.order_by(*order).offset(offset)
        return [dict(row._mapping) for row in connection.execute(query)]
    if filters.after:
        query = query.where(key < sa.tuple_(*filters.after))
    elif filters.before:
        query = query.where(key > sa.tuple_(*filters.before))
    if filters.before:
        query = query.order_by(c.last_at, c.sender_id)
    else:
        query = query.order_by(c.last_at.desc(), c.sender_id.desc())
    if not (filters.after or filters.before):
        query = query.offset(offset)
    rows = [dict(row._mapping) for row in connection.execute(query)]
    return rows[::-1] if filters.before else rows


def conversation_page(connection: Connection, filters: Filters) -> Page:
    conversations.refresh_summaries(connection)
    where = sa.and_(*_conditions(filters, connection))
    if filters.q:
        # A search reads its matches once: the total comes with the page (a count over every
        # match), not from a second query that would search again.
        total_label = "matching_total"
        matches = (
            sa.select(db.summaries, sa.func.count().over().label(total_label))
            .where(where)
            .subquery()
        )
        rows = _page_rows(connection, matches, filters, (filters.page - 1) * PAGE_SIZE)
        total = rows[0][total_label] if rows else _count(connection, where)
        for row in rows:
            del row[total_label]
    else:
        total = _count(connection, where)
        rows = None
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(filters.page, pages)
    if rows is None or (not rows and total):  # no search, or a page number past the end
        rows = _page_rows(connection, db.summaries, filters, (page - 1) * PAGE_SIZE, where)
    return Page(_decorate(connection, rows), total, page, pages, filters.sort == "newest")


def known_topics(connection: Connection) -> list[str]:
    """Every topic of a listed conversation (from the daily counts: a small table)."""
    topic = db.daily_topic_counts.c.topic
    return list(connection.execute(sa.select(topic).distinct().order_by(topic)).scalars())


def known_tags(connection: Connection) -> list[str]:
    return [
        row[0]
        for row in connection.execute(sa.select(db.tags.c.tag).distinct().order_by(db.tags.c.tag))
    ]


def conversation(connection: Connection, sender_id: str) -> dict[str, Any] | None:
    conversations.refresh_summaries(connection)
    row = connection.execute(
        sa.select(db.summaries).where(db.summaries.c.sender_id == sender_id)
    ).first()
    if row is None:
        return None
    result = _decorate(connection, [dict(row._mapping)])[0]
    result["messages"] = conversations.messages(
        conversations.conversation_events(connection, sender_id)
    )
    return result


def export_rows(connection: Connection, filters: Filters) -> list[dict[str, Any]]:
    """The filtered conversations (at most EXPORT_LIMIT), each with its messages."""
    conversations.refresh_summaries(connection)
    rows = [
        dict(row._mapping)
        for row in connection.execute(
            sa.select(db.summaries)
            .where(sa.and_(*_conditions(filters, connection, exporting=True)))
            .order_by(*NEWEST_FIRST)
            .limit(EXPORT_LIMIT)
        )
    ]
    rows = _decorate(connection, rows)
    events = conversations.events_by_conversation(connection, [row["sender_id"] for row in rows])
    for row in rows:
        row["messages"] = [
            m for m in conversations.messages(events[row["sender_id"]]) if not m.automatic
        ]
    return rows


# ---- Insights -------------------------------------------------------------------------------

SIMILAR = signals.SIMILAR  # Jaccard overlap of content words for two questions to be grouped
_words = signals.content_words
# Real questions first, then what people type to try the box, then keyboard mash.
KIND_ORDER = {"question": 0, "probe": 1, "mash": 2}


def group_questions(questions: list[str]) -> list[dict[str, Any]]:
    """Group similar questions (content-word overlap); most frequent groups first.

    Questions with the same content words go together. Each new set of words joins
    the first group it overlaps most with (at least SIMILAR), else starts one. Only
    groups sharing a word with it can reach SIMILAR, so only those are compared (an
    index from words to groups); questions with no content words form one group.
    """
    by_words: dict[frozenset[str], list[str]] = {}
    for question in questions:
        by_words.setdefault(_words(question), []).append(question)
    groups: list[dict[str, Any]] = []
    by_word: dict[str, set[int]] = defaultdict(set)
    for words, asked in by_words.items():
        candidates = sorted(set().union(*(by_word.get(word, ()) for word in words)))
        best, best_score = None, 0.0
        for number in candidates:
            group_words = groups[number]["words"]
            score = len(words & group_words) / len(words | group_words)
            if score > best_score:
                best, best_score = number, score
        if best is None or best_score < SIMILAR:
            best = len(groups)
            groups.append({"words": frozenset(), "questions": []})
        groups[best]["questions"] += asked
        groups[best]["words"] |= words
        for word in words:
            by_word[word].add(best)
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


def _unanswered(connection: Connection, start: float, end: float) -> list[tuple[str, bool]]:
    """The newest QUESTION_LIMIT questions not understood in the period, oldest first,
    each with whether the assistant found it was not words; none from a sensitive
    conversation."""
    m, s = db.messages.c, db.summaries.c
    sensitive = sa.select(s.sender_id).where(s.sensitive.is_(True))
    newest = connection.execute(
        sa.select(m.text, m.noise)
        .where(m.fallback.is_(True), m.at >= start, m.at < end, m.sender_id.not_in(sensitive))
        .order_by(m.at.desc(), m.event_id.desc())
        .limit(QUESTION_LIMIT)
    ).all()
    return [(text, bool(noise)) for text, noise in reversed(newest)]


def unanswered_groups(
    questions: list[tuple[str, bool]], dismissed: dismissals.Dismissed
) -> tuple[list[dict[str, Any]], dict[int, dict[str, Any]]]:
    """The grouped questions not dismissed, real questions first (then probes, then mash,
    each most frequent first), and what each dismissal in force set aside."""
    kept: list[str] = []
    noise: dict[str, bool] = {}
    hidden: dict[int, list[str]] = defaultdict(list)
    for text, not_words in questions:
        found = dismissed.match(text)
        if found is None:
            kept.append(text)
            noise[text.strip()] = noise.get(text.strip(), False) or not_words
        else:
            hidden[found].append(text.strip())
    groups = group_questions(kept)
    for group in groups:
        group["kind"] = signals.question_kind(group["example"], noise.get(group["example"]))
        group["keys"] = sorted({dismissals.question_key(q) for q in group["questions"]})
    groups.sort(key=lambda g: (KIND_ORDER[g["kind"]], -g["count"], g["example"].lower()))
    set_aside = {
        number: {"count": 0, "example": pattern, "pattern": True}
        for number, pattern in dismissed.patterns.items()
    }
    for number, texts in hidden.items():
        pattern = number in dismissed.patterns
        example = dismissed.patterns[number] if pattern else Counter(texts).most_common(1)[0][0]
        set_aside[number] = {"count": len(texts), "example": example, "pattern": pattern}
    return groups, set_aside


def by_language(connection: Connection, start: float, end: float) -> list[dict[str, Any]]:
    """The conversations that started in the period, counted per language (English first),
    as the daily counts count them: with at least one visitor message."""
    s = db.summaries.c
    language = language_of(s).label("language")
    counted = {
        row.language: row
        for row in connection.execute(
            sa.select(
                language,
                sa.func.count().label("conversations"),
                sa.func.sum(s.user_messages).label("messages"),
                sa.func.sum(s.fallbacks).label("fallbacks"),
                sa.func.sum(s.feedback_up).label("up"),
                sa.func.sum(s.feedback_down).label("down"),
            )
            .where(s.user_messages > 0, s.started_at >= start, s.started_at < end)
            .group_by(language)
        )
    }
    rows = []
    for code, name in LANGUAGES.items():
        row = counted.get(code)
        messages, fallbacks = (int(row.messages), int(row.fallbacks)) if row else (0, 0)
        up, down = (int(row.up), int(row.down)) if row else (0, 0)
        rows.append(
            {
                "language": code,
                "name": name,
                "conversations": row.conversations if row else 0,
                "messages": messages,
                "fallback_rate": fallbacks / messages if messages else None,
                "up": up,
                "down": down,
                "feedback_ratio": up / (up + down) if up + down else None,
            }
        )
    return rows


def insights(connection: Connection, date_from: date, date_to: date) -> dict[str, Any]:
    """Counts per day, totals and top topics from the daily counts; unanswered questions."""
    conversations.refresh_summaries(connection)
    first, last = (date_from - EPOCH).days, (date_to - EPOCH).days
    counts = db.daily_counts.c
    per_day = {
        row.day: row
        for row in connection.execute(
            sa.select(db.daily_counts).where(counts.day >= first, counts.day <= last)
        )
    }
    totals = {
        name: sum(getattr(row, column) for row in per_day.values())
        for name, column in (
            ("conversations", "conversations"),
            ("messages", "messages"),
            ("fallbacks", "fallbacks"),
            ("up", "feedback_up"),
            ("down", "feedback_down"),
        )
    }
    t = db.daily_topic_counts.c
    in_conversations = sa.func.sum(t.conversations).label("conversations")
    topics = connection.execute(
        sa.select(t.topic, in_conversations)
        .where(t.day >= first, t.day <= last)
        .group_by(t.topic)
        .order_by(in_conversations.desc(), t.topic)
        .limit(20)
    ).all()
    start, end = period(date_from, date_to)
    groups, set_aside = unanswered_groups(
        _unanswered(connection, start, end), dismissals.in_force(connection)
    )
    rated = totals["up"] + totals["down"]
    days = []
    for number in range(first, last + 1):
        row = per_day.get(number)
        days.append(
            {
                "day": (EPOCH + timedelta(days=number)).isoformat(),
                "conversations": row.conversations if row else 0,
                "messages": row.messages if row else 0,
            }
        )
    return {
        "days": days,
        "totals": totals,
        "topics": [(topic, int(count)) for topic, count in topics],
        "fallback_rate": totals["fallbacks"] / totals["messages"] if totals["messages"] else None,
        "feedback_ratio": totals["up"] / rated if rated else None,
        "unanswered": groups,
        "set_aside": set_aside,
        "languages": by_language(connection, start, end),
        "confident_rate": (
            sum(row.confident_answers or 0 for row in per_day.values()) / totals["messages"]
            if totals["messages"]
            else None
        ),
    }


@dataclass(frozen=True)
class GroupPage:
    """One page of the grouped unanswered questions."""

    groups: list[dict[str, Any]]
    number: int
    pages: int
    first: int  # the number of its first group, from 1
    total: int  # groups on every page
    questions: int  # questions on this page


def group_page(groups: list[dict[str, Any]], page: int, per_page: int) -> GroupPage:
    pages = max(1, -(-len(groups) // per_page))
    page = min(max(page, 1), pages)
    start = (page - 1) * per_page
    shown = groups[start : start + per_page]
    return GroupPage(
        shown, page, pages, start + 1, len(groups), sum(group["count"] for group in shown)
    )
