"""What the fault tests look at: replies, timing, the tracker store, Rasa's log, and the
stand-in for a slow action server."""

from __future__ import annotations

import json
import re
import socketserver
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from assistant_client import Assistant, Messages, contract_payload
from sqlalchemy.pool import NullPool

from bot.knowledge import load_knowledge
from bot.limits.settings import ChannelSettings
from bot.ops.profiles import Postgres

KB = load_knowledge()
UNAVAILABLE = "unavailable"
ERROR_LINE = re.compile(r"\bERROR\b")
# Every fault's apology, on either profile: the guard answers a turn by REPLY_TIMEOUT (3 s)
# whatever failed (a down service fails at once, a slow action call at ACTION_TIMEOUT,
# 1.5 s), and one second more leaves room for a loaded two-core machine.
APOLOGY_WITHIN = ChannelSettings().reply_timeout + 1.0


def timed_send(assistant: Assistant, sender: str, text: str) -> tuple[Messages, float]:
    """The reply (any status but 200 fails) and how many seconds it took."""
    started = time.monotonic()
    messages = assistant.send(sender, text, timeout=60)
    return messages, time.monotonic() - started


def is_apology(messages: Messages) -> bool:
    return contract_payload(messages).get("notice") == UNAVAILABLE


def assert_apology(messages: Messages) -> None:
    """The channel's apology, worded by the knowledge file, with the human contact route."""
    payload = contract_payload(messages)
    assert payload.get("notice") == UNAVAILABLE, messages
    assert payload["topic"] == "human-handoff"
    assert payload["source"] == KB.conversation[UNAVAILABLE].source
    texts = [m["text"] for m in messages if m.get("text")]
    assert texts == [KB.conversation[UNAVAILABLE].answer.strip()]


def assert_answer(messages: Messages, topic: str, subject: str | None = None) -> None:
    payload = contract_payload(messages)
    assert "notice" not in payload, f"expected an answer, got the {payload['notice']!r} notice"
    assert payload["topic"] == topic, messages
    if subject is not None:
        assert payload.get("subject") == subject, messages


class TrackerStore:
    """Rasa's `events` table, read without pooling, so a read after a database restart
    never meets a connection the restart cut."""

    def __init__(self, url: str):
        self.engine = sa.create_engine(url, poolclass=NullPool, future=True)

    @classmethod
    def postgres(cls, port: int, password: str, database: str = "careers") -> TrackerStore:
        return cls(Postgres(port=port, database=database, password=password).url())

    @classmethod
    def sqlite(cls, path: Path) -> TrackerStore:
        return cls(f"sqlite:///{path}")

    def events(self, sender: str) -> list[dict]:
        query = sa.text("SELECT data FROM events WHERE sender_id = :sender ORDER BY id")
        with self.engine.connect() as connection:
            return [json.loads(row[0]) for row in connection.execute(query, {"sender": sender})]


def user_texts(events: list[dict]) -> list[str]:
    return [event["text"] for event in events if event["event"] == "user"]


def bot_texts(events: list[dict]) -> list[str]:
    return [event["text"] for event in events if event["event"] == "bot" and event.get("text")]


def turns(events: list[dict]) -> list[list[dict]]:
    """The events from each user message up to (not including) the next one."""
    split: list[list[dict]] = []
    for event in events:
        if event["event"] == "user":
            split.append([])
        if split:
            split[-1].append(event)
    return split


def is_complete(turn: list[dict]) -> bool:
    """A finished turn: the message, at least one reply, and Rasa listening again."""
    kinds = [event["event"] for event in turn]
    return (
        "bot" in kinds and turn[-1]["event"] == "action" and turn[-1].get("name") == "action_listen"
    )


class LogWatch:
    """The lines a service's log gained since the last look."""

    def __init__(self, path: Path):
        self.path = path
        self.offset = path.stat().st_size if path.exists() else 0

    def new_lines(self) -> list[str]:
        with self.path.open("rb") as log:
            log.seek(self.offset)
            added = log.read()
        self.offset += len(added)
        return added.decode("utf-8", errors="replace").splitlines()

    def new_errors(self) -> list[str]:
        return [line for line in self.new_lines() if ERROR_LINE.search(line)]

    def new_apologies(self) -> list[str]:
        """The guard's error lines: one per turn that got the apology."""
        return [line for line in self.new_errors() if "the visitor got the apology" in line]


class _LateHandler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        self.request.recv(65536)  # the action call: accepted and read ...
        self.server.calls += 1
        if self.server.stopping.wait(self.server.delay):  # ... and answered late, if at all
            return
        body = json.dumps({"events": [], "responses": []}).encode()
        head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}"
        self.request.sendall(head.encode() + b"\r\n\r\n" + body)


class _LateServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, port: int, delay: float):
        super().__init__(("127.0.0.1", port), _LateHandler)
        self.delay = delay
        self.calls = 0
        self.stopping = threading.Event()


@contextmanager
def late_answering_server(port: int, delay: float = 30) -> Iterator[_LateServer]:
    """A stand-in for an overloaded action server: it takes each call and answers `delay`
    seconds later. Its `calls` counts the calls it took."""
    server = _LateServer(port, delay)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
