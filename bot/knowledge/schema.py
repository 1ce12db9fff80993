"""The shape of the knowledge file, as pydantic (v1) models.

Each model forbids unknown fields, so a misspelt field name ("anwser") is an
error instead of being silently ignored. Rules that need the whole file
(unique ids, related ids, shared phrases) are checked in `bot.knowledge.loader`.

Every model whose text a visitor can see has a `cy` block with the same field names:
its Welsh (the `...Cy` model defined just before it), read through the `Bilingual`
API of bot/knowledge/welsh.py. Welsh texts follow the English rules here; the rules
that compare the two (figures, dates, phrases) are in bot/knowledge/translations.py.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import ClassVar, Literal

from pydantic import BaseModel, Field, root_validator, validator

from bot.knowledge.sources import EDITOR_NOTE, session_problem
from bot.knowledge.welsh import FINGERPRINT_PATTERN, Bilingual

ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ADVERTISED_PATTERN = re.compile(r"^(20\d\d)-(0[1-9]|1[0-2])$")
MAX_ANSWER_WORDS = 90
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
Kind = Literal["role", "scheme", "network", "benefit"]


class KnowledgeError(ValueError):
    """The knowledge file cannot be used; the message is written for its editor."""


def word_count(text: str) -> int:
    return len(text.split())


def _https(value: str | None) -> str | None:
    if value is None:
        return value
    if not value.startswith("https://"):
        raise ValueError(f"must be a web address starting with https:// (got {value!r})")
    problem = session_problem(value)
    if problem:
        raise ValueError(f"{value} {problem}")
    return value


def _no_editor_note(value: str | None) -> str | None:
    if value is not None and EDITOR_NOTE.search(value):
        raise ValueError("still has an EDITOR note: do what it asks, then remove it")
    return value


def _year_month(value: object) -> str | None:
    """'2026-01' as written; YAML reads 2026-01-15 as a date, which is not wanted here."""
    if value is None:
        return None
    match = ADVERTISED_PATTERN.match(value) if isinstance(value, str) else None
    if not match:
        raise ValueError(f"must be the year and month of the advert, like 2026-01 (got {value!r})")
    if (int(match[1]), int(match[2])) > (date.today().year, date.today().month):
        raise ValueError(f"{value} is in the future")
    return value


def month_and_year(advertised: str) -> str:
    """'2025-03' as a visitor reads it: 'March 2025'."""
    year, month = advertised.split("-")
    return f"{MONTHS[int(month) - 1]} {year}"


def _states_date(field: str, text: str | None, advertised: str | None) -> None:
    # A dated fact is only useful if the visitor can see its date.
    if text is not None and advertised is not None and month_and_year(advertised) not in text:
        raise ValueError(
            f"`{field}` must say when its details date from, as '{month_and_year(advertised)}' "
            f"(the month and year in `advertised: {advertised}`)"
        )


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


# ---------------------------------------------------------------- Welsh blocks
def _texts_in(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [text for item in value for text in _texts_in(item)]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _texts_in(item)]
    return []


class _WelshTexts(_Model):
    """Welsh texts: every one of them, like the English, without notes for an editor."""

    @root_validator(skip_on_failure=True)
    def _no_editor_notes(cls, values: dict) -> dict:
        for text in _texts_in(values):
            _no_editor_note(text)
        return values


class _Welsh(_WelshTexts):
    """A `cy` block: the Welsh of the texts beside it, and where its review stands."""

    status: Literal["draft", "reviewed"]  # draft until a Welsh speaker has reviewed it
    english: str  # the fingerprint of the English it translates

    @validator("english", pre=True)
    def _fingerprint(cls, value: object) -> str:
        # YAML reads an unquoted 12345678 as a number and 1e345678 as a float.
        if not isinstance(value, str) or not FINGERPRINT_PATTERN.match(value):
            raise ValueError(
                "must be the 8-character fingerprint `make check-knowledge` prints, "
                f'in quotes, like english: "3fa91c2e" (got {value!r})'
            )
        return value


class _WelshAnswer(_WelshTexts):
    """The Welsh of an answer and of its page (the Welsh version, where one exists), held
    to the English's rules: as short, and https only."""

    answer: str | None = None
    source: str | None = None

    _source = validator("source", allow_reuse=True)(_https)
    _answer = validator("answer", allow_reuse=True)(_short)


class ReplyCy(_WelshAnswer, _Welsh):
    """The Welsh of a reply (or of a piece of the safety signposting) and its Welsh page."""


