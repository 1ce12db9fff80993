"""Check PostgreSQL and Redis before the production profile starts Rasa.

Rasa itself reports an unreachable database as a long stack trace (or keeps
retrying without saying what it waits for). Here each dependency is tried
first: a clear line while waiting, a retry every couple of seconds until
DEPENDENCY_WAIT seconds have passed, then a plain error. The database and the
schema are created on first start; Rasa and the console create their tables.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import redis
import sqlalchemy as sa
from sqlalchemy.exc import OperationalError, ProgrammingError

from bot.ops.profiles import Postgres, Profile, Redis, require_passwords


class DependencyError(RuntimeError):
    """A service the assistant needs is not reachable; the message says which and why."""


def ensure_dependencies(profile: Profile, wait: float = 30, report=print) -> None:
    require_passwords(profile)  # a ProfileError, before anything connects
    if profile.sqlite_path is not None:
        check_sqlite(profile.sqlite_path)
    if profile.postgres is not None:
        _retry(profile.postgres.address, lambda: prepare_postgres(profile.postgres), wait, report)
    if profile.redis is not None:
        _retry(profile.redis.address, lambda: ping_redis(profile.redis), wait, report)


def check_sqlite(path: Path) -> None:
    """The embedded profile's database file must be creatable and writable, or Rasa fails late."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(path, timeout=15)) as connection:
            connection.execute("CREATE TABLE IF NOT EXISTS _startup_check (id INTEGER)")
            connection.execute("DROP TABLE _startup_check")
    except (OSError, sqlite3.Error) as error:
        raise DependencyError(
            f"The conversation database {path} cannot be written ({_first_line(error)}). "
            f"Check the folder exists and is writable, or set TRACKER_DB."
        ) from None


def prepare_postgres(postgres: Postgres) -> None:
    """Connect, creating the database and the schema if they do not exist yet."""
    try:
        _create_schema(postgres)
    except OperationalError as error:
        if f'database "{postgres.database}" does not exist' not in str(error):
            raise
        _create_database(postgres)
        _create_schema(postgres)


def _create_database(postgres: Postgres) -> None:
    # CREATE DATABASE cannot run inside a transaction: use autocommit on the maintenance db.
    engine = sa.create_engine(postgres.url("postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            name = connection.dialect.identifier_preparer.quote(postgres.database)
            try:
                connection.execute(sa.text(f"CREATE DATABASE {name}"))
            except ProgrammingError as error:  # another worker created it meanwhile
                if "already exists" not in str(error):
                    raise
    finally:
        engine.dispose()


def _create_schema(postgres: Postgres) -> None:
    engine = sa.create_engine(postgres.url(), future=True)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text("SELECT 1"))
            if postgres.schema:
                name = connection.dialect.identifier_preparer.quote(postgres.schema)
                connection.execute(sa.text(f"CREATE SCHEMA IF NOT EXISTS {name}"))
    finally:
        engine.dispose()


def ping_redis(settings: Redis) -> None:
    client = redis.Redis(
        host=settings.host,
        port=settings.port,
        db=settings.db,
        username=settings.username or None,
        password=settings.password or None,
        socket_connect_timeout=2,
        socket_timeout=2,
    )
    try:
        client.ping()
    finally:
        client.close()


def _retry(what: str, attempt: Callable[[], None], wait: float, report) -> None:
    deadline = time.monotonic() + wait
    reported = False
    while True:
        try:
            attempt()
            if reported:
                report(f"{what}: reachable now.")
            return
        except (OperationalError, ProgrammingError, redis.RedisError, OSError) as error:
            reason = _first_line(error)
            if time.monotonic() >= deadline:
                raise DependencyError(
                    f"{what} is not reachable ({reason}). Start it, or set the connection "
                    f"settings (docs/deploy.md, 'Environment'), then try again."
                ) from None
            if not reported:
                report(f"{what} is not reachable ({reason}); retrying for up to {wait:.0f} s ...")
                reported = True
            time.sleep(min(2.0, max(0.0, deadline - time.monotonic())))


def _first_line(error: Exception) -> str:
    # psycopg2 errors span several lines and SQLAlchemy appends a URL to its FAQ.
    message = str(getattr(error, "orig", None) or error).strip()
    return message.splitlines()[0] if message else type(error).__name__
