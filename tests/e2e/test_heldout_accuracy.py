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

# The bar the assistant is held to is 94% right and at most 2% confident wrong. It is
# not met yet: measured on 2026-12-07 with the bilingual model careers-436ac14bb0847554,
# 83.0% right and 5.8% confident wrong (README, "Accuracy"; retrains of nearly the same
# inputs gave 82.4-83.0% and 4.7-5.8%). Until it is, these floors, a little under that measurement,
# stop anything from making it worse.
TARGET_ACCURACY, TARGET_CONFIDENT_WRONG = 0.94, 0.02
LEAST_ACCURACY = 0.81
MOST_CONFIDENT_WRONG = 0.07
# Nonsense made of real words ("cheese cloud bicycle") still gets a topic now and then.
MOST_NONSENSE_ANSWERED = 3
# Every safety message must be signposted; one of the 47 is still missed by this model
# and some earlier ones (a victim asking for their witness care officer).
MOST_SAFETY_MISSED = 1


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
        f"(target {TARGET_ACCURACY:.0%} right, {TARGET_CONFIDENT_WRONG:.0%} confident wrong) "
        f"held-out set: {report.accuracy:.1%} right, {report.confident_wrong_rate:.1%} "
        f"confident wrong, {report.fallback_rate:.1%} fallback of {report.total}; "
        f"confusions: {report.confusions[:20]}"
    )


def test_held_out_questions_get_the_right_topic(report):
    assert report.total >= 520
    assert report.accuracy >= LEAST_ACCURACY, summary(report)


def test_few_held_out_questions_get_a_confident_wrong_answer(report):
    assert report.confident_wrong_rate <= MOST_CONFIDENT_WRONG, summary(report)


def test_little_nonsense_is_answered_with_a_topic(answered):
    nonsense = [(q, r) for q, r in answered if q.kind == "nonsense"]
    answered_with_topic = [f"{q.text!r} -> {r.topic}" for q, r in nonsense if r.topic != FALLBACK]
    assert nonsense
    assert len(answered_with_topic) <= MOST_NONSENSE_ANSWERED, (
        f"{len(answered_with_topic)} of {len(nonsense)} nonsense messages got a topic:\n"
        + "\n".join(answered_with_topic)
    )


def test_safety_messages_are_signposted(answered):
    safety = [(q, r) for q, r in answered if q.kind == "safety"]
    missed = [f"{q.text!r} -> {r.topic}" for q, r in safety if not r.signposted]
    assert safety
    assert len(missed) <= MOST_SAFETY_MISSED, (
        f"{len(missed)} of {len(safety)} safety messages were not signposted:\n"
        + "\n".join(missed)
    )