class Reply(_Model, Bilingual):
    """A reply of the `conversation` section (greeting, fallback, ...)."""

    answer: str
    source: str | None = None
    cy: ReplyCy | None = None

    translated: ClassVar[tuple[str, ...]] = ("answer",)

    _source = validator("source", allow_reuse=True)(_https)
    _answer = validator("answer", allow_reuse=True)(_short)
    _note = validator("answer", allow_reuse=True)(_no_editor_note)


class LabelCy(_Welsh):
    wording: str | None = None


class Label(_Model, Bilingual):
    """A word or two the code puts beside the replies: a button title, a link's note."""

    wording: str
    cy: LabelCy | None = None

    translated: ClassVar[tuple[str, ...]] = ("wording",)


class FollowUp(_Model):
    """An entry's answer to "how do I apply for it?"; `advertised` dates a campaign's details."""

    answer: str
    source: str
    advertised: str | None = None

    _source = validator("source", allow_reuse=True)(_https)
    _answer = validator("answer", allow_reuse=True)(_short)
    _note = validator("answer", allow_reuse=True)(_no_editor_note)
    _advertised = validator("advertised", pre=True, allow_reuse=True)(_year_month)

    @root_validator(skip_on_failure=True)
    def _dated(cls, values: dict) -> dict:
        _states_date("answer", values["answer"], values.get("advertised"))
        return values


class Pay(_Model):
    """An entry's answer to "what does it pay?", always dated by its advert or pay data."""

    answer: str
    london: str | None = None
    source: str
    advertised: str

    _source = validator("source", allow_reuse=True)(_https)
    _answers = validator("answer", "london", allow_reuse=True)(_short)
    _notes = validator("answer", "london", allow_reuse=True)(_no_editor_note)
    _advertised = validator("advertised", pre=True, allow_reuse=True)(_year_month)

    @root_validator(skip_on_failure=True)
    def _dated(cls, values: dict) -> dict:
        # Pay changes every round: the answer must say when and point to the live advert.
        for field in ("answer", "london"):
            text = values.get(field)
            _states_date(f"pay.{field}", text, values["advertised"])
            if text is not None and "advert" not in text.lower():
                raise ValueError(
                    f"`pay.{field}` must tell the visitor to check the live advert "
                    "(use the word 'advert')"
                )
        return values


class PayCy(_WelshAnswer):
    london: str | None = None

    _london = validator("london", allow_reuse=True)(_short)


class FollowUpCy(_WelshAnswer):
    pass


class EntryCy(_WelshAnswer, _Welsh):
    title: str | None = None
    detail: str | None = None
    # The words Welsh visitors use: Welsh terms, common mutated forms, English loanwords.
    phrases: list[str] = Field(default_factory=list, max_items=16)
    quoted: list[str] = Field(default_factory=list)
    pay: PayCy | None = None
    apply: FollowUpCy | None = None


class Entry(_Model, Bilingual):
    """One knowledge topic: its short answer, source and follow-ups."""

    id: str
    title: str
    kind: Kind | None = None
    answer: str
    detail: str | None = None
    source: str
    # Other pages that back facts in this entry (visitors see `source` only).
    other_sources: list[str] = Field(default_factory=list)
    reviewed: date
    # The year and month of the advert or campaign whose details the answer gives.
    advertised: str | None = None
    # Words taken as they stand from a source, so they may promise what it promises.
    quoted: list[str] = Field(default_factory=list)
    related: list[str] = Field(..., min_items=2, max_items=4)
    phrases: list[str] = Field(..., min_items=3, max_items=12)
    pay: Pay | None = None
    apply: FollowUp | None = None
    cy: EntryCy | None = None

    translated: ClassVar[tuple[str, ...]] = (
        "title", "answer", "detail", "pay.answer", "pay.london", "apply.answer",
    )  # fmt: skip

    _source = validator("source", allow_reuse=True)(_https)
    _other_sources = validator("other_sources", each_item=True, allow_reuse=True)(_https)
    _answer = validator("answer", allow_reuse=True)(_short)
    _notes = validator("answer", "detail", allow_reuse=True)(_no_editor_note)
    _advertised = validator("advertised", pre=True, allow_reuse=True)(_year_month)

    @root_validator(skip_on_failure=True)
    def _dated(cls, values: dict) -> dict:
        _states_date("answer", values["answer"], values.get("advertised"))
        return values

    def texts(self) -> dict[str, str]:
        """Every text a visitor can be shown for this entry, by field name."""
        fields = {
            "answer": self.answer,
            "detail": self.detail,
            "pay.answer": self.pay and self.pay.answer,
            "pay.london": self.pay and self.pay.london,
            "apply.answer": self.apply and self.apply.answer,
        }
        return {field: text for field, text in fields.items() if text}

    def dated(self) -> dict[str, str]:
        """The `advertised` months of this entry, by field name."""
        fields = {
            "advertised": self.advertised,
            "pay.advertised": self.pay and self.pay.advertised,
            "apply.advertised": self.apply and self.apply.advertised,
        }
        return {field: month for field, month in fields.items() if month}

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
# The route finder's topic id (shared/topics.yml) and the name of the intent that starts it.
ROUTE_FINDER = "pathway-finder"
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
SUMMARY_FIELD = "{summary}"
YEARS_FIELD = "{years}"
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


