"""Daily counts for the console's insights, kept from the conversation summaries.

``console_daily`` holds, per UTC day on which conversations started, how many there
were and their visitor messages, fallbacks, confident and low-confidence answers and
ratings; ``console_daily_topics`` how
many of them touched each topic. They are a cache of ``console_summaries``: whoever
changes or deletes summaries recounts the days concerned (:func:`recount`), so the
insights page reads at most a few thousand rows whatever the number of conversations.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bot.storage import database as db

DAY_SECONDS = 86_400
BATCH = 400


def day_number(column: Any, dialect: str) -> Any:
    """Days since 1970-01-01 (UTC) of a timestamp column, in SQL."""
    days = column / DAY_SECONDS
    if dialect == "postgresql":
        return sa.cast(sa.func.floor(days), sa.Integer)
    return sa.cast(days, sa.Integer)  # SQLite truncates; timestamps are positive


def days_of(connection: Connection, sender_ids: list[str]) -> set[int]:
    """The days on which these conversations started, as their summaries say."""
    s = db.summaries.c
    found: set[int] = set()
    for start in range(0, len(sender_ids), BATCH):
        chunk = sender_ids[start : start + BATCH]
        found.update(
            int(at // DAY_SECONDS)
            for (at,) in connection.execute(
                sa.select(s.started_at).where(s.sender_id.in_(chunk), s.started_at.isnot(None))
            )
        )
    return found


def recount(connection: Connection, days: Iterable[int]) -> None:
    """Count these days again from the summaries."""
    s, t = db.summaries.c, db.summary_topics.c
    for day in sorted(set(days)):
        started = sa.and_(
            s.user_messages > 0,
            s.started_at >= day * DAY_SECONDS,
            s.started_at < (day + 1) * DAY_SECONDS,
        )
        for table in (db.daily_counts, db.daily_topic_counts):
            connection.execute(table.delete().where(table.c.day == day))
        connection.execute(
            db.daily_counts.insert().from_select(
                [
                    "day",
                    "conversations",
                    "messages",
                    "fallbacks",
                    "feedback_up",
                    "feedback_down",
                    "confident_answers",
                    "low_confidence",
                ],
                sa.select(
                    sa.literal(day),
                    sa.func.count(),
                    sa.func.sum(s.user_messages),
                    sa.func.sum(s.fallbacks),
                    sa.func.sum(s.feedback_up),
                    sa.func.sum(s.feedback_down),
                    sa.func.coalesce(sa.func.sum(s.confident_answers), 0),
                    sa.func.coalesce(sa.func.sum(s.low_confidence), 0),
                )
                .where(started)
                .having(sa.func.count() > 0),
            )
        )
        connection.execute(
            db.daily_topic_counts.insert().from_select(
                ["day", "topic", "conversations"],
                sa.select(sa.literal(day), t.topic, sa.func.count())
                .select_from(db.summary_topics.join(db.summaries, s.sender_id == t.sender_id))
                .where(started)
                .group_by(t.topic),
            )
        )
