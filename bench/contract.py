"""The answer contract (../shared/README.md), checked on every reply the benchmark gets.

A reply that breaks it counts as an error, however fast it came back; so does a
notice the channel's guard sends instead of an answer (bot/channels/guard.py:
the apology when a turn fails or is too slow, "slow down" past a rate limit).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

Messages = list[dict[str, Any]]


def topic_payloads(messages: Messages) -> list[dict[str, Any]]:
    return [
        m["custom"]
        for m in messages
        if isinstance(m, dict) and isinstance(m.get("custom"), dict) and "topic" in m["custom"]
    ]


def reply_topic(messages: Messages) -> str | None:
    """The topic of a reply that keeps the contract, else None."""
    payloads = topic_payloads(messages)
    return str(payloads[0]["topic"]) if len(payloads) == 1 else None


def _iso_date(value: Any) -> bool:
    try:
        date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


def contract_error(messages: Any, knowledge_topics: Collection[str]) -> str | None:
    """Why `messages` (one turn's reply) is no proper answer, as "kind: detail"; None if it is.

    `knowledge_topics` are the knowledge file's entry ids: answers on them must
    also carry an https `source` and an ISO `reviewed` date.
    """
    if not isinstance(messages, list):
        return "contract: reply is not a list of messages"
    payloads = topic_payloads(messages)
    if len(payloads) != 1:
        return f"contract: {len(payloads)} topic payloads instead of one"
    payload = payloads[0]
    if "notice" in payload:
        return f"notice {payload['notice']}: the channel's guard answered instead"
    if payload["topic"] in knowledge_topics:
        if not str(payload.get("source", "")).startswith("https://"):
            return f"contract: knowledge answer on {payload['topic']} without an https source"
        if not _iso_date(payload.get("reviewed")):
            return f"contract: knowledge answer on {payload['topic']} without a reviewed date"
    return None
