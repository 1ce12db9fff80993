"""Container entrypoint: run one of the assistant's services, configured from the environment.

    python deploy/docker/serve.py rasa|actions|web [extra arguments for that service]
    python deploy/docker/serve.py health rasa|actions|web   # exit 0 if it answers
    python deploy/docker/serve.py retention|accounts [arguments]   # operator commands

Each image runs one service (deploy/docker/*.Dockerfile). The command line and
environment come from the code `make run` uses (bot.ops.profiles for PROFILE and
its settings, bot.ops.services for each process), so a container runs exactly
the process the tests run. Only the addresses differ: a service listens on
BIND_HOST (ACTIONS_HOST for the action server) and finds the others by URL
(ACTION_ENDPOINT_URL, RASA_URL) instead of on loopback. docs/deploy.md lists
every setting.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from collections.abc import Mapping
from pathlib import Path

# Run as a script, so the project root is not on sys.path unless PYTHONPATH says so.
if str(Path(__file__).resolve().parents[2]) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot import PROJECT_ROOT  # noqa: E402
from bot.ops.model import MODEL_PREFIX, MODELS_DIR  # noqa: E402
from bot.ops.profiles import Profile, ProfileError, load_profile  # noqa: E402
from bot.ops.services import BASE_ENV, Service, action_server, rasa_server, web_app  # noqa: E402

SERVICES = ("rasa", "actions", "web")
# Operator commands that need the web app's view of the database (CONVERSATIONS_DB_URL).
TOOLS = {"retention": "bot.storage.retention", "accounts": "web.console.accounts"}
STATE_DIR = PROJECT_ROOT / "var"
LOOPBACK = "127.0.0.1"


class SettingError(ValueError):
    """A setting the container needs is missing or unusable; the message names it."""


class Unavailable(RuntimeError):
    """PostgreSQL or Redis did not answer in time; the message says which and why."""


def _port(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name) or str(default)
    if not raw.isdigit() or not 1 <= int(raw) <= 65535:
        raise SettingError(f"{name}: {raw!r} is not a port number")
    return int(raw)


def _required_url(env: Mapping[str, str], name: str, example: str) -> str:
    value = (env.get(name) or "").strip()
    if not value.startswith(("http://", "https://")):
        raise SettingError(f"{name} must be set to an http(s) address, e.g. {example}")
    return value


def find_model(env: Mapping[str, str], models_dir: Path = MODELS_DIR) -> Path:
    """RASA_MODEL, else the one model the image was built with."""
    if env.get("RASA_MODEL"):
        model = Path(env["RASA_MODEL"])
        if not model.is_file():
            raise SettingError(f"RASA_MODEL: {model} is not a file")
        return model
    models = sorted(models_dir.glob(f"{MODEL_PREFIX}*.tar.gz"))
    if len(models) != 1:
        found = ", ".join(m.name for m in models) or "none"
        raise SettingError(
            f"expected exactly one model in {models_dir} (found {found}); set RASA_MODEL"
        )
    return models[0]


def build_service(name: str, env: Mapping[str, str], profile: Profile) -> Service:
    """The Service (command line, environment, port, health path) for one container."""
    if name == "actions":
        # The offer of the recruitment team's form links to the public web app.
        public = {"PUBLIC_WEB_URL": env["PUBLIC_WEB_URL"]} if env.get("PUBLIC_WEB_URL") else {}
        return action_server(
            _port(env, "ACTIONS_PORT", 5055),
            host=env.get("ACTIONS_HOST") or LOOPBACK,
            env={**profile.action_env, **public},
        )
    if name == "rasa":
        action_endpoint = _required_url(
            env, "ACTION_ENDPOINT_URL", "http://actions:5055/webhook"
        )
        origins = env.get("ALLOWED_ORIGINS")
        service = rasa_server(
            find_model(env),
            port=_port(env, "RASA_PORT", 5005),
            host=env.get("BIND_HOST") or LOOPBACK,
            action_url="",  # replaced below: in a cluster the address is a service name
            endpoints=profile.endpoints,
            cors=origins.split(",") if origins else None,
            api_token=env.get("RASA_API_TOKEN") or None,
            env=profile.rasa_env,
        )
        service.env["ACTION_ENDPOINT_URL"] = action_endpoint
        return service
    if name == "web":
        web_env = {
            **profile.web_env,
            "WEB_WORKERS": str(profile.web_workers),
            # Anywhere but a developer's loopback the console is served over HTTPS.
            "CONSOLE_COOKIE_SECURE": env.get("CONSOLE_COOKIE_SECURE") or "true",
        }
        # The console alone never calls Rasa; the public part must know where it is.
        rasa_url = (
            env.get("RASA_URL") or "http://127.0.0.1:5005"
            if _web_serves(env) == "console"
            else _required_url(env, "RASA_URL", "http://rasa:5005")
        )
        return web_app(
            _port(env, "WEB_PORT", 8000),
            rasa_url=rasa_url,
            host=env.get("BIND_HOST") or LOOPBACK,
            env=web_env,
        )
    raise SettingError(f"unknown service {name!r}; one of {', '.join(SERVICES)}")


def _web_serves(env: Mapping[str, str]) -> str:
    return (env.get("WEB_SERVES") or "all").strip().lower()


def process_env(service: Service, env: Mapping[str, str]) -> dict[str, str]:
    """What the service's process gets, exactly as Service.start composes it."""
    return {**env, **BASE_ENV, **service.env}


