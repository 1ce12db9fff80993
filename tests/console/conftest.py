"""Fixtures for the recruiter console: seeded databases (SQLite and PostgreSQL),
a running web app in front of one, and a headless Chromium.

PostgreSQL tests use a fresh schema per run in the `test` database at
127.0.0.1:5432 (CONSOLE_TEST_PG_URL overrides it) and drop it afterwards; they
are skipped with a reason if the server cannot be reached.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from seed import ADMIN, PASSWORD, RECRUITER, seed_conversations, store_for

from bot.ops.services import Service, free_port, web_app
from bot.storage import database as db
from web.console.auth import add_account

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PG_URL = "postgresql://postgres@127.0.0.1:5432/test"


def _pg_url() -> str:
    import os

    return os.environ.get("CONSOLE_TEST_PG_URL", PG_URL)


@pytest.fixture(scope="session")
def pg_schema() -> Iterator[str]:
    """A fresh PostgreSQL schema for this run, dropped at the end."""
    try:
        engine = sa.create_engine(_pg_url(), future=True)
        with engine.begin() as connection:
            connection.execute(sa.text("select 1"))
    except Exception as error:  # noqa: BLE001 - any failure means "no server here"
        pytest.skip(f"PostgreSQL at {_pg_url()} is not reachable: {error}")
    schema = f"console_test_{uuid.uuid4().hex[:12]}"
    with engine.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield schema
    finally:
        with engine.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


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
        url = sa.engine.make_url(_pg_url())
        engine = db.make_engine(_pg_url(), schema=schema)
        found = Database(
            "postgresql",
            engine,
            {
                "dialect": "postgresql",
                "host": url.host,
                "port": url.port,
                "db": url.database,
                "username": url.username,
            },
        )
        found.clear()
    yield found
    found.clear() if found.kind == "postgresql" else None
    engine.dispose()


# ---- Seeded conversations ------------------------------------------------------------------


# ---- The web app with the console ------------------------------------------------------------


class Console:
    def __init__(self, service: Service, db_path: Path, ids: dict[str, str]):
        self.service = service
        self.db_path = db_path
        self.ids = ids

    @property
    def url(self) -> str:
        return self.service.url


@pytest.fixture(scope="session")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    """A web app whose console reads a seeded SQLite log (Rasa itself is not needed)."""
    state = tmp_path_factory.mktemp("console")
    path = state / "tracker.db"
    ids = seed_conversations(store_for(path))
    engine = db.make_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        add_account(connection, ADMIN, "admin", PASSWORD)
        add_account(connection, RECRUITER, "recruiter", PASSWORD)
    engine.dispose()
    port = free_port()
    service = web_app(
        port,
        rasa_url=f"http://127.0.0.1:{free_port()}",
        log_path=state / "web.log",
        env={
            "TRACKER_DB": str(path),
            "CONSOLE_COOKIE_SECURE": "false",  # plain http on 127.0.0.1 in tests
            "ALLOWED_ORIGINS": f"http://127.0.0.1:{port}",
        },
    )
    service.start()
    try:
        service.wait_until_healthy(timeout=60)
        yield Console(service, path, ids)
    finally:
        service.stop()


@pytest.fixture
def console_engine(console: Console) -> Iterator[sa.engine.Engine]:
    engine = db.make_engine(f"sqlite:///{console.db_path}")
    yield engine
    engine.dispose()


# ---- Browser ------------------------------------------------------------------------------


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.add_init_script(path=str(AXE))
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()
    assert page.errors == [], f"JavaScript errors on the page: {page.errors}"
