"""Fixtures for the web app and widget tests.

The web app always runs as a real `python -m web` process on a free port, as
`make run` starts it. The API tests that need no answers point it at a closed
port (Rasa unreachable, a real case); the rest use the real assistant from
tests/conftest.py, or an assistant that is already running if WIDGET_TEST_RASA_URL
names one (handy while working on the widget: `make run` in another terminal).
"""

from __future__ import annotations

import json
import os
import socket
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from accessibility import AXE_SCRIPT
from transparency_fixtures import MEASURED
from widget_page import Widget

from bot.ops.services import Service, free_port, web_app


class WebApp:
    """A running web app and the address a browser reaches it at."""

    def __init__(self, service: Service):
        self.service = service

    @property
    def url(self) -> str:
        return self.service.url

    @property
    def port(self) -> int:
        return self.service.port

    def start(self) -> None:
        self.service.start()
        self.service.wait_until_healthy(timeout=30)

    def stop(self) -> None:
        self.service.stop()


StartWebApp = Callable[..., WebApp]


@pytest.fixture(scope="session")
def start_web_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StartWebApp]:
    """Start web apps on free ports; every one is stopped at the end of the session."""
    started = []
    logs = tmp_path_factory.mktemp("web")

    def start(rasa_url: str, env: dict[str, str] | None = None) -> WebApp:
        port = free_port()
        service = web_app(
            port, rasa_url=rasa_url, log_path=logs / f"web-{port}.log",
            env={
                "ALLOWED_ORIGINS": f"http://127.0.0.1:{port},http://localhost:{port}",
                **(env or {}),
            },
        )
        app = WebApp(service)
        started.append(app)
        app.start()
        return app

    yield start
    for app in started:
        app.stop()


@pytest.fixture(scope="session")
def closed_port() -> int:
    """A port nothing listens on: connecting to it fails at once."""
    return free_port()


@pytest.fixture(scope="session")
def web_without_rasa(start_web_app: StartWebApp, closed_port: int) -> WebApp:
    return start_web_app(f"http://127.0.0.1:{closed_port}", env={"MAX_MESSAGE_CHARS": "50"})


@pytest.fixture(scope="session")
def silent_upstream() -> Iterator[str]:
    """A server that accepts connections and never answers: a Rasa that hangs."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            held.append(connection)  # keep it open, say nothing

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    listener.close()
    for connection in held:
        connection.close()


@pytest.fixture(scope="session")
def rasa_url(request: pytest.FixtureRequest) -> str:
    """The real assistant: already running (WIDGET_TEST_RASA_URL) or started for the session."""
    running = os.environ.get("WIDGET_TEST_RASA_URL")
    if running:
        return running.rstrip("/")
    return request.getfixturevalue("assistant").rasa_url


@pytest.fixture(scope="session")
def tracker_env(request: pytest.FixtureRequest) -> dict[str, str]:
    """Where the assistant stores conversations, for the web app's transcripts (an assistant
    already running with `make run` uses the default, var/tracker.db)."""
    if os.environ.get("WIDGET_TEST_RASA_URL"):
        return {}
    return {"TRACKER_DB": request.getfixturevalue("assistant").rasa_service.env["TRACKER_DB"]}


@pytest.fixture(scope="session")
def web(start_web_app: StartWebApp, rasa_url: str, tracker_env: dict[str, str]) -> WebApp:
    """The web app in front of the real assistant, shared by the tests that keep it running."""
    return start_web_app(rasa_url, env=tracker_env)


@pytest.fixture
def other_site(tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """Serve one HTML page from another origin (a real server, as another website would be)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), lambda *args: SimpleHTTPRequestHandler(
        *args, directory=str(tmp_path)))
    server.RequestHandlerClass.log_message = lambda *args: None
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def serve(html: str) -> str:
        (tmp_path / "index.html").write_text(html, encoding="utf-8")
        return f"http://localhost:{server.server_address[1]}/index.html"

    yield serve
    server.shutdown()
    server.server_close()


# ---- Browser ------------------------------------------------------------------------------


@pytest.fixture
def context(browser):
    # axe-core goes in as an init script: the demo page's CSP (rightly) refuses the inline
    # <script> that page.add_script_tag would add, and we test with that CSP in force.
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(path=str(AXE_SCRIPT))
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    assert page.errors == [], f"JavaScript errors on the page: {page.errors}"


@pytest.fixture
def widget(page) -> Widget:
    """The widget on the test's page, in English (Widget(page, "cy") for Welsh)."""
    return Widget(page)


# ---- The transparency pages ----------------------------------------------------------------


@pytest.fixture(scope="session")
def measured_web(start_web_app: StartWebApp, closed_port: int, tmp_path_factory) -> WebApp:
    """A web app whose accuracy pages read a measured evaluation file (no Rasa needed)."""
    path = tmp_path_factory.mktemp("measured") / "evaluation.json"
    path.write_text(json.dumps(MEASURED), encoding="utf-8")
    return start_web_app(f"http://127.0.0.1:{closed_port}", env={"EVALUATION_FILE": str(path)})


@pytest.fixture(scope="session")
def unmeasured_web(start_web_app: StartWebApp, closed_port: int, tmp_path_factory) -> WebApp:
    """A web app whose evaluation file does not exist: nothing has been measured yet."""
    path = tmp_path_factory.mktemp("unmeasured") / "evaluation.json"
    return start_web_app(f"http://127.0.0.1:{closed_port}", env={"EVALUATION_FILE": str(path)})
