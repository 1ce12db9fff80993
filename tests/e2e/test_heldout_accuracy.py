"""The done-when bar of the careers assistant, measured on the real servers.

The same measurement as `make evaluate` (which also writes docs/evaluation.md).
"""

import pytest

from bot.evaluation.__main__ import ask_each
from bot.evaluation.heldout import load_questions
from bot.evaluation.scoring import score

pytestmark = pytest.mark.e2e


def test_held_out_questions_get_the_right_topic(assistant):
    questions = load_questions()
    assert len(questions) >= 150
    report = score(
        [q.topic for q in questions], ask_each(assistant.webhook, [q.text for q in questions])
    )
    summary = (
        f"{report.accuracy:.1%} right, {report.confident_wrong_rate:.1%} confident wrong; "
        f"confusions: {report.confusions[:15]}"
    )
    assert report.accuracy >= 0.90, summary
    assert report.confident_wrong_rate < 0.03, summary
