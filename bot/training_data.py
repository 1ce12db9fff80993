"""The training examples in `bot/data/nlu/`, read as plain text.

For code that needs what visitors were taught to say without loading Rasa's training
data reader: the overlap check (bot.evaluation.overlap) and the language identification
of the action server (bot.actions.identify_language).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import yaml

from bot import PROJECT_ROOT

NLU_DIR = PROJECT_ROOT / "bot" / "data" / "nlu"
WELSH_DIR = "cy"  # bot/data/nlu/cy holds the Welsh examples
# Rasa entity annotations: [text](entity), [text](entity:value), [text]{"entity": ...}
ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


def _example_lines(examples: str | list) -> Iterator[str]:
    if isinstance(examples, str):
        for line in examples.splitlines():
            line = line.strip()
            if line.startswith("- "):
                yield line[2:]
    else:  # the list form: [{"text": ...}, ...] or plain strings
        for example in examples:
            yield example["text"] if isinstance(example, dict) else str(example)


def training_examples(nlu_dir: Path = NLU_DIR) -> Iterator[tuple[str, Path]]:
    """Every example of every intent, synonym and lookup table, annotations removed,
    with the file it is in."""
    for path in sorted(nlu_dir.rglob("*.yml")):
        for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            if "regex" in item or "examples" not in item:
                continue  # a regex is a pattern, not something a visitor typed
            for line in _example_lines(item["examples"]):
                yield ANNOTATION.sub(r"\1", line).strip(), path


def is_welsh(path: Path, nlu_dir: Path = NLU_DIR) -> bool:
    return path.relative_to(nlu_dir).parts[0] == WELSH_DIR
