"""Simulated visitors' conversations, drawn from the held-out questions.

A conversation is planned up front (pure, seeded, so a run can be repeated):
sometimes a greeting, two to four topic questions, each sometimes followed by a
context follow-up the assistant supports or a click on a button it offered,
sometimes a thumbs up or down, sometimes a goodbye. Clicks and ratings depend on
the reply before them, so they are resolved while the conversation is played
(`message_for`).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from bench.contract import Messages, reply_topic
from bot.evaluation.heldout import Question
from web.validation import feedback_command

# What visitors type after an answer; the assistant takes the subject from the conversation.
FOLLOW_UPS = ("how do I apply for it?", "what does it pay?", "tell me more")
RATINGS = ("up", "down")
# Held-out topics that are not questions: they open or close a conversation.
OPENING_TOPICS = frozenset({"greeting"})
CLOSING_TOPICS = frozenset({"goodbye", "thanks"})


@dataclass(frozen=True)
class Say:
    text: str


@dataclass(frozen=True)
class ClickButton:
    """Press one of the buttons the previous reply offered (its payload is sent)."""


@dataclass(frozen=True)
class Rate:
    """The widget's thumbs up or down on the previous reply's topic."""

    rating: str


Turn = Say | ClickButton | Rate


@dataclass(frozen=True)
class Pools:
    greetings: tuple[str, ...]
    goodbyes: tuple[str, ...]
    questions: tuple[str, ...]

    @classmethod
    def from_questions(cls, questions: Sequence[Question]) -> Pools:
        pools = cls(
            greetings=tuple(q.text for q in questions if q.topic in OPENING_TOPICS),
            goodbyes=tuple(q.text for q in questions if q.topic in CLOSING_TOPICS),
            questions=tuple(
                q.text
                for q in questions
                if q.topic not in OPENING_TOPICS and q.topic not in CLOSING_TOPICS
            ),
        )
        empty = [name for name, texts in vars(pools).items() if not texts]
        if empty:
            raise ValueError(f"the held-out questions give no {', '.join(empty)}")
        return pools


@dataclass(frozen=True)
class Mix:
    """How often each kind of turn happens."""

    greeting: float = 0.4
    questions: tuple[int, int] = (2, 4)
    follow_up: float = 0.4
    click: float = 0.15
    rating: float = 0.25
    goodbye: float = 0.5


def plan(rng: random.Random, pools: Pools, mix: Mix = Mix()) -> list[Turn]:
    turns: list[Turn] = []
    if rng.random() < mix.greeting:
        turns.append(Say(rng.choice(pools.greetings)))
    for _ in range(rng.randint(*mix.questions)):
        turns.append(Say(rng.choice(pools.questions)))
        if rng.random() < mix.follow_up:
            turns.append(Say(rng.choice(FOLLOW_UPS)))
        if rng.random() < mix.click:
            turns.append(ClickButton())
    if rng.random() < mix.rating:
        turns.append(Rate(rng.choice(RATINGS)))
    if rng.random() < mix.goodbye:
        turns.append(Say(rng.choice(pools.goodbyes)))
    return turns


def message_for(turn: Turn, previous: Messages, rng: random.Random) -> str | None:
    """What the visitor sends for `turn` after the reply `previous`.

    None when that reply offered nothing to act on (no button, no topic): the
    turn is skipped, as a visitor would.
    """
    if isinstance(turn, Say):
        return turn.text
    if isinstance(turn, ClickButton):
        payloads = [
            b["payload"]
            for m in previous
            for b in m.get("buttons") or []
            if isinstance(b, dict) and b.get("payload")
        ]
        return rng.choice(payloads) if payloads else None
    topic = reply_topic(previous)
    if topic is None:
        return None
    return feedback_command({"rating": turn.rating, "topic": topic})
