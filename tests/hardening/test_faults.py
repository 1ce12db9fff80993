"""Faults seen at the channel, with real processes stopped, slowed and broken.

The action server is really stopped; for a slow one, a stand-in takes its port that
accepts each call and answers only after 30 s (the real action server cannot be made
slow without changing its code, and a stand-in behaves exactly like an overloaded one
from Rasa's side). The tracker store's database is made unopenable by putting a folder
where its file was.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from assistant_client import contract_payload, new_sender
from channel_client import (
    KB,
    notice_of,
    rasa_log,
    say,
    start_actions,
    stored_user_events,
    tracker_db,
)

pytestmark = pytest.mark.e2e

# Seconds. One slow or failed action call: ACTION_TIMEOUT (1.5 s) and some slack. A turn that
# calls several actions (the pathway finder): REPLY_TIMEOUT (3 s) and some slack.
APOLOGY_WITHIN = 2.5
SEVERAL_ACTIONS_APOLOGY_WITHIN = 3.5
QUESTION = "what does a crown prosecutor earn?"


def timed_say(isolated, sender: str, message: str) -> tuple[list, float]:
    started = time.monotonic()
    messages = say(isolated.webhook, sender, message, timeout=30)
    return messages, time.monotonic() - started


def assert_apology(messages: list) -> None:
    assert notice_of(messages) == "unavailable"
    payload = contract_payload(messages)
    assert payload["topic"] == "human-handoff"
    assert payload["source"] == KB.conversation["unavailable"].source


def assert_answered(messages: list, topic: str = "salary") -> None:
    assert notice_of(messages) is None
    assert contract_payload(messages)["topic"] == topic


def error_lines(isolated) -> list[str]:
    lines = rasa_log(isolated).splitlines()
    return [line for line in lines if "the visitor got the apology" in line]


class SlowHandler(BaseHTTPRequestHandler):
    delay = 30.0

    def do_POST(self) -> None:  # noqa: N802 (the name http.server calls)
        time.sleep(self.delay)
        body = json.dumps({"events": [], "responses": []}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@contextmanager
def slow_action_server(port: int) -> Iterator[None]:
    server = ThreadingHTTPServer(("127.0.0.1", port), SlowHandler)
    server.daemon_threads = True  # closing does not wait for the sleeping calls
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def tracker_database_unavailable(isolated) -> Iterator[None]:
    path = tracker_db(isolated)
    kept = path.with_name(path.name + ".kept")
    path.rename(kept)
    path.mkdir()  # SQLite cannot open a folder: every read and write fails
    try:
        yield
    finally:
        path.rmdir()
        kept.rename(path)


def test_action_server_down_then_slow_gets_the_apology_fast_and_recovers_by_itself(
    isolated, actions_running
):
    # One test, so the action server is restarted once (it takes a while to start).
    sender = new_sender()
    assert_answered(say(isolated.webhook, sender, QUESTION))
    errors_before = len(error_lines(isolated))

    isolated.actions_service.stop()
    marker = f"my private question {new_sender()}"
    messages, elapsed = timed_say(isolated, sender, marker)
    assert_apology(messages)
    assert elapsed < APOLOGY_WITHIN
    assert len(error_lines(isolated)) == errors_before + 1  # logged once
    assert marker not in rasa_log(isolated)  # and without what the visitor typed

    with slow_action_server(isolated.actions_service.port):
        messages, elapsed = timed_say(isolated, sender, QUESTION)
        assert_apology(messages)
        assert elapsed < APOLOGY_WITHIN
        messages, elapsed = timed_say(isolated, sender, "/pathway-finder")
        assert_apology(messages)
        assert elapsed < SEVERAL_ACTIONS_APOLOGY_WITHIN

    start_actions(isolated)
    assert_answered(say(isolated.webhook, sender, QUESTION))
    texts = [event["text"] for event in stored_user_events(isolated, sender)]
    # Every turn is on record, the failed ones included: nothing was lost or half-written.
    assert texts == [QUESTION, marker, QUESTION, "/pathway-finder", QUESTION]


def test_a_database_failure_mid_conversation_gets_the_apology_and_recovers(
    isolated, actions_running
):
    sender = new_sender()
    assert_answered(say(isolated.webhook, sender, QUESTION))
    errors_before = len(error_lines(isolated))
    marker = f"another private question {new_sender()}"
    with tracker_database_unavailable(isolated):
        messages, elapsed = timed_say(isolated, sender, marker)
    assert_apology(messages)
    assert elapsed < APOLOGY_WITHIN
    new_errors = error_lines(isolated)[errors_before:]
    assert len(new_errors) == 1 and "OperationalError" in new_errors[0]
    assert marker not in rasa_log(isolated)

    # Nothing half-written: the conversation goes on from where it was.
    assert_answered(say(isolated.webhook, sender, "what about London?"))
    texts = [event["text"] for event in stored_user_events(isolated, sender)]
    assert texts == [QUESTION, "what about London?"]

