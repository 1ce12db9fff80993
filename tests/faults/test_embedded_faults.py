"""Faults on the embedded default profile (SQLite), with real processes stopped, slowed and
broken: the same requirements as on the production profile (test_production_faults.py).

A slow action server is the stand-in of fault_checks.py on the real one's port (the real
one cannot be made slow without changing its code, and from Rasa's side the stand-in is an
overloaded action server). The tracker store's database is made unopenable by putting a
folder where its file was.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from assistant_client import new_sender
from fault_checks import (
    APOLOGY_WITHIN,
    LogWatch,
    TrackerStore,
    assert_answer,
    assert_apology,
    late_answering_server,
    timed_send,
    user_texts,
)

pytestmark = pytest.mark.e2e

QUESTION = "what does a crown prosecutor earn?"


def private_question() -> str:
    """A question found in no log unless logged: letters only, so the redaction (which finds
    identifiers such as NI numbers in random digits) stores it unchanged."""
    letters = new_sender().translate(str.maketrans("0123456789", "ghijklmnop"))
    return f"my private question {letters}"


@pytest.fixture(scope="module")
def embedded(start_assistant) -> Iterator:
    """An action server and Rasa of this module's own, which it stops, slows and breaks."""
    with start_assistant("embedded-faults") as running:
        yield running


@pytest.fixture
def assistant(embedded) -> Iterator:
    """Each test starts with a working action server and leaves one behind."""
    if not embedded.actions_service.running():
        embedded.start_actions()
    yield embedded
    if not embedded.actions_service.running():
        embedded.start_actions()


def tracker_db(assistant) -> Path:
    return Path(assistant.rasa_service.env["TRACKER_DB"])


@contextmanager
def tracker_database_unavailable(assistant) -> Iterator[None]:
    path = tracker_db(assistant)
    kept = path.with_name(path.name + ".kept")
    path.rename(kept)
    path.mkdir()  # SQLite cannot open a folder: every read and write fails
    try:
        yield
    finally:
        path.rmdir()
        kept.rename(path)


def started(assistant) -> tuple[str, TrackerStore, LogWatch]:
    """A conversation answered once, where it is stored, and Rasa's log from now on."""
    log = LogWatch(assistant.rasa_service.log_path)
    sender = new_sender()
    assert_answer(assistant.send(sender, QUESTION), "salary")
    log.new_lines()
    return sender, TrackerStore.sqlite(tracker_db(assistant)), log


def test_action_server_down_then_slow_gets_the_apology_fast_and_recovers_by_itself(assistant):
    # One test, so the action server is restarted once (it takes a while to start).
    sender, store, log = started(assistant)

    assistant.actions_service.stop()
    marker = private_question()
    messages, seconds = timed_send(assistant, sender, marker)
    assert_apology(messages)
    assert seconds < APOLOGY_WITHIN
    assert len(log.new_apologies()) == 1  # logged once
    assert marker not in assistant.rasa_service.log_path.read_text()  # without what was typed

    with late_answering_server(assistant.actions_service.port, delay=30) as late:
        for text in (QUESTION, "/pathway-finder"):  # one action call; several
            calls = late.calls
            messages, seconds = timed_send(assistant, sender, text)
            assert late.calls > calls, (
                "Rasa never called the stand-in: the apology had another cause"
            )
            assert_apology(messages)
            assert seconds < APOLOGY_WITHIN

    assistant.start_actions()
    assert_answer(assistant.send(sender, QUESTION), "salary")
    # Every turn is on record, the failed ones included: nothing was lost or half-written.
    assert user_texts(store.events(sender)) == [
        QUESTION,
        marker,
        QUESTION,
        "/pathway-finder",
        QUESTION,
    ]


def test_a_database_failure_mid_conversation_gets_the_apology_and_recovers(assistant):
    sender, store, log = started(assistant)
    marker = private_question()
    with tracker_database_unavailable(assistant):
        messages, seconds = timed_send(assistant, sender, marker)
    assert_apology(messages)
    assert seconds < APOLOGY_WITHIN
    apologies = log.new_apologies()
    assert len(apologies) == 1 and "OperationalError" in apologies[0]
    assert marker not in assistant.rasa_service.log_path.read_text()

    # Nothing half-written: the conversation goes on from where it was.
    assert_answer(assistant.send(sender, "what about London?"), "salary")
    assert user_texts(store.events(sender)) == [QUESTION, "what about London?"]