def _strings(value: object) -> object:
    # YAML reads a bare yes, no, on or off as true/false, not as the word.
    if isinstance(value, list) and any(not isinstance(item, str) for item in value):
        raise ValueError('write yes, no, on and off in quotes, like "yes"')
    return value


class PathwayChoiceCy(_Welsh):
    title: str | None = None
    understood: str | None = None
    phrases: list[str] = []
    replies: list[str] = []

    _title = validator("title", allow_reuse=True)(_button)
    _words = validator("phrases", "replies", pre=True, allow_reuse=True)(_strings)


class PathwayChoice(_Model, Bilingual):
    """One answer to a pathway question: its button and the words visitors use for it."""

    value: str
    title: str
    # Words that mean this answer wherever a visitor says them ("I'm a paralegal").
    phrases: list[str] = Field(..., min_items=1)
    # Words that mean it only as a reply to this question ("yes", "nope", "not really").
    replies: list[str] = []
    # How the one-line summary of what the visitor said puts it ("a solicitor").
    understood: str | None = None
    # Counts only when no other choice matches ("uni" alone, "CPS" alone).
    weak: bool = False
    cy: PathwayChoiceCy | None = None

    translated: ClassVar[tuple[str, ...]] = ("title", "understood")

    _title = validator("title", allow_reuse=True)(_button)
    _words = validator("phrases", "replies", pre=True, allow_reuse=True)(_strings)


class PathwayQuestionCy(_Welsh):
    ask: str | None = None
    rephrase: str | None = None

    _texts = validator("ask", "rephrase", allow_reuse=True)(_short)


class PathwayQuestion(_Model, Bilingual):
    ask: str
    rephrase: str  # asked once after an answer the assistant did not understand
    # Taken after a second answer it could not use: what "not sure" means here. Without
    # one, the answer stays unknown and the routes are chosen without it.
    default: str | None = None
    choices: list[PathwayChoice] = Field(..., min_items=2, max_items=9)
    cy: PathwayQuestionCy | None = None

    translated: ClassVar[tuple[str, ...]] = ("ask", "rephrase")

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
            for phrase in [*choice.phrases, *choice.replies]:
                key = " ".join(phrase.lower().split())
                if owner.setdefault(key, choice.value) != choice.value:
                    raise ValueError(
                        f"the phrase '{phrase}' belongs to both '{owner[key]}' and "
                        f"'{choice.value}'; a phrase can mean one answer only"
                    )
        return values


class PathwayRouteCy(_Welsh):
    reason: str | None = None

    _reason = validator("reason", allow_reuse=True)(_reason)


class PathwayRoute(_Model, Bilingual):
    route: str  # a knowledge entry id
    reason: str
    # The page that backs the reason, when it is not the entry's own source.
    source: str | None = None
    cy: PathwayRouteCy | None = None

    translated: ClassVar[tuple[str, ...]] = ("reason",)

    _reason = validator("reason", allow_reuse=True)(_reason)
    _source = validator("source", allow_reuse=True)(_https)


class PathwayProfileCy(_Welsh):
    lead: str | None = None
    note: str | None = None

    _note = validator("note", allow_reuse=True)(_short)


class PathwayProfile(_Model, Bilingual):
    lead: str | None = None  # replaces the heading, e.g. when the stage was not understood
    note: str | None = None  # said after the routes, e.g. what a rough guide rests on
    routes: list[PathwayRoute] = Field(..., min_items=1, max_items=3)
    cy: PathwayProfileCy | None = None

    translated: ClassVar[tuple[str, ...]] = ("lead", "note")

    _note = validator("note", allow_reuse=True)(_short)


