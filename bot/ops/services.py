"""Start, watch and stop the assistant's processes: Rasa, the action server, the web app.

Used by `make run` (bot.ops.run) and by the end-to-end tests, so the tests
exercise exactly the processes a visitor talks to.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bot.ops import PROJECT_ROOT

BASE_ENV = {
    "PYTHONPATH": str(PROJECT_ROOT),
    "RASA_TELEMETRY_ENABLED": "false",  # also turns off Sentry error reporting
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "TF_CPP_MIN_LOG_LEVEL": "2",
}


class ServiceError(RuntimeError):
    """A service could not start; the message says why in plain words."""


def port_in_use(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Service:
    name: str
    args: list[str]
    host: str
    port: int
    health_path: str
    env: dict[str, str] = field(default_factory=dict)
    log_path: Path | None = None
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> None:
        if port_in_use(self.host, self.port):
            raise ServiceError(
                f"{self.name}: port {self.port} on {self.host} is already in use. "
                f"Stop whatever is using it (is the assistant already running?) "
                f"or choose another port (see README, 'Configuration')."
            )
        output = open(self.log_path, "ab") if self.log_path else None
        self.process = subprocess.Popen(
            self.args,
            cwd=PROJECT_ROOT,
            env={**os.environ, **BASE_ENV, **self.env},
            stdout=output,
            stderr=subprocess.STDOUT if output else None,
            start_new_session=True,  # its own process group, so stop() reaches its workers
        )

    def healthy(self) -> bool:
        try:
            # The URL is built from our own host and port: always http to this machine.
            url = self.url + self.health_path
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def wait_until_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process and self.process.poll() is not None:
                raise ServiceError(
                    f"{self.name} exited with code {self.process.returncode} while starting"
                    + (f"; see {self.log_path}{self._log_tail()}" if self.log_path else "")
                )
            if self.healthy():
                return
            time.sleep(0.5)
        raise ServiceError(f"{self.name} did not answer on {self.url} within {timeout:.0f} s")

    def _log_tail(self, lines: int = 12) -> str:
        """The end of the log, so a failure far away (CI) says why without the file."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        tail = text.strip().splitlines()[-lines:]
        return ", which ends:\n" + "\n".join(tail) if tail else ""

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 15) -> None:
        if not self.running():
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        except ProcessLookupError:
            pass


def python_module(module: str, *args: str) -> list[str]:
    return [sys.executable, "-m", module, *args]


def action_server(port: int, host: str = "127.0.0.1", **kwargs) -> Service:
    # No --cors: the action server answers the Rasa server only, never a browser.
    return Service(
        name="Action server",
        args=python_module("rasa_sdk", "--actions", "bot.actions", "--port", str(port)),
        host=host,
        port=port,
        health_path="/health",
        env={"SANIC_HOST": host, **kwargs.pop("env", {})},
        **kwargs,
    )


def rasa_server(
    model: Path,
    port: int,
    action_url: str,
    tracker_db: Path | None = None,
    host: str = "127.0.0.1",
    cors: list[str] | None = None,
    api_token: str | None = None,
    endpoints: str = "endpoints.yml",
    **kwargs,
) -> Service:
    # Rasa's `rasa run`, with the project's patches installed first (bot/rasa_server.py).
    args = python_module(
        "bot.rasa_server",
        "run",
        "--model",
        str(model),
        "--endpoints",
        endpoints,
        "--credentials",
        "credentials.yml",
        "--interface",
        host,
        "--port",
        str(port),
    )
    if cors:
        args += ["--cors", *cors]
    if api_token:  # the HTTP API exists only behind a token
        # One argument, not two: a token starting with "-" (token_urlsafe makes one in 64)
        # would otherwise be read by argparse as an option and Rasa would exit with code 2.
        args += ["--enable-api", f"--auth-token={api_token}"]
    env = {"ACTION_ENDPOINT_URL": f"{action_url}/webhook", **kwargs.pop("env", {})}
    if tracker_db is not None:  # the embedded profile's SQLite file (endpoints.yml)
        env["TRACKER_DB"] = str(tracker_db)
    return Service(
        name="Rasa server",
        args=args,
        host=host,
        port=port,
        health_path="/webhooks/rest/",
        env=env,
        **kwargs,
    )


def web_app(port: int, rasa_url: str, host: str = "127.0.0.1", **kwargs) -> Service:
    env = {"WEB_HOST": host, "WEB_PORT": str(port), "RASA_URL": rasa_url, **kwargs.pop("env", {})}
    return Service(
        name="Web app",
        args=python_module("web"),
        host=host,
        port=port,
        health_path="/health",
        env=env,
        **kwargs,
    )
