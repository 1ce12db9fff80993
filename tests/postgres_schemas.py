"""Fresh PostgreSQL schemas for tests, and Rasa's SQL tracker store pointed at one.

Tests use fresh schemas in the `test` database at 127.0.0.1:5432
(CONSOLE_TEST_PG_URL overrides it) and drop them afterwards. If the server cannot
be reached they fail, saying so: the console and production issues ask for their
suites on PostgreSQL. CONSOLE_TESTS_WITHOUT_POSTGRESQL=1 skips them instead,
visibly, on a machine that has none.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

PG_URL = "postgresql://postgres@127.0.0.1:5432/test"


def pg_url() -> str:
    return os.environ.get("CONSOLE_TEST_PG_URL", PG_URL)


@contextmanager
def fresh_schema(purpose: str) -> Iterator[str]:
    """A new PostgreSQL schema, dropped afterwards."""
    engine = sa.create_engine(pg_url(), future=True)
    try:
        with engine.begin() as connection:
            connection.execute(sa.text("select 1"))
    except sa.exc.OperationalError as error:
        engine.dispose()
        message = f"PostgreSQL at {pg_url()} is not reachable: {error.orig}"
        if os.environ.get("CONSOLE_TESTS_WITHOUT_POSTGRESQL") == "1":
            pytest.skip(message)
        pytest.fail(message + " (CONSOLE_TESTS_WITHOUT_POSTGRESQL=1 skips these tests)")
    schema = f"test_{purpose}_{uuid.uuid4().hex[:12]}"
    with engine.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield schema
    finally:
        with engine.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


@contextmanager
def rasa_schema(schema: str) -> Iterator[None]:
    """Rasa's SQL tracker store takes its PostgreSQL schema from POSTGRESQL_SCHEMA."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("POSTGRESQL_SCHEMA", schema)
        yield


def pg_store_kwargs() -> dict:
    url = sa.engine.make_url(pg_url())
    return {
        "dialect": "postgresql",
        "host": url.host,
        "port": url.port,
        "db": url.database,
        "username": url.username,
        "password": url.password,
    }
