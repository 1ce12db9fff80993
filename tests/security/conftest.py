"""Fixtures for the access-control tests: the web app in front of the session assistant.

The Rasa and action servers are the session fixture `assistant` (tests/conftest.py),
started exactly as `make run` starts them; only what needs another configuration
(Rasa with its HTTP API switched on) is started by the test module that needs it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from started_service import running

from bot.ops.services import Service, free_port, web_app


@pytest.fixture(scope="session")
def security_web(assistant, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """A real `python -m web` process with its own console database, defaults otherwise."""
    state = tmp_path_factory.mktemp("security-web")
    port = free_port()
    service = web_app(
        port,
        rasa_url=assistant.rasa_url,
        log_path=state / "web.log",
        env={"TRACKER_DB": str(state / "console.db"), "CONSOLE_COOKIE_SECURE": "false"},
    )
    with running(service, timeout=60):
        yield service
