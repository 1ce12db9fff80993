"""A console whose editors' pages work on a copy of the content files (CONTENT_ROOT), so a
test can add examples and edit answers without touching the repository."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from backends import start_web_app
from conftest import Console, seeded_database
from playwright.sync_api import Page, expect

from bot.ops import PROJECT_ROOT
from bot.storage import database as db

CONTENT = ["domain.yml", "bot/knowledge/careers.yml", "bot/data/nlu"]


def copy_content(target: Path) -> Path:
    for name in CONTENT:
        source, copy = PROJECT_ROOT / name, target / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, copy)
        else:
            shutil.copy2(source, copy)
    return target


@contextmanager
def editing_console(kind: str, state: Path, extra_env: dict[str, str]) -> Iterator[Console]:
    content = copy_content(state / "content")
    with seeded_database(kind, state) as (env, ids):
        env = {**env, "CONTENT_ROOT": str(content), **extra_env}
        service = start_web_app(env, state / "web.log")
        engine = db.make_engine(
            env.get("CONVERSATIONS_DB_URL") or f"sqlite:///{env['TRACKER_DB']}",
            schema=env.get("CONVERSATIONS_DB_SCHEMA", ""),
        )
        console = Console(service, kind, env, ids, engine)
        console.content = content
        try:
            yield console
        finally:
            service.stop()
            engine.dispose()


@pytest.fixture(name="patient")
def patient_page(page: Page) -> Iterator[Page]:
    """The page with longer waits: saving checks the whole knowledge file, and on a shared
    machine that is training it takes seconds."""
    page.set_default_timeout(120_000)
    expect.set_options(timeout=60_000)
    yield page
    expect.set_options(timeout=5_000)  # Playwright's default, for the tests after this one
