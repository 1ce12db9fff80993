"""The question sets the assistant is measured on, kept apart from the training data.

- `development`: every tuning decision (thresholds, epochs, features, training data
  choices) is made on this set.
- `heldout`: English visitor questions used only to report; nothing is ever tuned on it.
- `development-cy`: Welsh questions for every tuning decision about Welsh.
- `heldout-cy`: the same in Welsh as `heldout`, used only to report.
- `safety`: danger, distress and crime messages, some wrapped in careers questions, that
  must all be signposted; kept apart from the held-out ones.

Each question has the topic a good reply carries and the kind of message it is (typos,
long message, self-description, ...), so results can be read by kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.ops import PROJECT_ROOT

SETS_DIR = PROJECT_ROOT / "tests" / "evaluation"
SETS = {
    "development": SETS_DIR / "development.yml",
    "development-cy": SETS_DIR / "development-cy.yml",
    "heldout": SETS_DIR / "heldout.yml",
    "heldout-cy": SETS_DIR / "heldout-cy.yml",
    "safety": SETS_DIR / "safety.yml",
}
# Safety phrasings the safety cues are tuned on (tests/e2e/test_safety_signposting.py).
SAFETY_DEVELOPMENT = PROJECT_ROOT / "tests" / "e2e" / "safety_phrasings_dev.yml"
SAFETY_DEVELOPMENT_CY = PROJECT_ROOT / "tests" / "e2e" / "safety_phrasings_dev_cy.yml"
# The sets `make evaluate` measures the running assistant on.
EVALUATION_SETS = ("development", "development-cy", "heldout", "heldout-cy")
# The Welsh sets: a question is right when its reply has the right topic, in Welsh.
WELSH_SETS = ("development-cy", "heldout-cy")
# The sets that must never copy what the assistant is trained or tuned on.
MEASUREMENT_SETS = ("heldout", "heldout-cy", "safety")
HELDOUT_FILE = SETS["heldout"]

# The kinds of message a question can be, in the order reports list them.
KINDS = (
    "plain",  # a question asked plainly
    "typos",  # typos and text-speak
    "long",  # a greeting, some background, and the question at the end
    "self-description",  # the visitor describes themselves while asking
    "negation",  # "not qualified", "never worked in crime"
    "other-employer",  # jobs with other employers or legal jobs outside the CPS
    "nonsense",  # keyboard mash, punctuation, random words
    "safety",  # danger, distress, a crime or a complaint about a case
    "chit-chat",  # a question wrapped in chit-chat
)


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
