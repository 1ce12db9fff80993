"""The abuse limits and channel guards, from the environment, checked once at start-up.

Shared by Rasa's input channels (bot/channels) and the web app (web/settings.py), so
one variable means the same thing in every process.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

REDIS_URL = re.compile(r"^rediss?://[^\s]+$")


class SettingsError(ValueError):
    """A setting has a value that cannot be used; the message names it."""


@dataclass(frozen=True)
class Limits:
    """How much one conversation and one address may send; 0 turns a limit off."""

    per_conversation: int = 20  # messages a minute
    per_address: int = 120  # messages a minute
    conversation_messages: int = 300  # messages in one conversation, then it is full
    redis_url: str | None = None  # share the counts between workers and hosts

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Limits:
        env = os.environ if env is None else env
        redis_url = env.get("REDIS_URL") or None
        if redis_url is not None and not REDIS_URL.match(redis_url):
            raise SettingsError("REDIS_URL: give an address like redis://127.0.0.1:6379/2")
        return cls(
            per_conversation=env_int(env, "RATE_LIMIT_PER_CONVERSATION", cls.per_conversation),
            per_address=env_int(env, "RATE_LIMIT_PER_ADDRESS", cls.per_address),
            conversation_messages=env_int(
                env, "MAX_CONVERSATION_MESSAGES", cls.conversation_messages
            ),
            redis_url=redis_url,
        )


@dataclass(frozen=True)
class ChannelSettings:
    """What Rasa's input channels accept and how long a visitor waits for an answer."""

    max_message_chars: int = 1000
    # Rasa waits up to 300 s for the action server; a visitor should wait seconds.
    action_timeout: float = 1.5
    # The longest a turn may take before the visitor gets the apology: the backstop for a
    # turn that calls several slow actions (the pathway finder) or a hung database. Well
    # above a normal turn (tens of ms), so a busy machine does not turn answers into apologies.
    reply_timeout: float = 3.0
    limits: Limits = field(default_factory=Limits)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ChannelSettings:
        env = os.environ if env is None else env
        return cls(
            max_message_chars=env_int(
                env, "MAX_MESSAGE_CHARS", cls.max_message_chars, low=1, high=100_000
            ),
            action_timeout=env_float(env, "ACTION_TIMEOUT", cls.action_timeout, 0.1, 300),
            reply_timeout=env_float(env, "REPLY_TIMEOUT", cls.reply_timeout, 0.5, 300),
            limits=Limits.from_env(env),
        )


def env_int(
    env: Mapping[str, str], name: str, default: int, low: int = 0, high: int = 1_000_000
) -> int:
    return _number(env, name, default, low, high, int)


def env_float(env: Mapping[str, str], name: str, default: float, low: float, high: float) -> float:
    return _number(env, name, default, low, high, float)


def _number(env: Mapping[str, str], name: str, default, low, high, kind: type):
    raw = env.get(name)
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise SettingsError(f"{name}: {raw!r} is not {what}") from None
    if not low <= value <= high:
        raise SettingsError(f"{name}: {value} is outside {low}-{high}")
    return value