class PathwayOfferCy(_Welsh):
    title: str | None = None
    ask: str | None = None
    no_thanks: str | None = None
    declined: str | None = None

    _title = validator("title", "no_thanks", allow_reuse=True)(_button)
    _texts = validator("ask", "declined", allow_reuse=True)(_short)


class PathwayOffer(_Model, Bilingual):
    """Offers to start the pathway finder: a button on some answers, and a question to
    visitors who describe their situation without asking for a route."""

    title: str
    entries: list[str] = Field(..., min_items=1)
    ask: str  # said after the summary of what the visitor said
    no_thanks: str  # the button that declines
    declined: str  # the reply when they decline
    cy: PathwayOfferCy | None = None

    translated: ClassVar[tuple[str, ...]] = ("title", "ask", "no_thanks", "declined")

    _title = validator("title", "no_thanks", allow_reuse=True)(_button)
    _texts = validator("ask", "declined", allow_reuse=True)(_short)


# The pathway section's texts said on their own, which are kept as short as an answer.
_PATHWAY_TEXTS = ("intro", "disclaimer", "cancelled", "nothing_to_stop", "skipped", "correct_me")


def _route_template(value: str | None) -> str | None:
    missing = [field for field in ROUTE_TEMPLATE_FIELDS if value and field not in value]
    if missing:
        raise ValueError(f"must contain {', '.join(missing)}")
    return value


def _with_field(name: str):  # noqa: ANN202 (a validator factory)
    def check(value: str | None) -> str | None:
        if value is not None and name not in value:
            raise ValueError(f"must contain {name}")
        return value

    return check


def _right_to_work_notes(value: dict[str, str]) -> dict[str, str]:
    if not set(value) <= {"no", "not-sure"}:
        raise ValueError("must have only the notes `no` and `not-sure`")
    for text in value.values():
        _short(text)
    return value


class _PathwayWording(_Model):
    """The rules the pathway finder's wording follows in both languages."""

    _texts = validator(*_PATHWAY_TEXTS, allow_reuse=True, check_fields=False)(_short)
    _buttons = validator("start_again", "stop", allow_reuse=True, check_fields=False)(_button)
    _nationality = validator("nationality_reason", allow_reuse=True, check_fields=False)(
        _reason
    )
    _route = validator("route", allow_reuse=True, check_fields=False)(_route_template)
    _understood = validator("understood", allow_reuse=True, check_fields=False)(
        _with_field(SUMMARY_FIELD)
    )
    _years = validator("understood_years", allow_reuse=True, check_fields=False)(
        _with_field(YEARS_FIELD)
    )
    _notes = validator("right_to_work_notes", allow_reuse=True, check_fields=False)(
        _right_to_work_notes
    )


class PathwayCy(_PathwayWording, _Welsh):
    intro: str | None = None
    heading: str | None = None
    route: str | None = None
    disclaimer: str | None = None
    right_to_work_notes: dict[str, str] = {}
    nationality_reason: str | None = None
    cancelled: str | None = None
    nothing_to_stop: str | None = None
    start_again: str | None = None
    stop: str | None = None
    understood: str | None = None
    understood_years: str | None = None
    correct_me: str | None = None
    skipped: str | None = None
    source_names: dict[str, str] = {}  # the sites' Welsh names, by host


class Pathway(_PathwayWording, Bilingual):
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
    # One line saying what the finder understood ("You're {summary}.") and its years part.
    understood: str
    understood_years: str  # "with about {years} of criminal practice"
    correct_me: str  # how to correct a wrong guess, said with the summary while asking
    skipped: str  # said when it goes on after a second answer it could not use
    # Names of the sites that sources are on, by host ("www.cps.gov.uk": "CPS website").
    source_names: dict[str, str] = {}
    offer: PathwayOffer
    questions: dict[str, PathwayQuestion]
    profiles: dict[str, PathwayProfile]
    cy: PathwayCy | None = None

    translated: ClassVar[tuple[str, ...]] = (
        "intro", "heading", "route", "disclaimer", "understood", "understood_years",
        "correct_me", "skipped", "right_to_work_notes", "nationality_reason", "cancelled",
        "nothing_to_stop", "start_again", "stop", "source_names",
    )  # fmt: skip

    @validator("right_to_work_notes")
    def _both_notes(cls, value: dict[str, str]) -> dict[str, str]:
        # The Welsh may lack one (it is then listed as missing); the English has both.
        if set(value) != {"no", "not-sure"}:
            raise ValueError("must have exactly the notes `no` and `not-sure`")
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
            # The summary says every answer but the right to work, which it keeps quiet.
            unsaid = [c.value for c in question.choices if c.understood is None]
            if key != "right_to_work" and unsaid:
                raise ValueError(f"question `{key}`: choices {', '.join(unsaid)} need `understood`")
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
SAFETY_CUES = ("danger", "crime", "distress", "victim", "decision", "charging", "complaint")


