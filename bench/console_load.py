"""Write generated conversations (bench/console_data.py) into SQLite or PostgreSQL.

    python -m bench.console_load --conversations 100000 --sqlite var/bench/console.db
    python -m bench.console_load --conversations 100000 \\
        --postgresql postgresql://postgres@127.0.0.1:5432/test --schema console_bench

The target starts empty (the SQLite file or the PostgreSQL schema is replaced).
Rasa's own tracker store creates the ``events`` table, exactly as a running
assistant would; rows go in by bulk insert (``executemany`` on SQLite, ``COPY`` on
PostgreSQL); then the console's summaries are built by the console's own code
(:func:`web.console.conversations.refresh_summaries`), as the first page view after a busy
day would build them.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from bench.console_data import conversations
from bot.storage import database as db
from web.console.conversations import refresh_summaries

COLUMNS = ("sender_id", "type_name", "timestamp", "intent_name", "action_name", "data")
BATCH = 2000  # conversations per insert batch
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/test"


@dataclass(frozen=True)
class Target:
    """Where to write: an SQLite file, or a schema of a PostgreSQL database."""

    kind: str  # "sqlite" or "postgresql"
    url: str
    schema: str | None = None

    @classmethod
    def sqlite(cls, path: Path) -> Target:
        return cls("sqlite", f"sqlite:///{Path(path).resolve()}")

    @classmethod
    def postgresql(cls, url: str, schema: str) -> Target:
        if not schema.isidentifier():
            raise ValueError(f"{schema!r} is not a plain schema name")
        return cls("postgresql", url, schema)

    def engine(self) -> Engine:
        return db.make_engine(self.url, schema=self.schema or "")


@dataclass
class Loaded:
    conversations: int
    events: int
    insert_seconds: float
    summary_seconds: float


@contextmanager
def _environment(**values: str) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            os.environ.pop(key) if value is None else os.environ.__setitem__(key, value)


def reset(target: Target) -> None:
    """Make the target empty: a new SQLite file, or a new PostgreSQL schema."""
    if target.kind == "sqlite":
        path = Path(target.url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        return
    engine = sa.create_engine(target.url, future=True)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{target.schema}" CASCADE'))
            connection.execute(sa.text(f'CREATE SCHEMA "{target.schema}"'))
    finally:
        engine.dispose()


def create_rasa_table(target: Target) -> None:
    """Let Rasa's SQL tracker store create its ``events`` table, as it does on start-up."""
    from bot.storage.tracker_store import RedactingSQLTrackerStore

    if target.kind == "sqlite":
        store = RedactingSQLTrackerStore(dialect="sqlite", db=target.url.removeprefix("sqlite:///"))
    else:
        url = sa.engine.make_url(target.url)
        with _environment(POSTGRESQL_SCHEMA=target.schema):
            store = RedactingSQLTrackerStore(
                dialect="postgresql",
                host=url.host,
                port=url.port,
                db=url.database,
                username=url.username,
                password=url.password,
            )
    store.engine.dispose()


def _insert_sqlite(connection: Connection, rows: list[dict]) -> None:
    connection.execute(db.events.insert(), rows)  # one executemany


def _insert_postgresql(connection: Connection, rows: list[dict]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(["" if row[c] is None else row[c] for c in COLUMNS])
    buffer.seek(0)
    cursor = connection.connection.cursor()
    # In CSV, an unquoted empty field is NULL: only the optional columns are ever empty.
    cursor.copy_expert(f"COPY events ({', '.join(COLUMNS)}) FROM STDIN WITH (FORMAT csv)", buffer)


def insert_events(engine: Engine, batches: Iterable[list[list[dict]]]) -> tuple[int, int]:
    """Insert batches of conversations' rows; return (conversations, events)."""
    insert = _insert_sqlite if engine.dialect.name == "sqlite" else _insert_postgresql
    count = events = 0
    for batch in batches:
        rows = [row for conversation in batch for row in conversation]
        with engine.begin() as connection:
            insert(connection, rows)
        count, events = count + len(batch), events + len(rows)
    return count, events


def _batched(items: Iterable[list[dict]], size: int) -> Iterator[list[list[dict]]]:
    batch: list[list[dict]] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def analyse(engine: Engine, tables: list[sa.Table]) -> None:
    """PostgreSQL: what autovacuum does soon after a bulk load; without it the planner guesses
    (and reads the whole events table for every batch of conversations)."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            for table in tables:
                connection.execute(sa.text(f"ANALYZE {table.name}"))


def load(target: Target, count: int, now: float | None = None, seed: int = 1) -> Loaded:
    """Replace the target's content with ``count`` generated conversations and summaries."""
    now = time.time() if now is None else now
    return load_rows(target, conversations(count, now, seed=seed))


def load_rows(target: Target, generated: Iterable[list[dict]]) -> Loaded:
    """Replace the target's content with these conversations' rows, and summarise them."""
    reset(target)
    create_rasa_table(target)
    engine = target.engine()
    try:
        started = time.perf_counter()
        count, events = insert_events(engine, _batched(generated, BATCH))
        analyse(engine, [db.events])
        inserted = time.perf_counter()
        with engine.begin() as connection:
            refresh_summaries(connection)
        analyse(engine, db.CONSOLE_TABLES)
        summarised = time.perf_counter()
    finally:
        engine.dispose()
    return Loaded(count, events, inserted - started, summarised - inserted)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.console_load", description=__doc__)
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--sqlite", type=Path, help="SQLite file to create (replaced)")
    where.add_argument("--postgresql", nargs="?", const=DEFAULT_PG_URL, help="database URL")
    parser.add_argument("--schema", default="console_bench", help="PostgreSQL schema (replaced)")
    args = parser.parse_args(argv)
    if args.conversations < 1:
        parser.error("--conversations must be at least 1")
    target = (
        Target.sqlite(args.sqlite)
        if args.sqlite
        else Target.postgresql(args.postgresql, args.schema)
    )
    result = load(target, args.conversations, seed=args.seed)
    print(
        f"{result.conversations} conversations, {result.events} events: inserted in "
        f"{result.insert_seconds:.1f} s, summarised in {result.summary_seconds:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
