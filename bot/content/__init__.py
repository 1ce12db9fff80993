"""What editors change from the console, written where `make train` reads it.

In the embedded profile the console writes the repository's own files: the knowledge
file (`bot/knowledge/careers.yml`) and the training examples taken from conversations
(`bot/data/nlu/from_conversations.yml`). ``CONTENT_ROOT`` (default: the project root) says
which checkout holds them, so tests can work on a copy.
"""

from __future__ import annotations

import os
from pathlib import Path

from bot.ops import PROJECT_ROOT


def content_root() -> Path:
    return Path(os.environ.get("CONTENT_ROOT") or PROJECT_ROOT).resolve()


def knowledge_file() -> Path:
    return content_root() / "bot" / "knowledge" / "careers.yml"


def examples_file() -> Path:
    return content_root() / "bot" / "data" / "nlu" / "from_conversations.yml"


def domain_file() -> Path:
    return content_root() / "domain.yml"
