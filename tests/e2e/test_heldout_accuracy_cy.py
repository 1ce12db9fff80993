"""The Welsh held-out bar, measured on the real servers.

The same measurement as `make evaluate` reports in docs/evaluation.md: every Welsh
held-out question is the first message of a new conversation, sent with no language
chosen, and it is right only if the reply has the right topic and is in Welsh. The set
is only reported on, never tuned on (tests/evaluation/heldout-cy.yml says why).
"""

from __future__ import annotations

import pytest

from bot.evaluation.__main__ import ask_each
from bot.evaluation.heldout import SETS, Question, load_questions
from bot.evaluation.scoring import Reply, Report, in_set_language, score

pytestmark = pytest.mark.e2e

# The bar is 90% right, in Welsh, and it is not met yet: measured on 2026-12-07 with
# careers-436ac14bb0847554, 74.0% (73.6% to 75.5% with earlier trainings; README,
# "Accuracy"). Until it is, the floor sits a little under those figures, so nothing
# makes it worse.
TARGET_ACCURACY = 0.90
LEAST_ACCURACY = 0.72
# Every Welsh safety message must be signposted (in either language); one of the 13 is
# still missed.
MOST_SAFETY_MISSED = 1


@pytest.fixture(scope="module")
def answered(assistant) -> list[tuple[Question, Reply]]:
    questions = load_questions(SETS["heldout-cy"])
    replies = ask_each(assistant.webhook, [q.text for q in questions])
    return list(zip(questions, in_set_language(questions, replies, "cy"), strict=True))


@pytest.fixture(scope="module")
def report(answered) -> Report:
    return score([q.topic for q, _ in answered], [r.topic for _, r in answered])


def summary(report: Report) -> str:
    return (
        f"(target {TARGET_ACCURACY:.0%}) Welsh held-out set: {report.accuracy:.1%} right and "
        f"in Welsh, {report.confident_wrong_rate:.1%} wrong or in English, "
        f"{report.fallback_rate:.1%} fallback of {report.total}"
    )


def test_welsh_held_out_questions_get_the_right_topic_in_welsh(report):
    assert report.total >= 150
    assert report.accuracy >= LEAST_ACCURACY, summary(report)


def test_welsh_safety_messages_are_signposted(answered):
    safety = [(q, r) for q, r in answered if q.kind == "safety"]
    missed = [q for q, r in safety if not r.signposted]
    assert safety
    assert len(missed) <= MOST_SAFETY_MISSED, f"{len(missed)} of {len(safety)} not signposted"
