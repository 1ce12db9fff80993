"""Every reply the benchmark gets is checked against the answer contract."""

import pytest

from bench.contract import contract_error, reply_topic

KNOWLEDGE = {"salary", "pupillage"}
SOURCE = {"source": "https://www.cps.gov.uk/careers", "reviewed": "2026-02-01"}


def test_a_knowledge_answer_with_its_source_and_date_keeps_the_contract():
    reply = [{"text": "Pay ..."}, {"custom": {"topic": "salary", **SOURCE}}]
    assert contract_error(reply, KNOWLEDGE) is None
    assert reply_topic(reply) == "salary"


def test_a_conversation_reply_needs_only_its_topic():
    assert contract_error([{"text": "Hello", "custom": {"topic": "greeting"}}], KNOWLEDGE) is None


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        ([{"text": "an answer without a payload"}], "0 topic payloads"),
        ([], "0 topic payloads"),
        ([{"custom": {"source": "https://x.org"}}], "0 topic payloads"),
        ([{"custom": {"topic": "a"}}, {"custom": {"topic": "b"}}], "2 topic payloads"),
        ([{"custom": {"topic": "salary", "reviewed": "2026-02-01"}}], "https source"),
        (
            [{"custom": {"topic": "salary", "source": "http://x.org", "reviewed": "2026-02-01"}}],
            "https source",
        ),
        ([{"custom": {"topic": "pupillage", "source": SOURCE["source"]}}], "reviewed date"),
        ([{"custom": {"topic": "salary", **SOURCE, "reviewed": "last May"}}], "reviewed date"),
        ({"error": "not a list"}, "not a list"),
        (
            [{"text": "Sorry ...", "custom": {"topic": "human-handoff", "notice": "unavailable"}}],
            "notice unavailable: the channel's guard answered instead",
        ),
    ],
)
def test_replies_that_break_the_contract_say_how(reply, reason):
    assert reason in contract_error(reply, KNOWLEDGE)


def test_a_reply_without_exactly_one_topic_has_no_topic():
    assert reply_topic([{"custom": {"topic": "a"}}, {"custom": {"topic": "b"}}]) is None
    assert reply_topic([{"text": "x"}]) is None
