"""What is due for review: entries checked too long ago, and dated facts grown old.

An entry's `reviewed` date says when someone last checked it against its source;
an `advertised` month dates the pay or campaign details an answer gives. Both are
reported once they are older than N months, so stale pay is found before a
visitor relies on it.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date
from typing import NamedTuple

from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema import Entry


class StaleEntry(NamedTuple):
    entry: Entry
    months: int  # whole months since it was reviewed


class OldFact(NamedTuple):
    entry: Entry
    field: str  # "pay.advertised", "apply.advertised" or "advertised"
    advertised: str  # year-month, as written
    months: int  # whole months since that month


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


def old_facts(kb: KnowledgeBase, months: int = 12, today: date | None = None) -> list[OldFact]:
    """Dated facts whose month is more than `months` months before this one, oldest first."""
    today = today or date.today()
    found = []
    for entry in kb.entries.values():
        for field, advertised in entry.dated().items():
            year, month = (int(part) for part in advertised.split("-"))
            age = (today.year - year) * 12 + today.month - month
            if age > months:
                found.append(OldFact(entry, field, advertised, age))
    return sorted(found, key=lambda fact: (fact.advertised, fact.entry.id, fact.field))
