"""The Rasa router (deploy/kubernetes/rasa-router/haproxy.cfg), run by a real HAProxy.

In the cluster it finds the Rasa pods through DNS; here the same configuration routes
to two stand-in Rasa servers on loopback, which say who answered. HAProxy must be
installed (`apt-get install haproxy`); the cluster runs the haproxy:3.0 image, this
machine Debian's 2.6, which lacks only `hash-key` (2.8+): it is taken out here, and
what it adds (the same choice in every router replica) cannot be tested on one machine.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from deploy_files import ROUTER_CONFIG

from bot.ops.services import free_port

# Installed by .ci/run (Debian's haproxy); a missing one fails here rather than skipping.
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"


class StandInRasa:
    """Answers like Rasa's REST channel and health check, naming itself in every answer."""

    def __init__(self, name: str):
        self.name = name
        self.server: ThreadingHTTPServer | None = None
        self.port = free_port()

    def start(self) -> None:
        name = self.name

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, body: object) -> None:
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):  # noqa: N802 (http.server's name)
                self._answer({"served_by": name, "path": self.path})

            def do_POST(self):  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                self._answer([{"served_by": name, "sender": body.get("sender")}])

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def local_config(port: int, backends: list[StandInRasa]) -> str:
    """The production configuration, with the pods replaced by the stand-ins."""
    config = ROUTER_CONFIG.read_text()
    servers = "\n".join(f"    server {b.name} 127.0.0.1:{b.port}" for b in backends)
    config, templates = re.subn(r"^\s*server-template rasa .*$", servers, config, flags=re.M)
    assert templates == 2  # the REST and the socket.io backends
    config = config.replace(" hash-key addr-port", "")
    config = config.replace("bind :5005", f"bind 127.0.0.1:{port}")
    return config.replace("inter 5s", "inter 300ms")  # notice a stopped pod quickly


@pytest.fixture
def router(tmp_path):
    backends = [StandInRasa("rasa-a"), StandInRasa("rasa-b")]
    for backend in backends:
        backend.start()
    port = free_port()
    config = tmp_path / "haproxy.cfg"
    config.write_text(local_config(port, backends))
    env = {"PATH": os.environ["PATH"], "ROUTER_COOKIE_KEY": "test-cookie-key"}
    check = subprocess.run([HAPROXY, "-c", "-f", str(config)], env=env, capture_output=True)
    assert check.returncode == 0, check.stderr.decode() + check.stdout.decode()
    process = subprocess.Popen(
        [HAPROXY, "-db", "-f", str(config)], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: {ask_rest(url, f"probe-{i}") for i in range(20)} == {"rasa-a", "rasa-b"})
        yield url, backends
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
        for backend in backends:
            if backend.server.socket.fileno() != -1:
                backend.stop()


def wait_until(condition, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    pytest.fail("the router did not get there in time")


def ask_rest(url: str, sender: str) -> str:
    response = requests.post(
        f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": "hello"}, timeout=5
    )
    response.raise_for_status()
    return response.json()[0]["served_by"]


def test_the_clusters_configuration_is_valid(tmp_path):
    # As deployed (DNS discovery of the pods included), less what HAProxy 2.6 lacks.
    config = tmp_path / "haproxy.cfg"
    config.write_text(ROUTER_CONFIG.read_text().replace(" hash-key addr-port", ""))
    env = {"PATH": os.environ["PATH"], "ROUTER_COOKIE_KEY": "test-cookie-key"}
    check = subprocess.run([HAPROXY, "-c", "-f", str(config)], env=env, capture_output=True)
    assert check.returncode == 0, check.stderr.decode() + check.stdout.decode()


def test_every_turn_of_a_conversation_reaches_the_same_rasa(router):
    url, _ = router
    conversations = [uuid.uuid4().hex for _ in range(60)]
    served = {sender: {ask_rest(url, sender) for _ in range(4)} for sender in conversations}
    assert all(len(pods) == 1 for pods in served.values()), served
    spread = Counter(next(iter(pods)) for pods in served.values())
    assert len(spread) == 2 and min(spread.values()) >= 10, spread  # and they are shared out


def test_when_a_rasa_goes_only_its_conversations_move(router):
    url, backends = router
    conversations = [uuid.uuid4().hex for _ in range(40)]
    before = {sender: ask_rest(url, sender) for sender in conversations}
    backends[0].stop()
    wait_until(lambda: ask_rest(url, conversations[0]) == "rasa-b" and all(
        ask_rest(url, s) == "rasa-b" for s in conversations if before[s] == "rasa-a"
    ))
    after = {sender: ask_rest(url, sender) for sender in conversations}
    assert all(after[s] == "rasa-b" for s in conversations)
    # consistent hashing: the survivor's conversations never moved
    assert [s for s in conversations if before[s] == "rasa-b"] == [
        s for s in conversations if before[s] == after[s]
    ]


def test_socketio_sessions_stick_to_one_rasa_by_cookie(router):
    url, _ = router
    handshake = requests.get(f"{url}/socket.io/?EIO=4&transport=polling", timeout=5)
    first = handshake.json()["served_by"]
    cookie = handshake.headers["Set-Cookie"]
    assert cookie.startswith("CPS_RASA=") and "HttpOnly" in cookie and "Secure" in cookie
    value = cookie.split(";")[0]
    for _ in range(6):
        again = requests.get(
            f"{url}/socket.io/?EIO=4&transport=polling", headers={"Cookie": value}, timeout=5
        )
        assert again.json()["served_by"] == first


def test_only_the_channels_get_through(router):
    url, _ = router
    assert requests.get(f"{url}/healthz", timeout=5).status_code == 200
    assert requests.get(f"{url}/webhooks/rest/", timeout=5).status_code == 200
    for path in ["/", "/status", "/conversations/x/tracker", "/model", "/version"]:
        # Rasa's HTTP API stays inside the pod
        assert requests.get(url + path, timeout=5).status_code == 404, path
    oversized = requests.post(
        f"{url}/webhooks/rest/webhook",
        data=b"x" * 70_000,
        headers={"Content-Type": "application/json"},
        timeout=5,
    )
    assert oversized.status_code == 413
