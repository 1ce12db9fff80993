"""What the transparency pages publish, read from the files that hold it.

The accuracy page and the algorithmic transparency record show what was last
measured (docs/evaluation.json, written by `make evaluate`) and how the assistant
is built (config.yml, the training data, the knowledge file), so neither page can
drift from the assistant it describes.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field, ValidationError

from bot.knowledge import load_knowledge

ROOT = Path(__file__).resolve().parents[1]
EVALUATION_FILE = ROOT / "docs" / "evaluation.json"
CONFIG_FILE = ROOT / "config.yml"
TRAINING_DIR = ROOT / "bot" / "data" / "nlu"
CONTACT_REPLY = "human-handoff"  # its source is the CPS's contact page

log = logging.getLogger(__name__)

Rate = Field(..., ge=0, le=1)  # a share of the questions, 0 to 1


class KindResult(BaseModel):
    """The figures for one kind of message (typos, long messages, safety, ...)."""

    total: int = Field(..., ge=0)
    accuracy: float | None = Field(None, ge=0, le=1)
    confident_wrong_rate: float | None = Field(None, ge=0, le=1)
    fallback_rate: float | None = Field(None, ge=0, le=1)


class Evaluation(BaseModel):
    """docs/evaluation.json: the latest measurement, with the set it was made on.

    Rates are shares from 0 to 1. Other keys in the file are ignored.
    """

    set: str = Field(..., min_length=1)
    date: date
    model: str = Field(..., min_length=1)
    total: int = Field(..., gt=0)
    accuracy: float = Rate
    confident_wrong_rate: float = Rate
    fallback_rate: float = Rate
    by_kind: dict[str, KindResult] = Field(default_factory=dict)


@dataclass(frozen=True)
class Measurement:
    """The latest measurement, or why there is none to show."""

    evaluation: Evaluation | None
    status: str  # "measured", "not-measured" (no file) or "unreadable"


def read_evaluation(path: Path = EVALUATION_FILE) -> Measurement:
    """Read on every request: `make evaluate` may rewrite the file while the app runs."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Measurement(None, "not-measured")
    except (OSError, ValueError) as error:
        log.warning("cannot read the evaluation file %s: %s", path, error)
        return Measurement(None, "unreadable")
    try:
        return Measurement(Evaluation.parse_obj(raw), "measured")
    except ValidationError as error:
        log.warning("the evaluation file %s is not as expected: %s", path, error)
        return Measurement(None, "unreadable")


@dataclass(frozen=True)
class AssistantFacts:
    """How the assistant is built, for the algorithmic transparency record."""

    topics: int  # knowledge entries
    replies: int  # conversation replies (greeting, hand-off, ...)
    intents: int
    training_examples: int
    fallback_threshold: float | None
    pipeline: tuple[str, ...]  # component names, in order
    contact_url: str | None


@cache
def assistant_facts() -> AssistantFacts:
    """Read once: these files change only with a new release."""
    kb = load_knowledge()
    steps = yaml.safe_load(CONFIG_FILE.read_text(encoding="utf-8")).get("pipeline", [])
    pipeline = tuple(step["name"].rsplit(".", 1)[-1] for step in steps)
    thresholds = [step.get("threshold") for step in steps if step["name"] == "FallbackClassifier"]
    intents: set[str] = set()
    examples = 0
    for path in sorted(TRAINING_DIR.glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if "intent" in item:
                intents.add(item["intent"])
                examples += sum(1 for line in item.get("examples", "").splitlines() if line.strip())
    handoff = kb.conversation.get(CONTACT_REPLY)
    return AssistantFacts(
        topics=len(kb.entries),
        replies=len(kb.conversation),
        intents=len(intents),
        training_examples=examples,
        fallback_threshold=thresholds[0] if thresholds else None,
        pipeline=pipeline,
        contact_url=handoff.source if handoff else None,
    )
