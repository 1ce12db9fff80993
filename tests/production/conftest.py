"""PostgreSQL and Redis on this machine (127.0.0.1:5432 database `test`, 127.0.0.1:6379).

Each test run gets its own PostgreSQL schema and Redis key prefix, removed
afterwards, so runs never see each other's conversations.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from postgres_schemas import fresh_schema
from production_settings import POSTGRES
from service_accounts import production_credentials


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[str]:
    # Made here; that `make run` makes a missing one is tests/production/test_dependencies.py's.
    with fresh_schema("production") as schema:
        yield schema


@pytest.fixture(scope="session")
def production_env(postgres_schema: str) -> Iterator[dict[str, str]]:
    """The settings `make run PROFILE=production` would read, pointed at this run's schema,
    with a PostgreSQL role and a Redis user of their own (the profile needs passwords)."""
    with production_credentials(postgres_schema) as credentials:
        yield {
            "PROFILE": "production",
            "POSTGRES_DB": POSTGRES.database,
            "POSTGRES_SCHEMA": postgres_schema,
            "REDIS_KEY_PREFIX": postgres_schema.replace("_", ""),
            "RASA_WORKERS": "2",
            "ACTION_WORKERS": "2",
            **credentials,
        }
