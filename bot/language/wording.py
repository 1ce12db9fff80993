"""The word lists the understanding checks read messages with (bot/data/language.yml).

Framing (greetings, thanks, small talk), the words that open a question, the
negation cues and premises, and the words of background and comparison. Validated
here so that a slip in the file is reported by name, not found later as a silently
wrong answer.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, Field, ValidationError, validator

from bot.language import PROJECT_ROOT

LANGUAGE_FILE = PROJECT_ROOT / "bot" / "data" / "language.yml"


class LanguageError(ValueError):
    """bot/data/language.yml cannot be used; the message says what to fix."""


def _phrases(values: list[object]) -> list[str]:
    if any(not isinstance(value, str) for value in values):
        raise ValueError("has a word that is not text: write yes, no, on and off in quotes")
    cleaned = [" ".join(value.lower().split()) for value in values]
    if any(not value for value in cleaned):
        raise ValueError("has an empty phrase")
    return cleaned


class Negation(BaseModel):
    cues: list[str] = Field(..., min_items=1)
    breakers: list[str]
    contrasts: list[str] = Field(..., min_items=1)
    max_scope: int = Field(..., ge=1, le=10)
    premises: dict[str, list[str]]

    _lists = validator("cues", "breakers", "contrasts", pre=True, allow_reuse=True)(_phrases)

    class Config:
        extra = "forbid"


class Background(BaseModel):
    i_am: list[str] = Field(..., min_items=1)
    now: list[str]
    wishes: list[str]
    i_am_after: list[str] = []  # Welsh puts the job first: "cyfreithiwr ydw i"

    _lists = validator("i_am", "now", "wishes", "i_am_after", pre=True, allow_reuse=True)(_phrases)

    class Config:
        extra = "forbid"


class Wording(BaseModel):
    version: str
    framing: list[str] = Field(..., min_items=1)
    fillers: list[str]
    question_openers: list[str] = Field(..., min_items=1)
    back_references: list[str]
    first_person: list[str] = Field(..., min_items=1)
    negation: Negation
    background: Background
    comparison: list[str]
    careers_words: list[str] = Field(..., min_items=1)
    cps_names: list[str] = Field(..., min_items=1)
    personal_words: list[str] = Field(..., min_items=1)

    _lists = validator(
        "framing",
        "fillers",
        "question_openers",
        "back_references",
        "first_person",
        "comparison",
        "careers_words",
        "cps_names",
        "personal_words",
        pre=True,
        allow_reuse=True,
    )(_phrases)

    class Config:
        extra = "forbid"
        allow_mutation = False


def read_wording(path: Path = LANGUAGE_FILE) -> Wording:
    try:
        return Wording.parse_obj(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError) as error:
        raise LanguageError(f"{path.name} cannot be used: {error}") from None


@lru_cache(maxsize=1)
def default_wording() -> Wording:
    return read_wording()
