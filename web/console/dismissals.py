"""Unanswered questions a recruiter set aside: one question, or every question containing
some words (a pattern). Stored, audited and reversible: restoring marks the row restored.

A question is kept as a SHA-256 of its normalised text, so no visitor text outlives its
conversation here; a pattern is the recruiter's own words, redacted like a note.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bot.storage import database as db

QUESTION, PATTERN = "question", "pattern"
KEY = re.compile(r"^[0-9a-f]{64}$")
MIN_PATTERN, MAX_PATTERN = 3, 100


def normalise(text: str) -> str:
    return " ".join(text.lower().split())


def question_key(text: str) -> str:
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Dismissed:
    """The dismissals in force."""

    keys: dict[str, int]  # question key: dismissal id
    patterns: dict[int, str]  # dismissal id: pattern

    def match(self, text: str) -> int | None:
        """The id of the dismissal that covers ``text``, if any."""
        found = self.keys.get(question_key(text))
        if found is not None:
            return found
        normal = normalise(text)
        return next((i for i, pattern in self.patterns.items() if pattern in normal), None)


def in_force(connection: Connection) -> Dismissed:
    d = db.dismissals.c
    keys, patterns = {}, {}
    for row in connection.execute(
        sa.select(d.id, d.kind, d.value).where(d.restored_at.is_(None)).order_by(d.id)
    ):
        if row.kind == QUESTION:
            keys[row.value] = row.id
        else:
            patterns[row.id] = row.value
    return Dismissed(keys, patterns)


def dismiss_questions(connection: Connection, keys: list[str], actor: str) -> int:
    """Dismiss these questions (by key); how many were not dismissed already."""
    d = db.dismissals.c
    present = set(
        connection.execute(
            sa.select(d.value).where(
                d.kind == QUESTION, d.value.in_(keys), d.restored_at.is_(None)
            )
        ).scalars()
    )
    new = [k for k in keys if k not in present]
    if new:
        now = time.time()
        connection.execute(
            db.dismissals.insert(),
            [{"kind": QUESTION, "value": k, "created_by": actor, "created_at": now} for k in new],
        )
    return len(new)


def dismiss_pattern(connection: Connection, pattern: str, actor: str) -> int:
    """Dismiss every question containing ``pattern``; the dismissal's id."""
    made = connection.execute(
        db.dismissals.insert().values(
            kind=PATTERN, value=pattern, created_by=actor, created_at=time.time()
        )
    )
    return made.inserted_primary_key[0]


def restore(connection: Connection, dismissal_id: int, actor: str) -> bool:
    """Put a dismissal's questions back in the list; False if it is not in force."""
    d = db.dismissals.c
    return bool(
        connection.execute(
            db.dismissals.update()
            .where(d.id == dismissal_id, d.restored_at.is_(None))
            .values(restored_by=actor, restored_at=time.time())
        ).rowcount
    )


def pattern_rows(connection: Connection) -> list[dict]:
    """The patterns in force, newest first, for the insights page."""
    d = db.dismissals.c
    rows = connection.execute(
        sa.select(d.id, d.value, d.created_by, d.created_at)
        .where(d.kind == PATTERN, d.restored_at.is_(None))
        .order_by(d.id.desc())
    )
    return [dict(row._mapping) for row in rows]
