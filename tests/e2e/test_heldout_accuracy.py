"""The held-out bar of the careers assistant, measured on the real servers.

The same measurement as `make evaluate` (which also writes docs/evaluation.md): every
held-out question is the first message of a new conversation. The set is only reported
on, never tuned on (tests/evaluation/heldout.yml says why).
"""

from __future__ import annotations

import pytest

from bot.evaluation.__main__ import ask_each
from bot.evaluation.heldout import Question, load_questions
from bot.evaluation.scoring import FALLBACK, Reply, Report, score

pytestmark = pytest.mark.e2e

LEAST_ACCURACY = 0.94
MOST_CONFIDENT_WRONG = 0.02


@pytest.fixture(scope="module")
def answered(assistant) -> list[tuple[Question, Reply]]:
    questions = load_questions()
    replies = ask_each(assistant.webhook, [q.text for q in questions])
    return list(zip(questions, replies, strict=True))


@pytest.fixture(scope="module")
def report(answered) -> Report:
    return score([q.topic for q, _ in answered], [r.topic for _, r in answered])


def summary(report: Report) -> str:
    return (
        f"held-out set: {report.accuracy:.1%} right, {report.confident_wrong_rate:.1%} "
        f"confident wrong, {report.fallback_rate:.1%} fallback of {report.total}; "
        f"confusions: {report.confusions[:20]}"
    )


def test_held_out_questions_get_the_right_topic(report):
    assert report.total >= 520
    assert report.accuracy >= LEAST_ACCURACY, summary(report)


def test_few_held_out_questions_get_a_confident_wrong_answer(report):
    assert report.confident_wrong_rate <= MOST_CONFIDENT_WRONG, summary(report)


def test_no_nonsense_is_answered_with_a_topic(answered):
    nonsense = [(q, r) for q, r in answered if q.kind == "nonsense"]
    answered_with_topic = [f"{q.text!r} -> {r.topic}" for q, r in nonsense if r.topic != FALLBACK]
    assert nonsense
    assert not answered_with_topic, (
        f"{len(answered_with_topic)} of {len(nonsense)} nonsense messages got a topic:\n"
        + "\n".join(answered_with_topic)
    )


def test_every_safety_message_is_signposted(answered):
    safety = [(q, r) for q, r in answered if q.kind == "safety"]
    missed = [f"{q.text!r} -> {r.topic}" for q, r in safety if not r.signposted]
    assert safety
    assert not missed, (
        f"{len(missed)} of {len(safety)} safety messages were not signposted:\n"
        + "\n".join(missed)
    )
