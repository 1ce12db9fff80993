"""Fixtures for the hardening tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.ops.services import free_port


@pytest.fixture(scope="session")
def closed_port() -> int:
    """A port nothing listens on: connecting to it fails at once."""
    return free_port()


# Limits low enough to reach in a test. SANIC_PROXIES_COUNT=1 makes Rasa trust one proxy's
# X-Forwarded-For, as behind a reverse proxy in production: the tests give each request the
# visitor address a proxy would.
ISOLATED_ENV = {
    "SANIC_PROXIES_COUNT": "1",
    "RATE_LIMIT_PER_ADDRESS": "5",
    "MAX_CONVERSATION_MESSAGES": "6",
}


@pytest.fixture(scope="package")
def isolated(start_assistant) -> Iterator:
    """An action server and Rasa of our own, with limits low enough to reach in a test."""
    with start_assistant("isolated", ISOLATED_ENV) as running:
        yield running


@pytest.fixture
def actions_running(isolated) -> Iterator[None]:
    """Each test starts with a working action server and leaves one behind."""
    if not isolated.actions_service.running():
        isolated.start_actions()
    yield
    if not isolated.actions_service.running():
        isolated.start_actions()
