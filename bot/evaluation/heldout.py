"""The question sets the assistant is measured on, kept apart from the training data.

- `development`: every tuning decision (thresholds, epochs, features, training data
  choices) is made on this set.
- `heldout`: used only to report; nothing is ever tuned on it.

Each question has the topic a good reply carries and, optionally, the kind of message
it is (typos, long message, self-description, ...), so results can be read by kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.ops import PROJECT_ROOT

SETS_DIR = PROJECT_ROOT / "tests" / "evaluation"
SETS = {
    "development": SETS_DIR / "development.yml",
    "heldout": SETS_DIR / "heldout.yml",
}
HELDOUT_FILE = SETS["heldout"]


@dataclass(frozen=True)
class Question:
    text: str
    topic: str
    kind: str = "plain"


def load_questions(path: Path = HELDOUT_FILE) -> list[Question]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Question(text=str(q["text"]), topic=str(q["topic"]), kind=str(q.get("kind", "plain")))
        for q in data["questions"]
    ]
