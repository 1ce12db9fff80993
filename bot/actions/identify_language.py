"""Welsh or English: the language a visitor's message is written in.

Each message is read on its own (a visitor who switches is answered in the language
of their message). A message too short or too mixed to tell ("ok", a name, a button
payload) is undecided: the caller keeps the conversation's language for it
(bot.actions.language).

lingua-language-detector, loaded for English and Welsh only, scores the whole message
and each word. Welsh typed with English nouns ("wt ti'n gallu helpu fi efo
apprenticeship") scores as English as a whole, so a message counts as Welsh also when
enough of its words are Welsh. A word is Welsh when the detector is confident of it or
when only the Welsh training examples use it ("ydy'r", "pa", "te"); a word only the
English examples use is never counted as Welsh ("wrk", "ppl").
Its models ship inside the wheel: nothing is downloaded at run time.

It runs in the action server, not in the model (so it is kept out of bot/language, whose
modules are model inputs: a change here needs no retraining).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from bot.training_data import is_welsh, training_examples

ENGLISH = "en"
WELSH = "cy"
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# Thresholds chosen on the development sets (development.yml, development-cy.yml).
SURE = 0.75  # the whole message's probability of a language, to decide on it
SURE_ONE_WORD = 0.95  # a message of one word ("diolch", "pensiwn") must be clearer
WELSH_WORD = 0.8  # a word counts as Welsh from this probability
WELSH_SHARE = 0.25  # ... and a message with this share of Welsh words is Welsh
# Greetings only Welsh speakers use, which the detector cannot tell from so few letters
# ("helo, bore da" scores under 0.5 Welsh): a message it cannot decide that has one is Welsh.
WELSH_GREETINGS = re.compile(
    r"\b(?:helo|hylo|shwmae|s'mae|smae|su'mae|sumae|bore da|prynhawn da|noswaith dda|nos da)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def detector() -> LanguageDetector:
    return (
        LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.WELSH)
        .with_preloaded_language_models()
        .build()
    )


@dataclass(frozen=True)
class Vocabularies:
    welsh: frozenset[str]  # words of the Welsh examples only
    english: frozenset[str]  # words of the English examples only


@lru_cache(maxsize=1)
def vocabularies() -> Vocabularies:
    welsh: set[str] = set()
    english: set[str] = set()
    for text, path in training_examples():
        (welsh if is_welsh(path) else english).update(_lower_words(text))
    return Vocabularies(welsh=frozenset(welsh - english), english=frozenset(english - welsh))


def _lower_words(text: str) -> list[str]:
    return [word.lower() for word in WORD.findall(text)]


def welsh_probability(text: str) -> float:
    return detector().compute_language_confidence(text, Language.WELSH)


def identify(text: str) -> str | None:
    """ "cy", "en", or None when the message cannot tell (keep the conversation's)."""
    if not text or text.startswith("/"):
        return None  # a button payload is not language
    words = WORD.findall(text)
    if not words:
        return None
    decided = _detected(text, words)
    if decided is None and WELSH_GREETINGS.search(text):
        return WELSH
    return decided


def _detected(text: str, words: list[str]) -> str | None:
    """What the detector is sure of, from the whole message and its words."""
    whole = welsh_probability(text)
    if len(words) == 1:
        sure = SURE_ONE_WORD
        welsh = whole >= sure or words[0].lower() in vocabularies().welsh
    else:
        sure = SURE
        welsh_words = sum(_is_welsh_word(word) for word in words)
        welsh = whole >= sure or welsh_words / len(words) >= WELSH_SHARE
    if welsh:
        return WELSH
    return ENGLISH if 1 - whole >= sure else None


def _is_welsh_word(word: str) -> bool:
    lower = word.lower()
    known = vocabularies()
    if lower in known.welsh:
        return True
    if lower in known.english:
        return False
    return len(word) > 1 and welsh_probability(word) >= WELSH_WORD
