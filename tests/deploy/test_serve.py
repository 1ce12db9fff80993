"""The images' entrypoint, deploy/docker/serve.py: the same processes `make run` starts.

The command lines and environments are compared with bot.ops.stack's for the same
settings; the action server and the web app are also started through it, as their
containers start them, and asked over HTTP.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from deploy_files import DOCKER, load_serve

from bot.ops import PROJECT_ROOT
from bot.ops.services import free_port
from bot.ops.stack import build_stack

serve = load_serve()
# What a container listens on: its own network namespace, reached through its Service.
ALL_INTERFACES = "0.0.0.0"  # noqa: S104

PRODUCTION = {
    "PROFILE": "production",
    "POSTGRES_HOST": "db.internal",
    "POSTGRES_USER": "careers",
    "POSTGRES_PASSWORD": "s3cret",
    "REDIS_HOST": "redis.internal",
    "REDIS_PASSWORD": "r3dis",
    "RASA_WORKERS": "3",
    "ACTION_WORKERS": "4",
    "WEB_WORKERS": "2",
    "BIND_HOST": ALL_INTERFACES,
    "ACTIONS_HOST": ALL_INTERFACES,
    "ALLOWED_ORIGINS": "https://careers.example.org",
    "ACTION_ENDPOINT_URL": "http://actions:5055/webhook",
    "RASA_URL": "http://rasa-router:5005",
    "PUBLIC_WEB_URL": "https://assistant.example.org",
}


def without_api(args: list[str]) -> list[str]:
    """make run always turns Rasa's HTTP API on behind a token it makes up (the console
    uses it); a container only when RASA_API_TOKEN is given."""
    return args[: args.index("--enable-api")] if "--enable-api" in args else args


@pytest.fixture
def model(tmp_path):
    path = tmp_path / "careers-0123456789abcdef.tar.gz"
    path.write_bytes(b"")
    return path


def built(name, env):
    return serve.build_service(name, env, serve.load_profile(serve.STATE_DIR, env))


def option(args, name):
    return args[args.index(name) + 1]


def test_the_rasa_container_runs_what_make_run_runs_in_the_production_profile(model, tmp_path):
    env = {**PRODUCTION, "RASA_MODEL": str(model)}
    container = built("rasa", env)
    local = build_stack(model, "production", tmp_path, env=env).rasas[0]
    assert container.args == without_api(local.args)
    assert option(container.args, "--endpoints") == "endpoints.production.yml"
    assert option(container.args, "--interface") == ALL_INTERFACES
    assert option(container.args, "--cors") == "https://careers.example.org"
    assert "--enable-api" not in container.args  # no token, no HTTP API
    # Same environment, except where the action server is: a service name, not loopback.
    assert {**container.env, "ACTION_ENDPOINT_URL": ""} == {**local.env, "ACTION_ENDPOINT_URL": ""}
    process = serve.process_env(container, env)
    assert process["ACTION_ENDPOINT_URL"] == "http://actions:5055/webhook"
    assert process["SANIC_WORKERS"] == "3"
    assert process["POSTGRES_HOST"] == "db.internal"
    assert process["RASA_TELEMETRY_ENABLED"] == "false"


def test_the_http_api_is_on_only_behind_the_token(model):
    args = built("rasa", {**PRODUCTION, "RASA_MODEL": str(model), "RASA_API_TOKEN": "t0k"}).args
    assert args[args.index("--enable-api") :][:2] == ["--enable-api", "--auth-token=t0k"]


def test_the_action_and_web_containers_run_what_make_run_runs(model, tmp_path):
    local = build_stack(model, "production", tmp_path, env=PRODUCTION)
    actions = built("actions", PRODUCTION)
    assert actions.args == local.actions.args
    assert actions.env == local.actions.env
    assert actions.env["SANIC_HOST"] == ALL_INTERFACES
    assert actions.env["ACTION_SERVER_SANIC_WORKERS"] == "4"
    web = built("web", PRODUCTION)
    assert web.args == local.web.args
    assert web.env["RASA_URL"] == "http://rasa-router:5005"
    for name in ("CONVERSATIONS_DB_URL", "WEB_WORKERS"):
        assert web.env[name] == local.web.env[name]
    assert "db.internal" in web.env["CONVERSATIONS_DB_URL"]
    assert web.env["CONSOLE_COOKIE_SECURE"] == "true"  # HTTPS anywhere but a developer's loopback


@pytest.mark.parametrize(
    ("service", "missing"), [("rasa", "ACTION_ENDPOINT_URL"), ("web", "RASA_URL")]
)
def test_a_missing_address_is_named_not_a_stack_trace(service, missing, model, monkeypatch, capsys):
    monkeypatch.chdir(PROJECT_ROOT)
    env = {k: v for k, v in PRODUCTION.items() if k != missing} | {"RASA_MODEL": str(model)}
    assert serve.main([service], env) == 2
    error = capsys.readouterr().err
    assert missing in error and "Traceback" not in error


def test_the_console_and_public_containers_need_only_what_they_use(monkeypatch):
    """The console never calls Rasa; the public part never opens the database."""
    console_env = {k: v for k, v in PRODUCTION.items() if k != "RASA_URL"}
    console_env["WEB_SERVES"] = "console"
    profile = serve.load_profile(serve.STATE_DIR, console_env)
    console = serve.build_service("web", console_env, profile)
    assert console.args[-2:] == ["-m", "web"] and console.health_path == "/health"

    def no_database(*_args, **_kwargs):
        raise AssertionError("the public web app waited for PostgreSQL")

    monkeypatch.setattr("bot.ops.dependencies.ensure_dependencies", no_database)
    public = {k: v for k, v in PRODUCTION.items() if k != "POSTGRES_PASSWORD"}
    public["WEB_SERVES"] = "public"
    serve.wait_for_dependencies("web", serve.load_profile(serve.STATE_DIR, public), public)
    with pytest.raises(AssertionError, match="waited for PostgreSQL"):
        serve.wait_for_dependencies("web", profile, console_env)


def test_a_bad_profile_is_named(monkeypatch, capsys):
    monkeypatch.chdir(PROJECT_ROOT)
    assert serve.main(["web"], {**PRODUCTION, "PROFILE": "staging"}) == 2
    assert "PROFILE" in capsys.readouterr().err


def test_the_model_is_the_one_in_the_image_or_rasa_model(tmp_path):
    with pytest.raises(serve.SettingError, match="RASA_MODEL"):
        serve.find_model({}, tmp_path)
    (tmp_path / "careers-aaaa.tar.gz").write_bytes(b"")
    assert serve.find_model({}, tmp_path).name == "careers-aaaa.tar.gz"
    (tmp_path / "careers-bbbb.tar.gz").write_bytes(b"")
    with pytest.raises(serve.SettingError, match="exactly one model"):
        serve.find_model({}, tmp_path)
    with pytest.raises(serve.SettingError, match="not a file"):
        serve.find_model({"RASA_MODEL": str(tmp_path / "missing.tar.gz")}, tmp_path)


def test_unreachable_postgres_is_a_clear_error_after_retrying(monkeypatch, capsys):
    monkeypatch.chdir(PROJECT_ROOT)
    closed = free_port()
    env = {**PRODUCTION, "POSTGRES_HOST": "127.0.0.1", "POSTGRES_PORT": str(closed),
           "DEPENDENCY_WAIT": "1"}
    assert serve.main(["web"], env) == 1
    output = capsys.readouterr()
    assert "retrying" in output.out
    assert output.err.startswith(f"Could not start: PostgreSQL at 127.0.0.1:{closed}")
    assert "Traceback" not in output.err


def test_the_health_command_asks_the_services_health_path(monkeypatch):
    monkeypatch.chdir(PROJECT_ROOT)
    asked = []

    class Health(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            asked.append(self.path)
            self.send_response(200 if self.path == "/health" else 404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Health)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {**PRODUCTION, "ACTIONS_PORT": str(server.server_address[1])}
    try:
        assert serve.main(["health", "actions"], env) == 0
    finally:
        server.shutdown()
        server.server_close()
    assert asked == ["/health"]
    assert serve.main(["health", "actions"], env) == 1  # nothing listens any more


def start(service, env, tmp_path):
    log = open(tmp_path / f"{service}.log", "wb")  # noqa: SIM115 (closed with the process)
    return subprocess.Popen(
        [sys.executable, str(DOCKER / "serve.py"), service],
        cwd=tmp_path,  # the entrypoint finds the project itself, as in the image
        env={"PATH": os.environ["PATH"], "HOME": str(tmp_path), **env},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_healthy(service, url, env, process, tmp_path, timeout=120):
    """Wait until `url` answers, then ask the container's own health command too."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, (tmp_path / f"{service}.log").read_text()[-2000:]
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (loopback)
                break
        except OSError:
            time.sleep(0.3)
    else:
        pytest.fail(f"{service} did not start: {(tmp_path / f'{service}.log').read_text()}")
    health = subprocess.run(
        [sys.executable, str(DOCKER / "serve.py"), "health", service],
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        timeout=60,
    )
    assert health.returncode == 0, health.stderr