def wait_for_dependencies(name: str, profile: Profile, env: Mapping[str, str]) -> None:
    """PostgreSQL (and Redis for Rasa): a clear line while waiting, a plain error at the end."""
    if name == "actions" or (name == "web" and _web_serves(env) == "public"):
        return  # neither uses the database
    # Imported here: it needs the Redis client, which the action server image does not have.
    from bot.ops.dependencies import DependencyError, ensure_dependencies

    if name != "rasa":  # the web app and the operator commands use PostgreSQL only
        profile = dataclasses.replace(profile, redis=None)
    wait = float(env.get("DEPENDENCY_WAIT") or 60)
    try:
        ensure_dependencies(profile, wait=wait, report=lambda line: print(line, flush=True))
    except DependencyError as error:
        raise Unavailable(str(error)) from None


def run_tool(tool: str, args: list[str], env: Mapping[str, str], profile: Profile) -> None:
    wait_for_dependencies(tool, profile, env)
    command = [sys.executable, "-m", TOOLS[tool], *args]
    os.execve(command[0], command, {**env, **BASE_ENV, **profile.web_env})  # noqa: S606


def check_health(name: str, env: Mapping[str, str], profile: Profile) -> int:
    service = build_service(name, env, profile)
    # Ask on loopback whatever address the service listens on (0.0.0.0 in a container).
    return 0 if dataclasses.replace(service, host=LOOPBACK).healthy() else 1


def main(argv: list[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    env = dict(os.environ if env is None else env)
    if not argv or argv[0] not in (*SERVICES, "health", *TOOLS):
        print(__doc__, file=sys.stderr)
        return 2
    os.chdir(PROJECT_ROOT)  # Rasa resolves the spaCy pipeline's path from here
    try:
        profile = load_profile(STATE_DIR, env)
        if argv[0] == "health":
            return check_health(argv[1] if len(argv) > 1 else "", env, profile)
        if argv[0] in TOOLS:
            run_tool(argv[0], argv[1:], env, profile)
        service = build_service(argv[0], env, profile)
        wait_for_dependencies(argv[0], profile, env)
    except (ProfileError, SettingError) as error:
        print(f"Setting not usable: {error}", file=sys.stderr)
        return 2
    except Unavailable as error:
        print(f"Could not start: {error}", file=sys.stderr)
        return 1
    args = [*service.args, *argv[1:]]
    print(f"Starting {service.name} on {service.url} ({profile.name} profile)", flush=True)
    os.execve(args[0], args, process_env(service, env))  # noqa: S606
    return 1  # not reached: execve replaces this process


if __name__ == "__main__":
    sys.exit(main())
