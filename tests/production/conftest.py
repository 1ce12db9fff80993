"""PostgreSQL and Redis on this machine (127.0.0.1:5432 database `test`, 127.0.0.1:6379).

Each test run gets its own PostgreSQL schema and Redis key prefix, removed
afterwards, so runs never see each other's conversations.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from production_settings import POSTGRES


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[str]:
    schema = f"careers_test_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(POSTGRES.url(), future=True)
    try:
        yield schema
    finally:
        with engine.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


@pytest.fixture(scope="session")
def production_env(postgres_schema: str) -> dict[str, str]:
    """The settings `make run PROFILE=production` would read, pointed at this run's schema."""
    return {
        "PROFILE": "production",
        "POSTGRES_DB": POSTGRES.database,
        "POSTGRES_SCHEMA": postgres_schema,
        "REDIS_KEY_PREFIX": postgres_schema.replace("_", ""),
        "RASA_WORKERS": "2",
        "ACTION_WORKERS": "2",
    }
