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


def _kebab_case(value: str) -> str:
    if not ID_PATTERN.match(value):
        raise ValueError(
            f"{value!r} is not a valid id: use lower-case words joined by hyphens, "
            "like legal-trainee-scheme"
        )
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

    _id = validator("id", allow_reuse=True)(_kebab_case)

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


# ---------------------------------------------------------------- pathway finder
# The values of each question's choices, as the pathway finder's code uses them
# (bot/actions/pathway_routes.py). An editor words the choices; the values are fixed.
PATHWAY_QUESTIONS: dict[str, tuple[str, ...]] = {
    "stage": (
        "school",
        "university-law",
        "university-other",
        "law-graduate",
        "vocational",
        "qualified",
        "paralegal",
        "cps-staff",
        "returner",
    ),
    "course": ("solicitor", "barrister", "not-sure"),
    "profession": ("solicitor", "barrister", "cilex"),
    "experience": ("under-2", "2-plus"),
    "advocacy": ("yes", "no", "not-sure"),
    "at_cps": ("yes", "no"),
    "right_to_work": ("yes", "no", "not-sure"),
}
# Where a visitor can be after the questions; each has its recommended routes.
PATHWAY_PROFILES = (
    "school",
    "university-law",
    "university-other",
    "law-graduate",
    "vocational",
    "vocational-solicitor",
    "vocational-barrister",
    "qualified-new",
    "qualified-new-advocate",
    "qualified-experienced",
    "qualified-experienced-advocate",
    "newly-qualified-barrister",
    "chartered-legal-executive",
    "paralegal",
    "paralegal-cps",
    "cps-staff",
    "returner",
    "unknown",
)
ROUTE_TEMPLATE_FIELDS = ("{number}", "{title}", "{reason}", "{source}")
MAX_REASON_WORDS = 45
MAX_BUTTON_CHARS = 64


def _reason(value: str) -> str:
    if word_count(value) > MAX_REASON_WORDS:
        raise ValueError(
            f"has {word_count(value)} words; keep a route's reason to {MAX_REASON_WORDS} or fewer"
        )
    return value


def _button(value: str) -> str:
    if len(value) > MAX_BUTTON_CHARS:
        raise ValueError(f"is a button title: keep it to {MAX_BUTTON_CHARS} characters")
    if value.startswith("/"):
        raise ValueError("must not start with '/' (that would read as a command)")
    return value


class PathwayChoice(_Model):
    """One answer to a pathway question: its button and the words visitors use for it."""

    value: str
    title: str
    phrases: list[str] = Field(..., min_items=1)
    # Counts only when no other choice matches ("uni" alone, "CPS" alone).
    weak: bool = False

    _title = validator("title", allow_reuse=True)(_button)

    @validator("phrases", pre=True)
    def _words(cls, value: object) -> object:
        # YAML reads a bare yes, no, on or off as true/false, not as the word.
        if isinstance(value, list) and any(not isinstance(item, str) for item in value):
            raise ValueError('write yes, no, on and off in quotes, like "yes"')
        return value


class PathwayQuestion(_Model):
    ask: str
    rephrase: str  # asked once after an answer the assistant did not understand
    default: str | None = None  # used after a second answer it did not understand
    choices: list[PathwayChoice] = Field(..., min_items=2, max_items=9)

    _texts = validator("ask", "rephrase", allow_reuse=True)(_short)

    @root_validator(skip_on_failure=True)
    def _consistent(cls, values: dict) -> dict:
        seen_values = [choice.value for choice in values["choices"]]
        if len(set(seen_values)) != len(seen_values):
            raise ValueError("two choices have the same value")
        default = values.get("default")
        if default is not None and default not in seen_values:
            raise ValueError(f"default '{default}' is not the value of one of the choices")
        owner: dict[str, str] = {}
        for choice in values["choices"]:
            for phrase in choice.phrases:
                key = " ".join(phrase.lower().split())
                if owner.setdefault(key, choice.value) != choice.value:
                    raise ValueError(
                        f"the phrase '{phrase}' belongs to both '{owner[key]}' and "
                        f"'{choice.value}'; a phrase can mean one answer only"
                    )
        return values


class PathwayRoute(_Model):
    route: str  # a knowledge entry id
    reason: str

    _reason = validator("reason", allow_reuse=True)(_reason)


class PathwayProfile(_Model):
    lead: str | None = None  # replaces the heading, e.g. when the stage was not understood
    routes: list[PathwayRoute] = Field(..., min_items=1, max_items=3)


class PathwayOffer(_Model):
    """The button that knowledge answers about routes add to start the pathway finder."""

    title: str
    entries: list[str] = Field(..., min_items=1)

    _title = validator("title", allow_reuse=True)(_button)


