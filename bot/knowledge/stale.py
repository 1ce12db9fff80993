"""Which entries are due for review: their `reviewed` date is older than N months."""

from __future__ import annotations

from calendar import monthrange
from datetime import date
from typing import NamedTuple

from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema import Entry


class StaleEntry(NamedTuple):
    entry: Entry
    months: int  # whole months since it was reviewed


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier (the 31st becomes the month's last day)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def months_between(earlier: date, later: date) -> int:
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (later.day < earlier.day)


def stale_entries(
    kb: KnowledgeBase, months: int = 12, today: date | None = None
) -> list[StaleEntry]:
    """Entries reviewed before the day `months` ago, oldest first."""
    today = today or date.today()
    cutoff = months_before(today, months)
    stale = [
        StaleEntry(entry, months_between(entry.reviewed, today))
        for entry in kb.entries.values()
        if entry.reviewed < cutoff
    ]
    return sorted(stale, key=lambda item: item.entry.reviewed)
