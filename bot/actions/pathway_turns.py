"""One turn of the pathway finder: what a visitor's message does to the answers.

No Rasa here: `bot.actions.pathway` passes in the answers so far, the question
asked and the message, and stores what comes back.

- The reply to the question asked is read first ("nope", "about four years").
- Whatever the message says about the person fills the other questions too, and
  corrects an earlier answer or guess ("no, I'm a barrister").
- A question is asked at most twice. After a second reply it cannot use, the
  finder goes on as if the visitor were not sure, and says so.
- A question about something else ("what does it pay?") is not a reply: the
  caller lets it be answered as a side question. A statement about the person
  never is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.actions.pathway_routes import QUESTIONS, UNKNOWN, next_question
from bot.actions.situation import (
    EXPERIENCE,
    Situation,
    answer_years,
    combine,
    describes_self,
    looks_like_question,
    read_answer,
    read_situation,
    starts_with_rejection,
    words,
)
from bot.knowledge import Pathway

MAX_ASKS = 2
UNDERSTOOD = "understood"  # note: say what was understood before the next question
SKIPPED = "skipped"  # note: say that the finder went on without an answer


@dataclass(frozen=True)
class State:
    """The finder's memory between turns (kept in slots)."""

    answers: Mapping[str, str | None]
    years: float | None = None
    asked: tuple[str, ...] = ()  # every time a question was asked in this run
    retry: str | None = None  # the question asked again after a reply it could not use

    def times_asked(self, question: str) -> int:
        return self.asked.count(question)


@dataclass(frozen=True)
class Turn:
    """The answers after a turn, and what to say before the next question."""

    answers: dict[str, str | None]
    years: float | None
    retry: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def next(self) -> str | None:
        return next_question(self.answers)


def default_answer(pathway: Pathway, question: str) -> str:
    """What "not sure" means for a question: its default, or unknown."""
    return pathway.questions[question].default or UNKNOWN


def button_value(pathway: Pathway, question: str, text: str) -> str | None:
    """The choice whose button was pressed (buttons send their title as text)."""
    typed = " ".join(words(text))
    choices = pathway.questions[question].choices
    return next((c.value for c in choices if " ".join(words(c.title)) == typed), None)


def _without_rejection(text: str) -> str:
    return " ".join(words(text)[1:])


def take_message(
    pathway: Pathway, state: State, question: str, text: str, *, side_topic: bool = False
) -> Turn | None:
    """The turn a message makes while `question` is asked, or None if it is not a reply
    but a question about something else (`side_topic`: the classifier thinks so too)."""
    pressed = button_value(pathway, question, text)
    if pressed is not None:
        return Turn({**state.answers, question: pressed}, state.years)
    reply = read_answer(pathway, question, text)
    told = read_situation(pathway, text)
    if side_topic and looks_like_question(text):
        return None
    if reply is None and not told and side_topic and not describes_self(text):
        return None

    answers = dict(state.answers)
    corrected = {
        q: v for q, v in told.answers.items() if q != question and answers.get(q) not in (None, v)
    }
    rejecting = starts_with_rejection(text)
    if corrected and rejecting:
        # "no, I'm a barrister": the "no" turns down the guess, it does not answer.
        reply = read_answer(pathway, question, _without_rejection(text))
    elif reply is not None:
        # A reply ("yes, I'm at the CPS") fills what is missing; it corrects nothing.
        missing = {q: v for q, v in told.answers.items() if answers.get(q) is None}
        told = Situation(missing, told.years if EXPERIENCE in missing else None)
    # What the message says about the person comes after what was known, so it corrects it.
    merged = combine([Situation(_known(answers), state.years), told])
    answers = {q: merged.answers.get(q) for q in QUESTIONS}
    years = merged.years
    if reply is not None:
        answers[question] = reply
        if question == EXPERIENCE:
            years = answer_years(text)
    notes = [UNDERSTOOD] if _changed_others(state.answers, answers, question) else []
    if answers.get(question) is not None:
        return Turn(answers, years, notes=notes)
    if state.times_asked(question) >= MAX_ASKS:
        answers[question] = default_answer(pathway, question)
        return Turn(answers, years, notes=notes + [SKIPPED])
    if notes:
        return Turn(answers, years, notes=notes)  # understood something: ask plainly again
    return Turn(answers, years, retry=question)  # nothing usable: ask again, rephrased


def resume(pathway: Pathway, state: State, question: str | None, text: str = "") -> Turn:
    """The form comes back after a side answer (or starts). What the side question said
    about the person still counts ("I'm a law student, what do trainees earn?"), and a
    question already asked twice is not asked a third time."""
    told = read_situation(pathway, text, statements_only=True) if text else Situation()
    merged = combine([Situation(_known(state.answers), state.years), told])
    answers = {q: merged.answers.get(q) for q in QUESTIONS}
    notes = [UNDERSTOOD] if _changed_others(state.answers, answers, question or "") else []
    if question is not None and answers.get(question) is None:
        if state.times_asked(question) >= MAX_ASKS:
            answers[question] = default_answer(pathway, question)
            return Turn(answers, merged.years, notes=notes + [SKIPPED])
    return Turn(answers, merged.years, retry=state.retry, notes=notes)


def _known(answers: Mapping[str, str | None]) -> dict[str, str]:
    return {q: v for q, v in answers.items() if v is not None}


def _changed_others(
    before: Mapping[str, str | None], after: Mapping[str, str | None], question: str
) -> bool:
    return any(after.get(q) != before.get(q) for q in after if q != question)


def start(pathway: Pathway, messages: list[tuple[str, bool]]) -> Situation:
    """What a visitor told us before the finder started: (text, about_them) pairs,
    oldest first. A message sent to ask for a route or describe themselves is read
    whole; any other only where the visitor speaks about themselves."""
    return combine(
        [
            read_situation(pathway, text, statements_only=not about_them)
            for text, about_them in messages
            if text and not text.startswith("/")
        ]
    )
