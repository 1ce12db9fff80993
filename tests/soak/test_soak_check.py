"""The soak's check finds each kind of loss it is there to find (part of `make test`).

Conversations are built here as the soak records them (soak_load.Turn) and as Rasa's
tracker store keeps them (events as Event.as_dict() writes them).
"""

from __future__ import annotations

import itertools

from soak_check import check_conversation, check_run
from soak_load import APOLOGY, Conversation, Restart, SoakRun, Turn

START = 1_800_000_000.0
QUESTION, FOLLOW_UP = "what does a crown prosecutor do?", "what does it pay?"
ROLE_ANSWER = ("Crown prosecutors review cases and present them in court.", "crown-prosecutor")
PAY_ANSWER = ("Crown prosecutors were advertised at ...", "salary")
APOLOGY_REPLY = [{"text": "Sorry ...", "custom": {"topic": "human-handoff", "notice": APOLOGY}}]


def reply(text: str, topic: str) -> list[dict]:
    """What the REST channel returns for one answer: the text, then the contract payload."""
    return [{"recipient_id": "c", "text": text}, {"recipient_id": "c", "custom": {"topic": topic}}]


def stored(*turns: tuple[str, tuple[str, str] | None]) -> list[dict]:
    """The events of a session, then of each (message, answer or None) in order."""
    clock = itertools.count(START)
    events = [
        {"event": "action", "name": "action_session_start", "timestamp": next(clock)},
        {"event": "session_started", "timestamp": next(clock)},
        {"event": "action", "name": "action_listen", "timestamp": next(clock)},
    ]
    for message, answer in turns:
        events.append({"event": "user", "text": message, "timestamp": next(clock)})
        if answer is not None:
            text, topic = answer
            bot = {"event": "bot", "text": text, "data": {"custom": {"topic": topic}}}
            events.append({**bot, "timestamp": next(clock)})
        events.append({"event": "action", "name": "action_listen", "timestamp": next(clock)})
    return events


def sent(*turns: tuple[str, list[dict] | None], at: float = START) -> Conversation:
    conversation = Conversation(id="soak-1", instance=0)
    for message, messages in turns:
        error = None if messages is not None else "no reply in time"
        conversation.turns.append(
            Turn(text=message, sent_at=at, attempts=1, reply=messages, error=error)
        )
    return conversation


def test_a_conversation_stored_as_it_was_held_passes() -> None:
    conversation = sent((QUESTION, reply(*ROLE_ANSWER)), (FOLLOW_UP, reply(*PAY_ANSWER)))
    found = check_conversation(
        conversation, stored((QUESTION, ROLE_ANSWER), (FOLLOW_UP, PAY_ANSWER))
    )
    assert found.problems == []
    assert (found.user_events, found.bot_events) == (2, 2)


def test_a_message_missing_from_the_store_is_found() -> None:
    conversation = sent((QUESTION, reply(*ROLE_ANSWER)), (FOLLOW_UP, reply(*PAY_ANSWER)))
    found = check_conversation(conversation, stored((QUESTION, ROLE_ANSWER)))
    assert found.problems == ["soak-1: stored messages are not those sent; 2 sent, 1 stored"]


def test_a_message_stored_twice_is_found() -> None:
    conversation = sent((QUESTION, reply(*ROLE_ANSWER)), (FOLLOW_UP, reply(*PAY_ANSWER)))
    events = stored((QUESTION, ROLE_ANSWER), (QUESTION, ROLE_ANSWER), (FOLLOW_UP, PAY_ANSWER))
    [problem] = check_conversation(conversation, events).problems
    assert f"message 2: sent {FOLLOW_UP!r}, stored {QUESTION!r}" in problem


def test_a_stored_reply_that_is_not_what_the_visitor_got_is_found() -> None:
    conversation = sent((QUESTION, reply(*ROLE_ANSWER)), (FOLLOW_UP, reply(*PAY_ANSWER)))
    lost_answer = check_conversation(
        conversation, stored((QUESTION, ROLE_ANSWER), (FOLLOW_UP, None))
    )
    other_topic = check_conversation(
        conversation, stored((QUESTION, ROLE_ANSWER), (FOLLOW_UP, (PAY_ANSWER[0], "benefits")))
    )
    for found in (lost_answer, other_topic):
        assert found.problems == ["soak-1: message 2's stored reply is not the one sent"]


def test_events_out_of_order_are_found() -> None:
    events = stored((QUESTION, ROLE_ANSWER))
    events[-1]["timestamp"] = START - 1
    found = check_conversation(sent((QUESTION, reply(*ROLE_ANSWER))), events)
    assert found.problems == ["soak-1: events are stored out of order"]


def test_a_message_without_a_reply_is_a_problem() -> None:
    conversation = sent((QUESTION, reply(*ROLE_ANSWER)), (FOLLOW_UP, None))
    found = check_conversation(conversation, stored((QUESTION, ROLE_ANSWER)))
    assert found.problems == ["soak-1: message 2 got no reply (no reply in time)"]


def test_the_apology_counts_as_answered_only_during_a_restart() -> None:
    during = sent((QUESTION, APOLOGY_REPLY), at=START + 5)
    later = sent((QUESTION, APOLOGY_REPLY), at=START + 60)
    later.id = "soak-2"
    restart = Restart(name="Action server", stopped_at=START, back_at=START + 8)
    events = {
        "soak-1": stored((QUESTION, None)),
        # Rasa finished the turn after the channel had apologised: stored, counted as late.
        "soak-2": stored((QUESTION, ROLE_ANSWER)),
    }
    found = check_run(SoakRun([during, later], [restart], START, 70.0), events)
    assert found.problems == ["1 apologies while nothing was being restarted"]
    assert found.late_answers == 1


def test_a_restart_that_failed_is_a_problem() -> None:
    failed = Restart(name="Rasa server 2", stopped_at=START, error="ServiceError: exited")
    found = check_run(SoakRun([], [failed], START, 1.0), {})
    assert found.problems == ["restarting Rasa server 2 failed: ServiceError: exited"]
