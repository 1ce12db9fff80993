"""What a conversation's messages say beyond its topics: signs that an answer was wrong,
a visitor who needed safeguarding, its ratings counted once per answer, and whether an
unanswered question is a real one, a probe or keyboard mash.

Worked out from :func:`web.console.conversations.messages` when a conversation is summarised, so
the list filters on stored columns, never on message text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from bot.ratings import RATINGS

FALLBACK = "fallback"
# Answers below this confidence are where wrong topics gather: on the held-out set, 1.6% of
# answers were confident wrong topics at the 0.5 fallback threshold and 0.6% at 0.8
# (docs/evaluation.md, "Fallback threshold").
CONFIDENT = 0.8
SIMILAR = 0.5  # Jaccard overlap of content words for two questions to be the same one
STOP_WORDS = frozenset(
    "a an and are as at be can could do does for from have how i i'm if in is it me my "
    "of on or so that the there this to was what when where which who why will with would "
    "you your please".split()
)
WORD = re.compile(r"[a-z0-9']+")
# What people type to see what a chat box does, rather than to ask something.
PROBES = frozenset("test testing tester hello hi hey yo ok okay hmm lol asdf qwerty".split())
MARKUP = re.compile(r"[<>{}]|\b(?:select|script|alert|drop table)\b", re.IGNORECASE)


def content_words(text: str) -> frozenset[str]:
    words = [w.strip("'") for w in WORD.findall(text.lower())]
    return frozenset(w for w in words if w and w not in STOP_WORDS)


def similar(first: frozenset[str], second: frozenset[str]) -> bool:
    return bool(first and second) and len(first & second) / len(first | second) >= SIMILAR


def is_answer(message: Any) -> bool:
    """A visitor message (typed or a button) that the assistant answered with a topic."""
    return (
        message.speaker == "visitor"
        and not message.is_feedback
        and not message.automatic
        and bool(message.topic)
        and message.topic != FALLBACK
    )


def is_low_confidence(message: Any) -> bool:
    return is_answer(message) and (message.confidence or 0.0) < CONFIDENT


def rephrased(messages: list[Any]) -> bool:
    """The visitor asked the same thing again in other words, straight after."""
    typed = [content_words(m.text) for m in messages if m.is_typed]
    return any(similar(a, b) for a, b in zip(typed, typed[1:], strict=False))


def left_after_answer(messages: list[Any]) -> bool:
    """The visitor's last message got an answer from the knowledge file (one with a
    source), and they neither rated it nor wrote again."""
    asked = [m for m in messages if m.speaker == "visitor" and not m.automatic]
    if not asked or asked[-1].is_feedback or not is_answer(asked[-1]):
        return False
    last = messages.index(asked[-1])
    return any(m.speaker == "assistant" and m.source for m in messages[last + 1 :])


def ratings(messages: Iterable[Any]) -> dict[Any, Any]:
    """The ratings that count, by the answer rated: a change replaces the earlier one."""
    found: dict[Any, Any] = {}
    for message in messages:
        if message.rating in RATINGS:
            key = message.rated_answer
            found[key if key is not None else ("unmatched", message.event_id)] = message
    return found


def safety(messages: list[Any], categories: Iterable[str]) -> tuple[bool, bool]:
    """(the visitor described danger, a crime or distress; the signposting was given)."""
    signposted = any(m.speaker == "assistant" and m.safety for m in messages)
    described = any(m.situations for m in messages if m.speaker == "visitor")
    return described or signposted or "victim" in categories, signposted


def question_kind(text: str, noise: bool | None) -> str:
    """"question", "probe" (testing the box, markup, a word or two) or "mash" (not words:
    the assistant's own check said so, stored in the parse data)."""
    if noise or not re.search(r"[a-z]", text.lower()):
        return "mash"
    words = content_words(text)
    if MARKUP.search(text) or not words - PROBES or len(words) < 2 and "?" not in text:
        return "probe"
    return "question"
