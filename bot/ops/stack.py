"""The assistant's processes for one profile: action server, Rasa instance(s), web app.

Used by `make run`, `make bench` and the tests of the production profile, so all
three start exactly the same processes with the same settings.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.ops import PROJECT_ROOT
from bot.ops.dependencies import ensure_dependencies
from bot.ops.model import check_model
from bot.ops.profiles import Profile, load_profile
from bot.ops.services import Service, action_server, free_port, rasa_server, web_app

LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass
class Stack:
    model: Path
    profile: Profile
    actions: Service
    rasas: list[Service]
    web: Service

    @property
    def services(self) -> list[Service]:
        """In start order: Rasa calls the action server, the web app calls Rasa."""
        return [self.actions, *self.rasas, self.web]

    def start(self, timeout: float = 180, report=print) -> None:
        check_model(self.model)  # Rasa would start "healthy" with a corrupt one, then say nothing
        wait = float(os.environ.get("DEPENDENCY_WAIT") or 30)
        ensure_dependencies(self.profile, wait=wait, report=report)
        try:
            for service in self.services:
                report(f"Starting {service.name} on {service.url} ...")
                service.start()
                service.wait_until_healthy(timeout=timeout)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        for service in reversed(self.services):
            service.stop()


def _action_server(
    profile: Profile, settings: Mapping[str, str], state_dir: Path, port: int, web_port: int
) -> Service:
    # The action server answers Rasa only, so it stays on loopback unless told otherwise.
    return action_server(
        port,
        host=settings.get("ACTIONS_HOST") or "127.0.0.1",
        log_path=state_dir / "actions.log",
        # The offer of the recruitment team's form links to this web app's page.
        env={
            **profile.action_env,
            "PUBLIC_WEB_URL": settings.get("PUBLIC_WEB_URL") or f"http://localhost:{web_port}",
        },
    )


def _rasa_servers(
    model: Path,
    profile: Profile,
    state_dir: Path,
    ports: list[int],
    *,
    host: str,
    action_url: str,
    origins: str,
    api_token: str,
) -> list[Service]:
    rasas = []
    for index, rasa_port in enumerate(ports):
        several = len(ports) > 1
        rasa = rasa_server(
            model,
            port=rasa_port,
            host=host,
            action_url=action_url,
            endpoints=profile.endpoints,
            cors=origins.split(","),
            api_token=api_token,
            log_path=state_dir / f"rasa{f'-{index + 1}' if several else ''}.log",
            env=profile.rasa_env,
        )
        rasa.name += f" {index + 1}" if several else ""
        rasas.append(rasa)
    return rasas


def _web_env(
    profile: Profile,
    settings: Mapping[str, str],
    state_dir: Path,
    *,
    host: str,
    origins: str,
    api_token: str,
    rasas: list[Service],
) -> dict[str, str]:
    return {
        **profile.web_env,
        "RASA_API_TOKEN": api_token,
        "ALLOWED_ORIGINS": origins,
        "WEB_WORKERS": str(profile.web_workers),
        # Replies to visitors' questions, without SMTP_HOST: .eml files beside the logs.
        "MAIL_OUTBOX": settings.get("MAIL_OUTBOX") or str(state_dir / "outbox"),
        # Plain http on this machine cannot carry Secure cookies; anywhere else it must.
        "CONSOLE_COOKIE_SECURE": settings.get("CONSOLE_COOKIE_SECURE")
        or ("false" if host in LOOPBACK else "true"),
    }


def build_stack(
    model: Path,
    profile: str | Profile | None = None,
    state_dir: Path | None = None,
    *,
    rasa_instances: int = 1,
    env: Mapping[str, str] | None = None,
    free_ports: bool = False,
) -> Stack:
    """Describe (not start) the processes. `env` overrides os.environ for settings.

    With `free_ports` every service gets a free port instead of its configured
    one, so tests and benchmarks can run beside a `make run`.
    """
    settings = {**os.environ, **(env or {})}
    state_dir = Path(state_dir or PROJECT_ROOT / "var")
    state_dir.mkdir(parents=True, exist_ok=True)
    if not isinstance(profile, Profile):
        profile = load_profile(state_dir, {**settings, **({"PROFILE": profile} if profile else {})})

    def port(name: str, default: int) -> int:
        return free_port() if free_ports else int(settings.get(name) or default)

    host = settings.get("BIND_HOST") or "127.0.0.1"
    web_port = port("WEB_PORT", 8000)
    origins = settings.get("ALLOWED_ORIGINS") or (
        f"http://localhost:{web_port},http://127.0.0.1:{web_port}"
    )
    actions = _action_server(profile, settings, state_dir, port("ACTIONS_PORT", 5055), web_port)
    # The console asks Rasa what its model makes of a question and replaces the model, so
    # Rasa's HTTP API is on, behind a token made up for this start when none is given.
    api_token = settings.get("RASA_API_TOKEN") or secrets.token_urlsafe(32)
    # Further Rasa instances take the ports after RASA_PORT (5006, 5007, ...).
    first_rasa_port = port("RASA_PORT", 5005)
    rasa_ports = [free_port() if free_ports else first_rasa_port + i for i in range(rasa_instances)]
    rasas = _rasa_servers(
        model,
        profile,
        state_dir,
        rasa_ports,
        host=host,
        action_url=actions.url,
        origins=origins,
        api_token=api_token,
    )
    web_env = _web_env(
        profile, settings, state_dir, host=host, origins=origins, api_token=api_token, rasas=rasas
    )
    web = web_app(
        web_port, rasa_url=rasas[0].url, host=host, log_path=state_dir / "web.log", env=web_env
    )
    return Stack(model=model, profile=profile, actions=actions, rasas=rasas, web=web)
