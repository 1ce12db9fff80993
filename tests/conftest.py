"""Fixtures that build and start the real assistant for the end-to-end tests.

The model is trained once per input fingerprint (bot.ops.model) and the Rasa
and action servers are started as separate processes on free ports, exactly as
`make run` starts them, with a throwaway SQLite tracker store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
from accessibility import AXE_SCRIPT
from assistant_client import Assistant, new_sender
from hypothesis import settings

from bot.ops.model import ensure_model, ensure_spacy_pipeline
from bot.ops.services import Service, action_server, free_port, rasa_server

# Property tests are reproducible: the same examples on every run and machine (derived
# from each test, not a random seed), no example database, and a failing example is
# printed with the blob that replays it (@reproduce_failure).
settings.register_profile("reproducible", derandomize=True, database=None, print_blob=True)
settings.load_profile("reproducible")

# Folders whose tests start services (PostgreSQL, Redis, the web app, HAProxy, kubectl,
# Chromium or the Rasa servers): marked `service`, as are tests that need the running
# assistant or a trained model, so `make test-unit` can leave them out.
SERVICE_FOLDERS = {"console", "deploy", "e2e", "faults", "hardening", "production", "security",
                   "soak", "web"}
SERVICE_MARKS = {"e2e", "browser", "model"}

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="session")
def spacy_pipeline() -> Path:
    return ensure_spacy_pipeline()


@pytest.fixture(scope="session")
def trained_model() -> Path:
    return ensure_model()


class RunningAssistant(Assistant):
    """The assistant plus handles on its processes, for tests that stop and start them."""

    def __init__(self, actions: Service, rasa: Service):
        super().__init__(rasa_url=rasa.url, actions_url=actions.url)
        self.actions_service = actions
        self.rasa_service = rasa

    def start_actions(self) -> None:
        self.actions_service.start()
        self.actions_service.wait_until_healthy(timeout=120)

    def restart_rasa(self) -> None:
        self.rasa_service.stop()
        self.rasa_service.start()
        self.rasa_service.wait_until_healthy(timeout=180)


# One message of each kind the actions answer, sent before any test: the first of each
# loads what it needs (the knowledge search, the name finder, the route finder), which on
# a loaded 2-core machine can outlast ACTION_TIMEOUT, so a test's first message would get
# the apology instead of its answer. Their replies are not checked here.
WARM_UP = ["hello", "what does a paralegal officer earn?", "qwpoeiru zxmcnv", "which route?"]


def warm_up(running: Assistant) -> None:
    sender = new_sender()
    for text in WARM_UP:
        running.send(sender, text, timeout=120)


@contextmanager
def running_assistant(
    model: Path, state: Path, rasa_env: dict[str, str] | None = None
) -> Iterator[RunningAssistant]:
    actions = action_server(free_port(), log_path=state / "actions.log")
    rasa = rasa_server(
        model,
        port=free_port(),
        action_url=actions.url,
        tracker_db=state / "tracker.db",
        log_path=state / "rasa.log",
        env=rasa_env or {},
    )
    try:
        for service in (actions, rasa):
            service.start()
            service.wait_until_healthy(timeout=240)
        running = RunningAssistant(actions, rasa)
        warm_up(running)
        yield running
    finally:
        rasa.stop()
        actions.stop()


@pytest.fixture(scope="session")
def start_assistant(
    trained_model: Path, tmp_path_factory: pytest.TempPathFactory
) -> Callable[..., AbstractContextManager[RunningAssistant]]:
    """Start another assistant, e.g. with other settings, for tests that stop or break it:
    `with start_assistant("name", {"VARIABLE": "value"}) as other: ...`."""

    def start(name: str, rasa_env: dict[str, str] | None = None):
        return running_assistant(trained_model, tmp_path_factory.mktemp(name), rasa_env)

    return start


@pytest.fixture(scope="session")
def assistant(start_assistant) -> Iterator[RunningAssistant]:
    with start_assistant("assistant") as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium, one per test module.

    Module scope, not session: Playwright's sync API keeps an event loop running
    in the main thread while it is open, which breaks asyncio.run() in any test
    that comes after it.
    """
    from playwright.sync_api import sync_playwright

    from web.browser import launch

    if not AXE_SCRIPT.exists():
        pytest.fail("axe-core is missing: run `npm ci` (make test does)")
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


def pytest_collection_modifyitems(config, items) -> None:
    tests = Path(__file__).resolve().parent
    for item in items:
        folder = Path(item.fspath).resolve().relative_to(tests).parts[0]
        marked = {mark.name for mark in item.iter_markers()} & SERVICE_MARKS
        needs = {"assistant", "trained_model"} & set(item.fixturenames)  # servers, or minutes
        if folder in SERVICE_FOLDERS or marked or needs:
            item.add_marker(pytest.mark.service)
