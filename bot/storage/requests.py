"""Questions visitors send to the recruitment team: stored, answered, closed, deleted.

A request holds the visitor's question (redacted like everything a visitor types), the
email address they gave for the reply, and the id of the conversation it came from (the
console shows that conversation as stored, redacted). The address is the one personal
detail kept, and only here: never in the tracker store, the conversation log, the audit
trail or an export. A request is finished when a recruiter replies or closes it, and is
deleted ``REQUEST_RETENTION_DAYS`` (30) after that; an administrator can erase one at any
time, and erasing a conversation erases its requests.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from bot.privacy import redact
from bot.storage import database as db
from bot.storage.audit import Client, record

NEW, REPLIED, CLOSED = "new", "replied", "closed"
STATUSES = (NEW, REPLIED, CLOSED)
# Why a recruiter closed a request without replying: fixed choices, so no free text (and
# no personal detail) is kept about it.
CLOSE_REASONS = {
    "answered-elsewhere": "Answered another way",
    "not-for-recruitment": "Not a question for the recruitment team",
    "duplicate": "Same as another request",
    "spam": "Spam or abuse",
}
DEFAULT_RETENTION_DAYS = 30
DAY = 24 * 60 * 60
SYSTEM_ACTOR = "system:retention"


def retention_days(env: Mapping[str, str] | None = None) -> int:
    env = os.environ if env is None else env
    raw = env.get("REQUEST_RETENTION_DAYS") or str(DEFAULT_RETENTION_DAYS)
    try:
        days = int(raw)
    except ValueError:
        raise ValueError(
            f"REQUEST_RETENTION_DAYS must be a whole number of days, not {raw!r}"
        ) from None
    if days < 1:
        raise ValueError("REQUEST_RETENTION_DAYS must be at least 1")
    return days


def add(connection: Connection, question: str, email: str, conversation_id: str | None) -> int:
    """Store a new request; the question is redacted first. Its id."""
    result = connection.execute(
        db.requests.insert().values(
            created_at=time.time(),
            conversation_id=conversation_id,
            question=redact(question).text,
            email=email,
            status=NEW,
        )
    )
    return int(result.inserted_primary_key[0])


def counts(connection: Connection) -> dict[str, int]:
    """How many requests have each status."""
    found = dict(
        connection.execute(
            sa.select(db.requests.c.status, sa.func.count()).group_by(db.requests.c.status)
        ).all()
    )
    return {status: int(found.get(status, 0)) for status in STATUSES}


def listed(connection: Connection, status: str | None = None, limit: int = 200) -> list[dict]:
    """Requests, new ones first, then newest first; with ``status``, only those."""
    table = db.requests.c
    order = sa.case((table.status == NEW, 0), (table.status == REPLIED, 1), else_=2)
    query = sa.select(
        table.id, table.created_at, table.status, table.question, table.conversation_id,
        table.finished_at,
    ).order_by(order, table.created_at.desc(), table.id.desc()).limit(limit)
    if status in STATUSES:
        query = query.where(table.status == status)
    return [dict(row._mapping) for row in connection.execute(query)]


def get(connection: Connection, request_id: int) -> dict[str, Any] | None:
    row = connection.execute(sa.select(db.requests).where(db.requests.c.id == request_id)).first()
    return dict(row._mapping) if row else None


def mark_replied(connection: Connection, request_id: int, reply: str, actor: str) -> None:
    now = time.time()
    connection.execute(
        db.requests.update()
        .where(db.requests.c.id == request_id)
        .values(status=REPLIED, reply=reply, replied_at=now, replied_by=actor, finished_at=now)
    )


def close(connection: Connection, request_id: int, reason: str, actor: str) -> None:
    if reason not in CLOSE_REASONS:
        raise ValueError(f"unknown reason {reason!r}")
    now = time.time()
    connection.execute(
        db.requests.update()
        .where(db.requests.c.id == request_id)
        .values(status=CLOSED, close_reason=reason, closed_at=now, closed_by=actor,
                finished_at=sa.func.coalesce(db.requests.c.finished_at, now))
    )


def erase(connection: Connection, request_id: int) -> int:
    return connection.execute(
        db.requests.delete().where(db.requests.c.id == request_id)
    ).rowcount


def erase_for_conversation(connection: Connection, conversation_id: str) -> int:
    """Delete the requests sent from a conversation (its erasure takes them too)."""
    return connection.execute(
        db.requests.delete().where(db.requests.c.conversation_id == conversation_id)
    ).rowcount


def purge_finished(
    engine: Engine, days: int, now: float | None = None, client: Client | None = None
) -> int:
    """Delete requests replied to or closed more than ``days`` ago; audited with the count."""
    cutoff = (now if now is not None else time.time()) - days * DAY
    with engine.begin() as connection:
        removed = connection.execute(
            db.requests.delete().where(db.requests.c.finished_at < cutoff)
        ).rowcount
        record(connection, SYSTEM_ACTOR, "request-purge", client=client, days=days,
               requests=removed)
    if removed:
        db.after_erasing(engine)
    return removed
