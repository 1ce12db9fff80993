"""Retention: delete conversations older than N days; erase one conversation on request.

``python -m bot.storage.retention --days 90`` (default from ``RETENTION_DAYS``,
else 90) deletes every conversation whose *last* event is older than N days:
its Rasa events and the console's summary, search copy of what the visitor typed,
tags, reviewed mark and note. Each
run and each erasure writes one audit record holding counts and, for an
erasure, the conversation id; never message text.

``make run`` can call :func:`purge_expired` once a day (see ``run_daily``).
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from bot.storage import daily
from bot.storage import database as db
from bot.storage.audit import Client, record

DEFAULT_DAYS = 90
DAY = 24 * 60 * 60
BATCH = 500
SYSTEM_ACTOR = "system:retention"


def retention_days(env=None) -> int:
    env = os.environ if env is None else env
    raw = env.get("RETENTION_DAYS") or str(DEFAULT_DAYS)
    days = int(raw)
    if days < 1:
        raise ValueError("RETENTION_DAYS must be at least 1")
    return days


def _delete_conversations(connection: Connection, sender_ids: Iterable[str]) -> int:
    ids = list(sender_ids)
    removed = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        days = daily.days_of(connection, chunk)
        removed += connection.execute(
            db.events.delete().where(db.events.c.sender_id.in_(chunk))
        ).rowcount
        for table in db.CONVERSATION_TABLES:
            connection.execute(table.delete().where(table.c.sender_id.in_(chunk)))
        daily.recount(connection, days)  # the insights stop counting them too
    return removed


def expired_conversations(connection: Connection, cutoff: float) -> list[str]:
    last = sa.func.max(db.events.c.timestamp)
    query = (
        sa.select(db.events.c.sender_id)
        .group_by(db.events.c.sender_id)
        .having(sa.or_(last < cutoff, last.is_(None)))
    )
    return [row[0] for row in connection.execute(query)]


def purge_expired(engine: Engine, days: int, now: float | None = None) -> int:
    """Delete conversations whose last event is older than ``days``; return how many.

    One transaction per BATCH conversations, so Rasa's writes wait at most for one batch
    (SQLite has one writer at a time) even when a long backlog is purged.
    """
    cutoff = (now if now is not None else time.time()) - days * DAY
    with engine.connect() as connection:
        expired = expired_conversations(connection, cutoff)
    events_removed = conversations_removed = 0
    try:
        for start in range(0, len(expired), BATCH):
            chunk = expired[start : start + BATCH]
            with engine.begin() as connection:
                events_removed += _delete_conversations(connection, chunk)
            conversations_removed += len(chunk)
    finally:  # what was deleted is audited, even if a later batch failed
        with engine.begin() as connection:
            record(
                connection,
                SYSTEM_ACTOR,
                "retention-purge",
                days=days,
                conversations=conversations_removed,
                events=events_removed,
            )
    return conversations_removed


def erase_conversation(
    engine: Engine, conversation_id: str, actor: str, client: Client | None = None
) -> int:
    """Erase one conversation (a visitor's erasure request); return the events removed."""
    with engine.begin() as connection:
        removed = _delete_conversations(connection, [conversation_id])
        record(connection, actor, "erase", conversation_id, client=client, events=removed)
    return removed


def run_daily(engine_factory=db.make_engine, days: int | None = None) -> threading.Event:
    """Purge now and then every 24 hours in a daemon thread; set the returned event to stop.

    For ``bot.ops.run``: ``stop = run_daily()`` after the services start, ``stop.set()``
    on the way out.
    """
    stop = threading.Event()
    days = days or retention_days()

    def loop() -> None:
        engine = engine_factory()
        try:
            while not stop.is_set():
                try:
                    count = purge_expired(engine, days)
                    print(
                        f"Retention: removed {count} conversations older than {days} days",
                        flush=True,
                    )
                except Exception as error:  # keep serving; say what failed
                    print(f"Retention run failed: {error}", file=sys.stderr, flush=True)
                stop.wait(DAY)
        finally:
            engine.dispose()

    threading.Thread(target=loop, name="retention", daemon=True).start()
    return stop


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.storage.retention", description=__doc__)
    parser.add_argument(
        "--days", type=int, default=None, help="keep this many days (RETENTION_DAYS, 90)"
    )
    args = parser.parse_args(argv)
    try:
        days = args.days if args.days is not None else retention_days()
    except ValueError as error:
        parser.error(str(error))
    if days < 1:
        parser.error("--days must be at least 1")
    engine = db.make_engine()
    try:
        count = purge_expired(engine, days)
    finally:
        engine.dispose()
    print(f"Removed {count} conversations whose last message is older than {days} days.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
