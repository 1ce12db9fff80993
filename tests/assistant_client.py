"""A small client for the assistant's REST channel, shared by the end-to-end tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import requests

Messages = list[dict[str, Any]]


def new_sender() -> str:
    return uuid.uuid4().hex


def contract_payload(messages: Messages) -> dict[str, Any]:
    """The one `custom` payload with a topic that the answer contract promises per turn."""
    payloads = [
        m["custom"]
        for m in messages
        if isinstance(m.get("custom"), dict) and "topic" in m["custom"]
    ]
    assert len(payloads) == 1, f"expected exactly one topic payload, got {messages!r}"
    return payloads[0]


def reply_text(messages: Messages) -> str:
    return "\n".join(m["text"] for m in messages if m.get("text"))


def buttons(messages: Messages) -> list[dict[str, str]]:
    return [b for m in messages for b in m.get("buttons") or []]


@dataclass
class Assistant:
    rasa_url: str
    actions_url: str

    @property
    def webhook(self) -> str:
        return f"{self.rasa_url}/webhooks/rest/webhook"

    def send(
        self, sender: str, message: str, timeout: float = 30, metadata: dict | None = None
    ) -> Messages:
        body: dict[str, Any] = {"sender": sender, "message": message}
        if metadata is not None:
            body["metadata"] = metadata  # what the widget sends: {"lang": "cy"}
        response = requests.post(self.webhook, json=body, timeout=timeout)
        response.raise_for_status()
        return response.json()
