"""Score one model on the held-out set, for the console's "Train and publish".

    python -m bot.content.evaluation bot/models/careers-....tar.gz

prints one JSON line: questions, the share answered with the right topic, the share
answered confidently with a wrong one, and the fallback share. The model is served by a
Rasa and an action server of its own on free ports (bot.evaluation's ``evaluate_live``,
as `make evaluate` does), never by the live assistant, so no evaluation question lands
in the conversation log.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bot.evaluation.heldout import SETS, load_questions
from bot.evaluation.scoring import score


def figures(model: Path) -> dict[str, float]:
    from bot.evaluation.__main__ import evaluate_live  # starts servers: imported when used

    questions = load_questions(SETS["heldout"])
    replies = evaluate_live(model, [q.text for q in questions])
    report = score([q.topic for q in questions], [r.topic for r in replies])
    return {
        "questions": report.total,
        "right": report.accuracy,
        "confident_wrong": report.confident_wrong_rate,
        "fallback": report.fallback_rate,
    }


if __name__ == "__main__":
    print(json.dumps(figures(Path(sys.argv[1]))))