class Pathway(_Model):
    """The `pathway` section: every word the pathway finder says."""

    intro: str
    heading: str
    route: str  # how each recommended route is written
    disclaimer: str
    right_to_work_notes: dict[str, str]
    nationality_reason: str
    cancelled: str
    nothing_to_stop: str
    start_again: str
    stop: str
    offer: PathwayOffer
    questions: dict[str, PathwayQuestion]
    profiles: dict[str, PathwayProfile]

    _texts = validator("intro", "disclaimer", "cancelled", "nothing_to_stop", allow_reuse=True)(
        _short
    )
    _buttons = validator("start_again", "stop", allow_reuse=True)(_button)
    _nationality = validator("nationality_reason", allow_reuse=True)(_reason)

    @validator("route")
    def _template(cls, value: str) -> str:
        missing = [field for field in ROUTE_TEMPLATE_FIELDS if field not in value]
        if missing:
            raise ValueError(f"must contain {', '.join(missing)}")
        return value

    @validator("right_to_work_notes")
    def _notes(cls, value: dict[str, str]) -> dict[str, str]:
        if set(value) != {"no", "not-sure"}:
            raise ValueError("must have exactly the notes `no` and `not-sure`")
        for text in value.values():
            _short(text)
        return value

    @validator("questions")
    def _questions(cls, value: dict[str, PathwayQuestion]) -> dict[str, PathwayQuestion]:
        if set(value) != set(PATHWAY_QUESTIONS):
            raise ValueError(f"must have exactly the questions {', '.join(PATHWAY_QUESTIONS)}")
        for key, question in value.items():
            values = tuple(choice.value for choice in question.choices)
            if set(values) != set(PATHWAY_QUESTIONS[key]):
                raise ValueError(
                    f"question `{key}` must have the choices {', '.join(PATHWAY_QUESTIONS[key])}"
                )
            if key != "stage" and question.default is None:
                raise ValueError(f"question `{key}` needs a `default`")
        return value

    @validator("profiles")
    def _profiles(cls, value: dict[str, PathwayProfile]) -> dict[str, PathwayProfile]:
        if set(value) != set(PATHWAY_PROFILES):
            missing = sorted(set(PATHWAY_PROFILES) - set(value))
            unknown = sorted(set(value) - set(PATHWAY_PROFILES))
            raise ValueError(f"profiles missing: {missing}; unknown profiles: {unknown}")
        return value


# ---------------------------------------------------------------- safety first
# The situations whose words the safety check looks for (bot/language/safety.py).
SAFETY_CUES = ("danger", "crime", "distress", "victim", "decision")


class SafetyNote(_Model):
    """One piece of the safety signposting, with the page that backs it."""

    answer: str
    source: str

    _source = validator("source", allow_reuse=True)(_https)
    _answer = validator("answer", allow_reuse=True)(_short)


def _cue_phrases(value: list[str]) -> list[str]:
    for phrase in value:
        if phrase != phrase.lower() or not phrase.strip():
            raise ValueError(f"write the phrase {phrase!r} in lower case")
    return value


class Safety(_Model):
    """The `safety` section: what anyone in danger or distress is told first."""

    emergency: SafetyNote
    support: SafetyNote
    review: SafetyNote  # a decision not to charge, or to stop a case
    distress: SafetyNote
    cues: dict[str, list[str]]
    personal_cues: dict[str, list[str]] = {}

    @validator("cues")
    def _situations(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        if set(value) != set(SAFETY_CUES):
            raise ValueError(f"must have exactly the situations {', '.join(SAFETY_CUES)}")
        for situation, phrases in value.items():
            if not phrases:
                raise ValueError(f"situation `{situation}` needs at least one phrase")
            _cue_phrases(phrases)
        return value

    @validator("personal_cues")
    def _personal(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        unknown = set(value) - set(SAFETY_CUES)
        if unknown:
            raise ValueError(f"unknown situations {', '.join(sorted(unknown))}")
        for words in value.values():
            _cue_phrases(words)
        return value


# ---------------------------------------------------------------- elsewhere
class Pointer(_Model):
    """Where to go for a job or help that is not at the CPS (topic out-of-scope)."""

    id: str
    title: str
    answer: str
    source: str
    phrases: list[str] = Field(..., min_items=1)

    _source = validator("source", allow_reuse=True)(_https)
    _answer = validator("answer", allow_reuse=True)(_short)
    _phrases = validator("phrases", allow_reuse=True)(_cue_phrases)
    _id = validator("id", allow_reuse=True)(_kebab_case)


class KnowledgeFile(_Model):
    """The whole file."""

    entries: list[Entry]
    places: list[str]
    safety: Safety | None = None
    elsewhere: list[Pointer] = []
    conversation: dict[str, Reply]
    pathway: Pathway | None = None
