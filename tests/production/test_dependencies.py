"""PostgreSQL and Redis are checked before Rasa starts: created if missing, retried, named."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from production_settings import POSTGRES
from service_accounts import redis_user

from bot.ops.dependencies import DependencyError, ensure_dependencies
from bot.ops.profiles import Postgres, Profile, Redis
from bot.ops.services import free_port

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def profile(postgres: Postgres | None = None, redis: Redis | None = None) -> Profile:
    return Profile(
        name="production", endpoints="endpoints.production.yml", postgres=postgres, redis=redis
    )


def test_database_and_schema_are_created_on_first_start() -> None:
    name = f"careers_first_{uuid.uuid4().hex[:10]}"
    target = Postgres(database=name, schema="conversations", password=POSTGRES.password)
    admin = sa.create_engine(POSTGRES.url("postgres"), isolation_level="AUTOCOMMIT")
    try:
        ensure_dependencies(profile(postgres=target), wait=5, report=lambda _: None)
        ensure_dependencies(profile(postgres=target), wait=5, report=lambda _: None)  # twice: fine
        engine = sa.create_engine(target.url())
        with engine.connect() as connection:
            query = sa.text("SELECT schema_name FROM information_schema.schemata")
            assert "conversations" in {row[0] for row in connection.execute(query)}
        engine.dispose()
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def test_unreachable_postgres_is_a_plain_error() -> None:
    closed = Postgres(port=free_port(), password="any")
    lines: list[str] = []
    with pytest.raises(DependencyError) as failure:
        ensure_dependencies(profile(postgres=closed), wait=1, report=lines.append)
    message = str(failure.value)
    assert f"PostgreSQL at 127.0.0.1:{closed.port} (database 'careers') is not reachable" in message
    assert "Traceback" not in message and "\n" not in message
    assert lines and "retrying" in lines[0]


def test_unreachable_redis_is_a_plain_error() -> None:
    closed = Redis(port=free_port(), password="any")
    with pytest.raises(DependencyError, match=rf"Redis at 127.0.0.1:{closed.port} \(db 1\)"):
        ensure_dependencies(profile(redis=closed), wait=1, report=lambda _: None)


def test_start_waits_for_redis_to_come_back(tmp_path: Path) -> None:
    """A Redis that starts a moment later is picked up by the retry, not reported as down."""
    port = free_port()
    server: list[subprocess.Popen] = []

    def start_redis_later() -> None:
        time.sleep(1.5)
        server.append(
            subprocess.Popen(
                [
                    REDIS_SERVER,
                    "--port",
                    str(port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--dir",
                    str(tmp_path),
                    "--requirepass",
                    "redis-test-password",
                ],
                stdout=subprocess.DEVNULL,
            )
        )

    lines: list[str] = []
    later = threading.Thread(target=start_redis_later)
    later.start()
    try:
        redis = Redis(port=port, password="redis-test-password")
        ensure_dependencies(profile(redis=redis), wait=20, report=lines.append)
    finally:
        later.join()
        for process in server:
            process.terminate()
            process.wait()
    assert "not reachable" in lines[0] and "retrying" in lines[0]
    assert lines[-1] == f"Redis at 127.0.0.1:{port} (db 1): reachable now."


def test_a_wrong_redis_password_is_named(tmp_path: Path) -> None:
    with redis_user() as login:
        wrong = Redis(username=login["REDIS_USERNAME"], password="not " + login["REDIS_PASSWORD"])
        with pytest.raises(DependencyError, match="Redis at 127.0.0.1:6379 .* is not reachable"):
            ensure_dependencies(profile(redis=wrong), wait=1, report=lambda _: None)
        right = Redis(username=login["REDIS_USERNAME"], password=login["REDIS_PASSWORD"])
        ensure_dependencies(profile(redis=right), wait=1, report=lambda _: None)


def test_embedded_database_that_cannot_be_written_is_named(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the database folder should be")
    embedded = Profile(name="embedded", endpoints="endpoints.yml", sqlite_path=blocker / "t.db")
    with pytest.raises(DependencyError, match=r"t\.db cannot be written .* or set TRACKER_DB"):
        ensure_dependencies(embedded, wait=1, report=lambda _: None)


def test_embedded_database_folder_is_created(tmp_path: Path) -> None:
    path = tmp_path / "var" / "deeper" / "tracker.db"
    embedded = Profile(name="embedded", endpoints="endpoints.yml", sqlite_path=path)
    ensure_dependencies(embedded, wait=1, report=lambda _: None)
    assert path.exists()