def stop(process):
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.mark.e2e
def test_the_action_server_container_command_answers_over_http(spacy_pipeline, tmp_path):
    port = free_port()
    env = {"PROFILE": "production", "ACTIONS_HOST": "127.0.0.1", "ACTIONS_PORT": str(port),
           "ACTION_WORKERS": "1"}
    process = start("actions", env, tmp_path)
    try:
        wait_healthy("actions", f"http://127.0.0.1:{port}/health", env, process, tmp_path)
        call = {
            "next_action": "action_suggest_topics",
            "sender_id": "d4c1b0e6a2f34e5b9c7d8e9f00112233",
            "tracker": {
                "sender_id": "d4c1b0e6a2f34e5b9c7d8e9f00112233",
                "slots": {},
                "latest_message": {
                    "text": "how much are prosecutors paid",
                    "intent": {"name": "nlu_fallback", "confidence": 0.3},
                    "intent_ranking": [{"name": "salary", "confidence": 0.3}],
                    "entities": [],
                },
                "events": [],
                "paused": False,
                "followup_action": None,
                "active_loop": {},
                "latest_action_name": "action_listen",
            },
            "domain": {"slots": {}, "intents": [], "entities": [], "responses": {}},
            "version": "3.6.21",
        }
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/webhook",
            data=json.dumps(call).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
            reply = json.load(response)
        custom = [r["custom"] for r in reply["responses"] if r.get("custom")]
        assert custom and custom[0]["topic"] == "fallback"
        assert "salary" in custom[0]["suggestions"]
    finally:
        stop(process)


@pytest.mark.e2e
def test_the_web_container_command_serves_the_widget_page(tmp_path):
    port = free_port()
    env = {"PROFILE": "embedded", "BIND_HOST": "127.0.0.1", "WEB_PORT": str(port),
           "RASA_URL": "http://127.0.0.1:9", "TRACKER_DB": str(tmp_path / "tracker.db")}
    process = start("web", env, tmp_path)
    try:
        wait_healthy("web", f"http://127.0.0.1:{port}/", env, process, tmp_path)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as page:  # noqa: S310
            assert "widget.js" in page.read().decode()
    finally:
        stop(process)
