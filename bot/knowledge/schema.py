"""The shape of the knowledge file, as pydantic (v1) models.

Each model forbids unknown fields, so a misspelt field name ("anwser") is an
error instead of being silently ignored. Rules that need the whole file
(unique ids, related ids, shared phrases) are checked in `bot.knowledge.loader`.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field, root_validator, validator

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ADVERTISED_PATTERN = re.compile(r"^(20\d\d)-(0[1-9]|1[0-2])$")
MAX_ANSWER_WORDS = 90
Kind = Literal["role", "scheme", "network", "benefit"]


class KnowledgeError(ValueError):
    """The knowledge file cannot be used; the message is written for its editor."""


def word_count(text: str) -> int:
    return len(text.split())


def _https(value: str | None) -> str | None:
    if value is not None and not value.startswith("https://"):
        raise ValueError(f"must be a web address starting with https:// (got {value!r})")
    return value


def _short(value: str | None) -> str | None:
    # Answers are read in a chat bubble: long ones belong in `detail`.
    if value is not None and word_count(value) > MAX_ANSWER_WORDS:
        raise ValueError(
            f"has {word_count(value)} words; keep it to {MAX_ANSWER_WORDS} or fewer "
            "(move the rest to `detail`)"
        )
    return value


class _Model(BaseModel):
    class Config:
        extra = "forbid"
        allow_mutation = False
        anystr_strip_whitespace = True
        min_anystr_length = 1  # an empty answer or source is an editing slip


class Reply(_Model):
    """A reply of the `conversation` section (greeting, fallback, ...)."""

    answer: str
    source: str | None = None

    _source = validator("source", allow_reuse=True)(_https)
    _answer = validator("answer", allow_reuse=True)(_short)


class FollowUp(_Model):
    """An entry's answer to "how do I apply for it?"."""

    answer: str
    source: str

    _source = validator("source", allow_reuse=True)(_https)
    _answer = validator("answer", allow_reuse=True)(_short)


class Pay(_Model):
    """An entry's answer to "what does it pay?", always dated by its advert."""

    answer: str
    london: str | None = None
    source: str
    advertised: str

    _source = validator("source", allow_reuse=True)(_https)
    _answers = validator("answer", "london", allow_reuse=True)(_short)

    @validator("advertised", pre=True)
    def _year_month(cls, value: object) -> str:
        # YAML reads 2026-01-15 as a date; only year-month is wanted here.
        match = ADVERTISED_PATTERN.match(value) if isinstance(value, str) else None
        if not match:
            raise ValueError(
                f"must be the year and month of the advert, like 2026-01 (got {value!r})"
            )
        if (int(match[1]), int(match[2])) > (date.today().year, date.today().month):
            raise ValueError(f"{value} is in the future")
        return value

    @root_validator(skip_on_failure=True)
    def _dated(cls, values: dict) -> dict:
        # Pay changes every round: the answer must say when and point to the live advert.
        year = values["advertised"][:4]
        for field in ("answer", "london"):
            text = values.get(field)
            if text is not None and (year not in text or "advert" not in text.lower()):
                raise ValueError(
                    f"pay {field} must say the year it was advertised ({year}) and tell "
                    "the visitor to check the live advert (use the word 'advert')"
                )
        return values


class Entry(_Model):
    """One knowledge topic: its short answer, source and follow-ups."""

    id: str
    title: str
    kind: Kind | None = None
    answer: str
    detail: str | None = None
    source: str
    reviewed: date
    related: list[str] = Field(..., min_items=2, max_items=4)
    phrases: list[str] = Field(..., min_items=3, max_items=12)
    pay: Pay | None = None
    apply: FollowUp | None = None

    _source = validator("source", allow_reuse=True)(_https)
    _answer = validator("answer", allow_reuse=True)(_short)

    @validator("id")
    def _kebab_case(cls, value: str) -> str:
        if not ID_PATTERN.match(value):
            raise ValueError(
                f"{value!r} is not a valid id: use lower-case words joined by hyphens, "
                "like legal-trainee-scheme"
            )
        return value

    @validator("reviewed", pre=True)
    def _iso_date(cls, value: object) -> date:
        # pydantic would also take numbers (as timestamps) and datetimes; editors mean a day.
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise ValueError(f"must be a date written YYYY-MM-DD, like 2026-11-23 (got {value!r})")

    @validator("reviewed")
    def _not_future(cls, value: date) -> date:
        if value > date.today():
            raise ValueError(f"{value.isoformat()} is in the future")
        return value


class KnowledgeFile(_Model):
    """The whole file."""

    entries: list[Entry]
    places: list[str]
    conversation: dict[str, Reply]
