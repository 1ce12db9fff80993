"""Retention: delete conversations older than N days; erase one conversation on request.

``python -m bot.storage.retention --days 90`` (default from ``RETENTION_DAYS``,
else 90) deletes every conversation whose *last* event is older than N days:
its Rasa events and the console's summary, search copy of what the visitor typed,
tags, reviewed mark and note. A sensitive conversation, in which the visitor said
something special-category or criminal-offence about themselves
(``bot.privacy.special_category``), goes after ``SENSITIVE_RETENTION_DAYS`` (30): it
is found from the stored events themselves, so the console need not have summarised it.
Each run and each erasure writes one audit record holding counts and, for an
erasure, the conversation id; never message text. On SQLite, nothing deleted stays in
the file (``database.after_erasing``).

Requests sent to the recruitment team are deleted ``REQUEST_RETENTION_DAYS`` (30) after
they were answered or closed (``bot.storage.requests``); erasing a conversation erases its
requests too.

Before purging, stored conversations are redacted again if the redaction rules have
changed since they were written (``bot.storage.redact_stored``).

``make run`` calls :func:`purge_expired` once a day (see ``run_daily``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from bot.privacy import special_categories
from bot.storage import daily, requests
from bot.storage import database as db
from bot.storage.audit import Client, record
from bot.storage.redact_stored import redact_stored_if_rules_changed

DEFAULT_DAYS = 90
DEFAULT_SENSITIVE_DAYS = 30
DAY = 24 * 60 * 60
BATCH = 500
SYSTEM_ACTOR = "system:retention"


def _days(env, name: str, default: int) -> int:
    raw = env.get(name) or str(default)
    try:
        days = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number of days, not {raw!r}") from None
    if days < 1:
        raise ValueError(f"{name} must be at least 1")
    return days


def retention_days(env=None) -> int:
    env = os.environ if env is None else env
    return _days(env, "RETENTION_DAYS", DEFAULT_DAYS)


def sensitive_retention_days(env=None) -> int:
    """Days a sensitive conversation is kept: at most ``RETENTION_DAYS``.

    Unset, 30 days, or ``RETENTION_DAYS`` if that is shorter; set to more than
    ``RETENTION_DAYS``, an error.
    """
    env = os.environ if env is None else env
    days = retention_days(env)
    if not env.get("SENSITIVE_RETENTION_DAYS"):
        return min(DEFAULT_SENSITIVE_DAYS, days)
    sensitive = _days(env, "SENSITIVE_RETENTION_DAYS", DEFAULT_SENSITIVE_DAYS)
    if sensitive > days:
        raise ValueError("SENSITIVE_RETENTION_DAYS must not be more than RETENTION_DAYS")
    return sensitive


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


def expired_conversations(
    connection: Connection, cutoff: float, newer_than: float | None = None
) -> list[str]:
    """Conversations whose last event is before ``cutoff`` (and after ``newer_than``)."""
    last = sa.func.max(db.events.c.timestamp)
    condition = sa.or_(last < cutoff, last.is_(None))
    if newer_than is not None:
        condition = sa.and_(last < cutoff, last >= newer_than)
    query = sa.select(db.events.c.sender_id).group_by(db.events.c.sender_id).having(condition)
    return [row[0] for row in connection.execute(query)]


def sensitive_conversations(connection: Connection, sender_ids: list[str]) -> set[str]:
    """Those of ``sender_ids`` in which the visitor typed a special-category statement."""
    events = db.events.c
    found: set[str] = set()
    for start in range(0, len(sender_ids), BATCH):
        chunk = sender_ids[start : start + BATCH]
        rows = connection.execute(
            sa.select(events.sender_id, events.data).where(
                events.sender_id.in_(chunk), events.type_name == "user"
            )
        )
        for sender_id, data in rows:
            if sender_id not in found and special_categories(_typed_text(data)):
                found.add(sender_id)
    return found


def _typed_text(data: str | None) -> str:
    try:
        text = json.loads(data or "{}").get("text")
    except (ValueError, AttributeError):
        return ""
    return text if isinstance(text, str) else ""


def purge_expired(
    engine: Engine, days: int, now: float | None = None, sensitive_days: int | None = None
) -> int:
    """Delete conversations whose last event is older than ``days``, and sensitive ones
    older than ``sensitive_days``; return how many.

    One transaction per BATCH conversations, so Rasa's writes wait at most for one batch
    (SQLite has one writer at a time) even when a long backlog is purged.
    """
    now = now if now is not None else time.time()
    sensitive_days = min(days, sensitive_days or days)
    with engine.connect() as connection:
        expired = expired_conversations(connection, now - days * DAY)
        sensitive: set[str] = set()
        if sensitive_days < days:
            younger = expired_conversations(
                connection, now - sensitive_days * DAY, newer_than=now - days * DAY
            )
            sensitive = sensitive_conversations(connection, younger)
    expired += sorted(sensitive)
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
                sensitive_days=sensitive_days,
                conversations=conversations_removed,
                sensitive_conversations=len(sensitive),
                events=events_removed,
            )
    if conversations_removed:
        db.after_erasing(engine)
    return conversations_removed


def erase_conversation(
    engine: Engine, conversation_id: str, actor: str, client: Client | None = None
) -> int:
    """Erase one conversation (a visitor's erasure request); return the events removed."""
    with engine.begin() as connection:
        removed = _delete_conversations(connection, [conversation_id])
        erased_requests = requests.erase_for_conversation(connection, conversation_id)
        record(connection, actor, "erase", conversation_id, client=client, events=removed,
               requests=erased_requests)
    db.after_erasing(engine)
    return removed


def run_daily(engine_factory=db.make_engine, days: int | None = None) -> threading.Event:
    """Purge now and then every 24 hours in a daemon thread; set the returned event to stop.

    For ``bot.ops.run``: ``stop = run_daily()`` after the services start, ``stop.set()``
    on the way out.
    """
    stop = threading.Event()
    days = days or retention_days()
    sensitive_days = sensitive_retention_days({**os.environ, "RETENTION_DAYS": str(days)})
    request_days = requests.retention_days()

    def loop() -> None:
        engine = engine_factory()
        try:
            while not stop.is_set():
                try:
                    redact_stored_if_rules_changed(engine)
                    count = purge_expired(engine, days, sensitive_days=sensitive_days)
                    finished = requests.purge_finished(engine, request_days)
                    print(
                        f"Retention: removed {count} conversations older than {days} days "
                        f"and {finished} requests finished over {request_days} days ago",
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
    parser.add_argument(
        "--sensitive-days",
        type=int,
        default=None,
        help="keep sensitive conversations this many days (SENSITIVE_RETENTION_DAYS, 30)",
    )
    args = parser.parse_args(argv)
    try:
        days = args.days if args.days is not None else retention_days()
        env = {**os.environ, "RETENTION_DAYS": str(days)}
        if args.sensitive_days is not None:
            env["SENSITIVE_RETENTION_DAYS"] = str(args.sensitive_days)
        sensitive_days = sensitive_retention_days(env)
        request_days = requests.retention_days()
    except ValueError as error:
        parser.error(str(error))
    if days < 1:
        parser.error("--days must be at least 1")
    engine = db.make_engine()
    try:
        redact_stored_if_rules_changed(engine)
        count = purge_expired(engine, days, sensitive_days=sensitive_days)
        finished = requests.purge_finished(engine, request_days)
    finally:
        engine.dispose()
    print(
        f"Removed {count} conversations whose last message is older than {days} days "
        f"({sensitive_days} days for sensitive conversations), and {finished} requests to "
        f"the recruitment team answered or closed over {request_days} days ago."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
