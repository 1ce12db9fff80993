"""The held-out questions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.ops import PROJECT_ROOT

HELDOUT_FILE = PROJECT_ROOT / "tests" / "evaluation" / "heldout.yml"


@dataclass(frozen=True)
class Question:
    text: str
    topic: str


def load_questions(path: Path = HELDOUT_FILE) -> list[Question]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Question(text=str(q["text"]), topic=str(q["topic"])) for q in data["questions"]]
