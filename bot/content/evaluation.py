"""Score one model on the held-out sets, for the console's "Train and publish".

    python -m bot.content.evaluation bot/models/careers-....tar.gz

prints one JSON line: for the English held-out set, the number of questions, the share
answered with the right topic, the share answered confidently with a wrong one and the
fallback share; the same for the Welsh held-out set under "welsh" (right only when
answered in Welsh), so that a change made in English cannot quietly make the Welsh
worse. The model is served by a Rasa and an action server of its own on free ports
(bot.evaluation's ``evaluate_live``, as `make evaluate` does), never by the live
assistant, so no evaluation question lands in the conversation log.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bot.evaluation.heldout import SETS, Question, load_questions
from bot.evaluation.scoring import Reply, in_set_language, score

WELSH = "cy"


def figures(model: Path) -> dict:
    from bot.evaluation.__main__ import evaluate_live  # starts servers: imported when used

    english = load_questions(SETS["heldout"])
    welsh = load_questions(SETS["heldout-cy"])
    replies = evaluate_live(model, [q.text for q in english + welsh])
    welsh_replies = in_set_language(welsh, replies[len(english) :], WELSH)
    return {
        **shares(english, replies[: len(english)]),
        "welsh": shares(welsh, welsh_replies),
    }


def shares(questions: list[Question], replies: list[Reply]) -> dict[str, float]:
    report = score([q.topic for q in questions], [r.topic for r in replies])
    return {
        "questions": report.total,
        "right": report.accuracy,
        "confident_wrong": report.confident_wrong_rate,
        "fallback": report.fallback_rate,
    }


if __name__ == "__main__":
    print(json.dumps(figures(Path(sys.argv[1]))))
