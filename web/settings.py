"""Settings from the environment, checked once at start-up so a typo fails loudly."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.limits.settings import Limits, SettingsError, env_float, env_int
from bot.storage.requests import retention_days as request_retention_days
from bot.storage.retention import (
    DEFAULT_DAYS,
    DEFAULT_SENSITIVE_DAYS,
    retention_days,
    sensitive_retention_days,
)
from web.transparency import EVALUATION_FILE

# scheme://host[:port] with nothing after it: what a browser sends as Origin.
ORIGIN = re.compile(
    r"^https?://[A-Za-z0-9.-]+(:\d{1,5})?$|^https?://\[[0-9A-Fa-f:.]+\](:\d{1,5})?$"
)

__all__ = ["Settings", "SettingsError", "parse_origins"]

# What one web app process serves: the public part (demo pages, widget, its API), the
# recruiter console, or both. A deployment runs them apart, so a flood of sign-ins to the
# console cannot take the widget's API down with it (deploy/kubernetes/console.yaml).
SERVES = ("all", "public", "console")


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    rasa_url: str = "http://127.0.0.1:5005"
    allowed_origins: tuple[str, ...] = ("http://localhost:8000", "http://127.0.0.1:8000")
    max_message_chars: int = 1000
    rasa_timeout: float = 10.0  # seconds; a visitor should not wait longer for one answer
    limits: Limits = field(default_factory=Limits)  # messages a minute per conversation, address
    evaluation_file: Path = EVALUATION_FILE  # the accuracy the transparency pages publish
    serves: str = "all"  # WEB_SERVES: all, public or console
    retention_days: int = DEFAULT_DAYS  # stated by the privacy notice (bot.storage.retention)
    sensitive_retention_days: int = DEFAULT_SENSITIVE_DAYS
    # Questions sent to the recruitment team (web/handoff.py): how soon visitors are told to
    # expect a reply, in working days; how long after it is finished a request is kept; and
    # how many may be sent an hour from one conversation and from one address.
    request_reply_days: int = 5
    request_retention_days: int = 30
    requests_per_conversation: int = 3
    requests_per_address: int = 10

    @property
    def public(self) -> bool:
        return self.serves in ("all", "public")

    @property
    def console(self) -> bool:
        return self.serves in ("all", "console")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        port = env_int(env, "WEB_PORT", cls.port, 1, 65535)
        origins = env.get("ALLOWED_ORIGINS") or f"http://localhost:{port},http://127.0.0.1:{port}"
        try:
            retention = retention_days(env), sensitive_retention_days(env)
            request_days = request_retention_days(env)
        except ValueError as error:
            raise SettingsError(str(error)) from None
        return cls(
            request_reply_days=env_int(env, "REQUEST_REPLY_DAYS", cls.request_reply_days, 1, 60),
            request_retention_days=request_days,
            requests_per_conversation=env_int(
                env, "REQUEST_LIMIT_PER_CONVERSATION", cls.requests_per_conversation, 0, 1000
            ),
            requests_per_address=env_int(
                env, "REQUEST_LIMIT_PER_ADDRESS", cls.requests_per_address, 0, 10_000
            ),
            retention_days=retention[0],
            sensitive_retention_days=retention[1],
            host=env.get("WEB_HOST") or cls.host,
            port=port,
            rasa_url=_url(env.get("RASA_URL") or cls.rasa_url),
            allowed_origins=parse_origins(origins),
            max_message_chars=env_int(env, "MAX_MESSAGE_CHARS", cls.max_message_chars, 1, 100_000),
            rasa_timeout=env_float(env, "RASA_TIMEOUT", cls.rasa_timeout, 0.1, 120),
            limits=Limits.from_env(env),
            evaluation_file=Path(env.get("EVALUATION_FILE") or cls.evaluation_file),
            serves=_serves(env.get("WEB_SERVES") or cls.serves),
        )


def _serves(value: str) -> str:
    value = value.strip().lower()
    if value not in SERVES:
        raise SettingsError(f"WEB_SERVES: {value!r} is not one of {', '.join(SERVES)}")
    return value


def parse_origins(value: str) -> tuple[str, ...]:
    origins = []
    for item in value.split(","):
        origin = item.strip().rstrip("/")
        if not origin:
            continue
        if not ORIGIN.match(origin):
            raise SettingsError(
                f"ALLOWED_ORIGINS: {origin!r} is not an origin like https://careers.example.org"
            )
        origins.append(origin.lower())
    return tuple(origins)


def _url(value: str) -> str:
    if not re.match(r"^https?://[^\s/]+", value):
        raise SettingsError(f"RASA_URL: {value!r} is not an http(s) address")
    return value.rstrip("/")
