"""A PostgreSQL role and a Redis ACL user with passwords, for tests of the production profile.

The production profile refuses to start without a PostgreSQL and a Redis password. This
machine's PostgreSQL trusts local connections and its Redis has no password, so tests make
a role with a password that owns their schema, and a Redis user with a password (Redis
checks it), pass them as POSTGRES_USER / POSTGRES_PASSWORD and REDIS_USERNAME /
REDIS_PASSWORD, and remove both afterwards. (PostgreSQL's trust authentication does not
check the password: tests/faults runs a PostgreSQL of its own that does.)
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import redis
import sqlalchemy as sa
from postgres_schemas import pg_url


@contextmanager
def postgres_role(schema: str) -> Iterator[dict[str, str]]:
    """A login role with a password that owns ``schema``: its settings for the profile."""
    name = f"careers_test_{uuid.uuid4().hex[:10]}"
    password = secrets.token_urlsafe(18)  # letters, digits, - and _: safe in a literal
    engine = sa.create_engine(pg_url(), future=True)
    database = engine.url.database
    with engine.begin() as connection:
        connection.execute(sa.text(f"CREATE ROLE {name} LOGIN PASSWORD '{password}'"))
        connection.execute(sa.text(f'GRANT CONNECT, CREATE ON DATABASE "{database}" TO {name}'))
        connection.execute(sa.text(f'ALTER SCHEMA "{schema}" OWNER TO {name}'))
    try:
        yield {"POSTGRES_USER": name, "POSTGRES_PASSWORD": password}
    finally:
        with engine.begin() as connection:
            connection.execute(sa.text(f"REASSIGN OWNED BY {name} TO CURRENT_USER"))
            connection.execute(sa.text(f"DROP OWNED BY {name}"))
            connection.execute(sa.text(f"DROP ROLE {name}"))
        engine.dispose()


@contextmanager
def redis_user(host: str = "127.0.0.1", port: int = 6379) -> Iterator[dict[str, str]]:
    """A Redis ACL user with a password (ACL SETUSER): its settings for the profile."""
    name = f"careers-test-{uuid.uuid4().hex[:10]}"
    password = secrets.token_urlsafe(18)
    client = redis.Redis(host=host, port=port)
    client.execute_command("ACL", "SETUSER", name, "on", f">{password}", "~*", "&*", "+@all")
    try:
        yield {"REDIS_USERNAME": name, "REDIS_PASSWORD": password}
    finally:
        client.execute_command("ACL", "DELUSER", name)
        client.close()


@contextmanager
def production_credentials(schema: str) -> Iterator[dict[str, str]]:
    with postgres_role(schema) as postgres, redis_user() as redis_login:
        yield {**postgres, **redis_login}
