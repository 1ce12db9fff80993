"""The production profile on a PostgreSQL and a Redis of the tests' own, which they stop.

One stack for the package, as `make run PROFILE=production` starts it (bot.ops.stack),
with one Rasa instance and one worker per service: several workers are not what these
tests are about, and each Rasa start costs the shared machine half a minute of CPU.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from private_services import PrivatePostgres, PrivateRedis, private_postgres, private_redis

from bot.ops.stack import Stack, build_stack


@pytest.fixture(scope="package")
def postgres() -> Iterator[PrivatePostgres]:
    with private_postgres() as server:
        yield server


@pytest.fixture(scope="package")
def redis_server() -> Iterator[PrivateRedis]:
    with private_redis() as server:
        yield server


def production_env(postgres: PrivatePostgres, redis_server: PrivateRedis) -> dict[str, str]:
    """Every connection setting given, so nothing in the caller's environment can point the
    tests at a real database; the profile creates the `careers` database on first start."""
    return {
        "PROFILE": "production",
        "POSTGRES_HOST": "127.0.0.1",
        "POSTGRES_PORT": str(postgres.port),
        "POSTGRES_DB": "careers",
        "POSTGRES_USER": "postgres",
        "POSTGRES_PASSWORD": postgres.password,
        "POSTGRES_SCHEMA": "",
        "REDIS_HOST": "127.0.0.1",
        "REDIS_PORT": str(redis_server.port),
        "REDIS_DB": "1",
        "REDIS_PASSWORD": redis_server.password,
        "REDIS_KEY_PREFIX": "faults",
        "RASA_WORKERS": "1",
        "ACTION_WORKERS": "1",
    }


@pytest.fixture(scope="package")
def stack(
    trained_model: Path,
    postgres: PrivatePostgres,
    redis_server: PrivateRedis,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Stack]:
    stack = build_stack(
        trained_model,
        state_dir=tmp_path_factory.mktemp("faults"),
        env=production_env(postgres, redis_server),
        free_ports=True,
    )
    stack.start(timeout=300, report=lambda _: None)
    try:
        yield stack
    finally:
        stack.stop()
