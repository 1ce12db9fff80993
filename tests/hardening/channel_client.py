"""Talking to the REST channel with any body, and reading what Rasa stored for a conversation."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import requests
from assistant_client import Messages, contract_payload

from bot.channels.headers import SECURITY_HEADERS
from bot.knowledge import load_knowledge

KB = load_knowledge()


def post(
    webhook: str, body: Any = None, *, raw: bytes | None = None, headers=None, timeout: float = 30
) -> requests.Response:
    data = raw if raw is not None else json.dumps(body).encode()
    return requests.post(webhook, data=data, headers=headers or {}, timeout=timeout)


def say(webhook: str, sender: str, message: str, **kwargs) -> Messages:
    response = post(webhook, {"sender": sender, "message": message}, **kwargs)
    assert response.status_code == 200, response.text
    assert_security_headers(response)
    return response.json()


def assert_security_headers(response: requests.Response) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, name
    assert response.headers["Content-Type"].startswith("application/json")


def notice_of(messages: Messages) -> str | None:
    """Which guard reply this is (None for an answer from the assistant), checking the contract."""
    payload = contract_payload(messages)
    key = payload.get("notice")
    if key is not None:
        texts = [m["text"] for m in messages if m.get("text")]
        assert texts == [KB.conversation[key].answer.strip()]
    return key


def tracker_db(assistant) -> Path:
    return Path(assistant.rasa_service.env["TRACKER_DB"])


def stored_events(assistant, sender: str) -> list[dict]:
    """The events Rasa saved for `sender`, read straight from the SQLite tracker store."""
    path = tracker_db(assistant)
    if not path.is_file():
        return []
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT data FROM events WHERE sender_id = ? ORDER BY id", (sender,)
        ).fetchall()
    return [json.loads(data) for (data,) in rows]


def stored_user_events(assistant, sender: str) -> list[dict]:
    return [e for e in stored_events(assistant, sender) if e.get("event") == "user"]


def senders(assistant) -> set[str]:
    with sqlite3.connect(tracker_db(assistant)) as db:
        return {row[0] for row in db.execute("SELECT DISTINCT sender_id FROM events")}
