"""Fixtures for the recruiter console: seeded databases (SQLite and PostgreSQL),
a running web app in front of each, and a headless Chromium (backends.py says how
PostgreSQL is reached)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from accessibility import AXE_SCRIPT
from backends import start_web_app
from postgres_schemas import fresh_schema, pg_store_kwargs, pg_url, rasa_schema
from seed import (
    ADMIN,
    LANGUAGE_CASES,
    RECRUITER,
    RECRUITER_CASES,
    TOTP_SECRETS,
    add_enrolled_account,
    seed_conversations,
    seed_recruiter_cases,
    store_for,
)

from bot.ops.services import Service
from bot.storage import database as db
from web.console import second_factor


@pytest.fixture(scope="session")
def pg_schema() -> Iterator[str]:
    """A fresh PostgreSQL schema for this run, dropped at the end."""
    with fresh_schema("test") as schema:
        yield schema


class Database:
    """One test database: a tracker store writing to it and the console's engine on it."""

    def __init__(self, kind: str, engine: sa.engine.Engine, store_kwargs: dict):
        self.kind = kind
        self.engine = engine
        self.store_kwargs = store_kwargs

    def store(self):
        return store_for(**self.store_kwargs)

    def clear(self) -> None:
        with self.engine.begin() as connection:
            if self.kind == "postgresql":
                # The audit trail refuses DELETE (its trigger); a test superuser may skip it.
                connection.execute(sa.text("SET LOCAL session_replication_role = replica"))
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path: Path, monkeypatch) -> Iterator[Database]:
    """An empty database, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "tracker.db"
        engine = db.make_engine(f"sqlite:///{path}")
        found = Database("sqlite", engine, {"dialect": "sqlite", "db": str(path)})
    else:
        schema = request.getfixturevalue("pg_schema")
        monkeypatch.setenv("POSTGRESQL_SCHEMA", schema)  # how Rasa's SQL store picks a schema
        engine = db.make_engine(pg_url(), schema=schema)
        found = Database("postgresql", engine, pg_store_kwargs())
        found.clear()
    yield found
    found.clear() if found.kind == "postgresql" else None
    engine.dispose()


# ---- The web app with the console, once on each database -----------------------------------


@dataclass
class Console:
    """A running web app whose console reads a seeded log; ``engine`` reads the same one."""

    service: Service
    kind: str
    env: dict[str, str]  # how the web app finds its database
    ids: dict[str, str]
    engine: sa.engine.Engine

    def new_account(self, role: str = "recruiter") -> tuple[str, str]:
        """A new account with its authenticator set up: (email, TOTP secret). Each test signs
        in with its own, since a code is accepted only once per account."""
        email = f"{role}-{uuid.uuid4().hex[:10]}@cps.example"
        with self.engine.begin() as connection:
            return email, add_enrolled_account(connection, email, role)

    def new_recovery_codes(self, email: str) -> list[str]:
        """A fresh set of the account's one-time recovery codes."""
        with self.engine.begin() as connection:
            account_id = connection.execute(
                sa.select(db.accounts.c.id).where(db.accounts.c.email == email)
            ).scalar()
            return second_factor.new_recovery_codes(connection, account_id)

    @property
    def url(self) -> str:
        return self.service.url


@contextmanager
def seeded_database(kind: str, state: Path) -> Iterator[tuple[dict[str, str], dict[str, str]]]:
    """A log with the seeded conversations and two accounts: (web app env, conversation ids)."""
    if kind == "sqlite":
        path = state / "tracker.db"
        yield {"TRACKER_DB": str(path)}, _seed(store_for(path), f"sqlite:///{path}", None)
        return
    with fresh_schema("web") as schema:
        with rasa_schema(schema):
            ids = _seed(store_for(**pg_store_kwargs()), pg_url(), schema)
        yield {"CONVERSATIONS_DB_URL": pg_url(), "CONVERSATIONS_DB_SCHEMA": schema}, ids


def _seed(store, url: str, schema: str | None) -> dict[str, str]:
    ids = seed_conversations(store)
    store.engine.dispose()
    engine = db.make_engine(url, schema=schema or "")
    with engine.begin() as connection:
        add_enrolled_account(connection, ADMIN, "admin", TOTP_SECRETS[ADMIN])
        add_enrolled_account(connection, RECRUITER, "recruiter", TOTP_SECRETS[RECRUITER])
    engine.dispose()
    return ids


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def console(request, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    """The web app on a seeded log, once on SQLite and once on PostgreSQL (Rasa not needed)."""
    state = tmp_path_factory.mktemp(f"console-{request.param}")
    with seeded_database(request.param, state) as (env, ids):
        service = start_web_app(env, state / "web.log")
        engine = db.make_engine(
            env.get("CONVERSATIONS_DB_URL") or f"sqlite:///{env['TRACKER_DB']}",
            schema=env.get("CONVERSATIONS_DB_SCHEMA", ""),
        )
        try:
            yield Console(service, request.param, env, ids, engine)
        finally:
            service.stop()
            engine.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def recruiter_console(request, tmp_path_factory) -> Iterator[Console]:
    """The web app on a log of the recruiter cases (seed.RECRUITER_CASES: wrong answers,
    a changed rating, safeguarding), apart from ``console``, whose counts tests rely on."""
    yield from _cases_console(request.param, tmp_path_factory, "recruiter", RECRUITER_CASES)


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def language_console(request, tmp_path_factory) -> Iterator[Console]:
    """The web app on a log of conversations in Welsh and English (seed.LANGUAGE_CASES)."""
    yield from _cases_console(request.param, tmp_path_factory, "languages", LANGUAGE_CASES)


def _cases_console(kind: str, tmp_path_factory, name: str, cases) -> Iterator[Console]:
    state = tmp_path_factory.mktemp(f"{name}-{kind}")
    if kind == "sqlite":
        path = state / "tracker.db"
        ids = seed_recruiter_cases(store_for(path), cases=cases)
        env = {"TRACKER_DB": str(path)}
        yield from _running("sqlite", env, f"sqlite:///{path}", "", ids, state)
        return
    with fresh_schema(name) as schema:
        with rasa_schema(schema):
            ids = seed_recruiter_cases(store_for(**pg_store_kwargs()), cases=cases)
        env = {"CONVERSATIONS_DB_URL": pg_url(), "CONVERSATIONS_DB_SCHEMA": schema}
        yield from _running("postgresql", env, pg_url(), schema, ids, state)


def _running(kind: str, env, url: str, schema: str, ids, state: Path) -> Iterator[Console]:
    service = start_web_app(env, state / "web.log")
    engine = db.make_engine(url, schema=schema)
    try:
        yield Console(service, kind, env, ids, engine)
    finally:
        service.stop()
        engine.dispose()


@pytest.fixture
def console_engine(console: Console) -> sa.engine.Engine:
    return console.engine


# ---- Browser ------------------------------------------------------------------------------


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.add_init_script(path=str(AXE_SCRIPT))
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()
    assert page.errors == [], f"JavaScript errors on the page: {page.errors}"
