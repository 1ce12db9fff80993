"""Week by week: the not-understood rate, the confident-answer rate and the ratings (from
the daily counts), and helpful or not helpful by topic (from the ratings that count,
one per answer). Weeks start on Monday (UTC)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bot.storage import daily
from bot.storage import database as db

EPOCH = date(1970, 1, 1)


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def weekly(connection: Connection, date_from: date, date_to: date) -> list[dict[str, Any]]:
    """One row per week that overlaps the period, oldest first, with its rates."""
    first, last = (date_from - EPOCH).days, (date_to - EPOCH).days
    c = db.daily_counts.c
    counted = ("conversations", "messages", "fallbacks", "confident", "up", "down")
    weeks: dict[date, dict[str, int]] = {}
    monday = week_of(date_from)
    while monday <= date_to:
        weeks[monday] = dict.fromkeys(counted, 0)
        monday += timedelta(days=7)
    for row in connection.execute(
        sa.select(db.daily_counts).where(c.day >= first, c.day <= last)
    ):
        week = weeks[week_of(EPOCH + timedelta(days=row.day))]
        week["conversations"] += row.conversations
        week["messages"] += row.messages or 0
        week["fallbacks"] += row.fallbacks or 0
        week["confident"] += row.confident_answers or 0
        week["up"] += row.feedback_up or 0
        week["down"] += row.feedback_down or 0
    return [
        {
            "week": monday.isoformat(),
            **counts,
            "not_understood_rate": _rate(counts["fallbacks"], counts["messages"]),
            "confident_rate": _rate(counts["confident"], counts["messages"]),
            "helpful_rate": _rate(counts["up"], counts["up"] + counts["down"]),
        }
        for monday, counts in weeks.items()
    ]


def topic_satisfaction(
    connection: Connection, start: float, end: float
) -> dict[str, list[dict[str, Any]]]:
    """Helpful and not helpful per topic over the period, and per week and topic."""
    r = db.ratings.c
    day = daily.day_number(r.at, connection.dialect.name).label("day")
    count = sa.func.count().label("count")
    rows = connection.execute(
        sa.select(r.topic, r.rating, day, count)
        .where(r.at >= start, r.at < end)
        .group_by(r.topic, r.rating, day)
    ).all()
    totals: dict[str, dict[str, int]] = defaultdict(lambda: {"up": 0, "down": 0})
    by_week: dict[tuple[date, str], dict[str, int]] = defaultdict(lambda: {"up": 0, "down": 0})
    for topic, rating, number, found in rows:
        if rating not in ("up", "down"):
            continue
        totals[topic][rating] += found
        by_week[(week_of(EPOCH + timedelta(days=int(number))), topic)][rating] += found

    def row(counts: dict[str, int], **key: Any) -> dict[str, Any]:
        return {**key, **counts, "helpful_rate": _rate(counts["up"], counts["up"] + counts["down"])}

    return {
        "topics": sorted(
            (row(counts, topic=topic) for topic, counts in totals.items()),
            key=lambda t: (-(t["up"] + t["down"]), t["topic"]),
        ),
        "weeks": [
            row(by_week[key], week=key[0].isoformat(), topic=key[1])
            for key in sorted(by_week, key=lambda k: (k[0], k[1]), reverse=True)
        ],
    }
