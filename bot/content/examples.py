"""Training examples approved from conversations, in `bot/data/nlu/from_conversations.yml`.

Each example is Rasa's list form with metadata, so it carries its provenance into the
repository: the conversation it came from, when it was asked, who approved it and when.
Only a visitor's redacted text is ever written, and only if the redactor would leave it
as it is; a question that copies a measurement set (held-out, Welsh held-out, safety)
is refused, so the figures that decide publishing stay honest.
"""

from __future__ import annotations

import os
import tempfile
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import yaml

from bot.content import domain_file, examples_file
from bot.evaluation.heldout import MEASUREMENT_SETS, SETS
from bot.evaluation.overlap import Text, find_overlaps, question_texts
from bot.privacy import redact

HEADER = (
    "# Training examples approved by editors from real (redacted) questions, written by the\n"
    "# console's Improve page. Each carries where it came from. Edit or remove by hand if\n"
    "# needed; `make train` reads this file like every other one in bot/data/nlu.\n"
)
NOT_TOPICS = frozenset({"feedback"})  # sent by the widget's buttons, never typed
_lock = threading.Lock()  # one writer at a time within a web worker


class ExampleRefused(ValueError):
    """The question cannot become a training example; the message says why."""


@dataclass(frozen=True)
class Provenance:
    conversation: str
    asked_at: float
    approved_by: str

    def as_metadata(self) -> dict[str, str]:
        return {
            "conversation": self.conversation,
            "asked": _iso(self.asked_at),
            "approved_by": self.approved_by,
            "approved": _iso(datetime.now(tz=timezone.utc).timestamp()),
        }


def _iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def topics(path: Path | None = None) -> list[str]:
    """The intents a question can be given: the domain's, bar the widget's own."""
    intents = yaml.safe_load((path or domain_file()).read_text(encoding="utf-8"))["intents"]
    return [intent for intent in intents if intent not in NOT_TOPICS]


def measurement_copies(text: str) -> list[str]:
    """The measurement-set questions `text` copies or nearly copies (empty if none)."""
    seen = [t for name in MEASUREMENT_SETS for t in question_texts(SETS[name])]
    return [o.seen.text for o in find_overlaps([Text(text, "console")], seen)]


def check(text: str, topic: str) -> str:
    """The example's text, or ExampleRefused."""
    text = " ".join(text.split())
    if not text:
        raise ExampleRefused("The question is empty.")
    if topic not in topics():
        raise ExampleRefused("Choose a topic from the list.")
    if redact(text).text != text:
        raise ExampleRefused(
            "The question still has something the redactor would replace, so it cannot "
            "become a training example."
        )
    if measurement_copies(text):
        raise ExampleRefused(
            "The question copies one the assistant is measured on (the held-out or safety "
            "set), so it cannot become a training example."
        )
    return text


def _load(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []


def add_example(text: str, topic: str, provenance: Provenance) -> str:
    """Add ``text`` as an example of ``topic`` (checked first); the text written."""
    text = check(text, topic)
    path = examples_file()
    with _lock:
        intents = _load(path)
        block = next((item for item in intents if item.get("intent") == topic), None)
        if block is None:
            block = {"intent": topic, "examples": []}
            intents.append(block)
            intents.sort(key=lambda item: item["intent"])
        if any(example["text"] == text for example in block["examples"]):
            return text
        block["examples"].append({"text": text, "metadata": provenance.as_metadata()})
        _write(path, intents)
    return text


def examples(path: Path | None = None) -> list[tuple[str, str]]:
    """(topic, text) of every approved example."""
    return [
        (item["intent"], example["text"])
        for item in _load(path or examples_file())
        for example in item.get("examples") or []
    ]


def _write(path: Path, intents: list[dict]) -> None:
    body = yaml.safe_dump(
        {"version": "3.1", "nlu": intents}, sort_keys=False, allow_unicode=True, width=100
    )
    # Written whole then renamed: `make train` or a reader never sees half a file.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".examples-", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(HEADER + body)
    os.chmod(temporary, 0o644)
    os.replace(temporary, path)