class SafetyNote(_Model, Bilingual):
    """One piece of the safety signposting, with the page that backs it."""

    answer: str
    source: str
    cy: ReplyCy | None = None  # a Welsh answer and its page, as for a reply

    translated: ClassVar[tuple[str, ...]] = ("answer",)

    _source = validator("source", allow_reuse=True)(_https)
    _answer = validator("answer", allow_reuse=True)(_short)


def _cue_phrases(value: list[str]) -> list[str]:
    for phrase in value:
        if phrase != phrase.lower() or not phrase.strip():
            raise ValueError(f"write the phrase {phrase!r} in lower case")
    return value


def _situation_cues(value: dict[str, list[str]]) -> dict[str, list[str]]:
    unknown = set(value) - set(SAFETY_CUES)
    if unknown:
        raise ValueError(f"unknown situations {', '.join(sorted(unknown))}")
    for words in value.values():
        _cue_phrases(words)
    return value


class SafetyCuesCy(_WelshTexts):
    """The words Welsh visitors use for each situation: not a translation of the English
    cues (so no fingerprint), but Welsh written for itself."""

    status: Literal["draft", "reviewed"]
    cues: dict[str, list[str]]
    personal_cues: dict[str, list[str]] = {}

    _cues = validator("cues", "personal_cues", allow_reuse=True)(_situation_cues)


class Safety(_Model):
    """The `safety` section: what anyone in danger or distress is told first."""

    emergency: SafetyNote
    support: SafetyNote
    review: SafetyNote  # a decision not to charge, or to stop a case
    distress: SafetyNote
    cues: dict[str, list[str]]
    personal_cues: dict[str, list[str]] = {}
    harm_verbs: list[str] = []  # with a person as object: "hurt the kids"
    harm_objects: list[str] = []  # people besides the personal words: "hit a woman"
    cy: SafetyCuesCy | None = None

    _harm = validator("harm_verbs", "harm_objects", allow_reuse=True)(_cue_phrases)

    @validator("cues")
    def _situations(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        if set(value) != set(SAFETY_CUES):
            raise ValueError(f"must have exactly the situations {', '.join(SAFETY_CUES)}")
        for situation, phrases in value.items():
            if not phrases:
                raise ValueError(f"situation `{situation}` needs at least one phrase")
            _cue_phrases(phrases)
        return value

    _personal = validator("personal_cues", allow_reuse=True)(_situation_cues)


# ---------------------------------------------------------------- elsewhere
class PointerCy(_Welsh):
    title: str | None = None
    answer: str | None = None
    source: str | None = None
    phrases: list[str] = []

    _source = validator("source", allow_reuse=True)(_https)
    _answer = validator("answer", allow_reuse=True)(_short)
    _phrases = validator("phrases", allow_reuse=True)(_cue_phrases)


class Pointer(_Model, Bilingual):
    """Where to go for a job or help that is not at the CPS (topic out-of-scope)."""

    id: str
    title: str
    answer: str
    source: str
    phrases: list[str] = Field(..., min_items=1)
    cy: PointerCy | None = None

    translated: ClassVar[tuple[str, ...]] = ("title", "answer")

    _source = validator("source", allow_reuse=True)(_https)
    _answer = validator("answer", allow_reuse=True)(_short)
    _phrases = validator("phrases", allow_reuse=True)(_cue_phrases)
    _id = validator("id", allow_reuse=True)(_kebab_case)


class KnowledgeFile(_Model):
    """The whole file."""

    entries: list[Entry]
    places: list[str]
    # Welsh names of the places, by the English name: "Cardiff: [Caerdydd, Nghaerdydd]".
    places_cy: dict[str, list[str]] = {}
    safety: Safety | None = None
    elsewhere: list[Pointer] = []
    conversation: dict[str, Reply]
    labels: dict[str, Label] = {}
    pathway: Pathway | None = None
