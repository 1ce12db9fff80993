"""Is a message made of words? Keyboard mash and noise must not get a topic.

A classifier always names its likeliest intent, even for "poiuytrewq"; with
character n-grams it can even be sure of it. So before any topic is given, the
message is checked against a vocabulary: the English word list that ships with the
pinned `spacy-lookups-data` package (its lemma tables), the Welsh dictionary of the
pinned `simplemma` (with mutated and informal forms: "nghyflog", "isio"), the words of
the training data and of the knowledge file. A word one typo away from a training or knowledge
word ("prosecuter", "pupilage") counts as a word; sounds of hesitation ("erm") do not.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import simplemma
import spacy_lookups_data
from simplemma.strategies.dictionaries import DefaultDictionaryFactory

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
MIN_REAL_SHARE = 0.5  # more than half the words of a message must be words
LONG_WORD = 8  # from this length, two typos are forgiven; from 4, one


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Every word form in the English lemma tables of spacy-lookups-data (offline)."""
    folder = spacy_lookups_data.__path__[0] + "/data"
    with gzip.open(f"{folder}/en_lemma_lookup.json.gz", "rt", encoding="utf-8") as file:
        lookup: dict[str, str] = json.load(file)
    with gzip.open(f"{folder}/en_lemma_index.json.gz", "rt", encoding="utf-8") as file:
        index: dict[str, list[str]] = json.load(file)
    words = {word.lower() for word in lookup} | {lemma.lower() for lemma in lookup.values()}
    for lemmas in index.values():
        words.update(lemma.lower() for lemma in lemmas)
    return frozenset(word for word in words if word.isalpha())


def is_welsh_word(word: str) -> bool:
    """A word form of the Welsh dictionary that ships with simplemma (offline), also as
    typed without its accents: visitors write "cwl" and "gret" for "cŵl" and "grêt"."""
    return simplemma.is_known(word, lang="cy") or word in welsh_words_unaccented()


@lru_cache(maxsize=1)
def welsh_words_unaccented() -> frozenset[str]:
    """The accented forms of the Welsh dictionary (about 4,000), with their accents taken off."""
    words = {word.lower() for word in DefaultDictionaryFactory().get_dictionary("cy").keys()}
    return frozenset(plain for word in words if (plain := without_accents(word)) != word)


# Welsh spells the English words it borrows by its own letters ("ffantastig", "ecsam"):
# undoing the commonest of those spellings finds the English word.
WELSH_LOAN_SPELLINGS = (("ff", "f"), ("cs", "x"), ("ig", "ic"))


def english_spelling(word: str) -> str:
    """ "ffantastig" -> "fantastic": a Welsh spelling of an English loan, as English spells it."""
    for welsh, english in WELSH_LOAN_SPELLINGS:
        word = word.replace(welsh, english)
    return word


def without_accents(text: str) -> str:
    """ "tâl" -> "tal", "cŵl" -> "cwl": the letters with their diacritics removed."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words_of(text: str) -> list[str]:
    return [match.group().lower().replace("’", "'") for match in WORD.finditer(text)]


def _deletions(word: str, depth: int) -> set[str]:
    """`word` with up to `depth` letters removed: typo neighbours share one of these."""
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


def _typo_depth(word: str) -> int:
    return 2 if len(word) >= LONG_WORD else 1 if len(word) >= 4 else 0


@dataclass(frozen=True)
class WordCount:
    """How much of a message is made of words."""

    words: int
    real: int

    @property
    def made_of_words(self) -> bool:
        return self.words > 0 and self.real / self.words > MIN_REAL_SHARE


class Vocabulary:
    """The words the assistant knows, with one or two typos forgiven on its own words."""

    def __init__(self, domain: Iterable[str], fillers: Iterable[str] = ()):
        self.domain = {word.lower() for word in domain if word.isalpha()}
        self.fillers = set(fillers)
        self.general = english_words()
        welsh_words_unaccented()  # loaded now, not on a visitor's first message
        # Deletion neighbourhoods of the domain words (a symmetric-delete index): a
        # typo and its word share a deletion, found with no scan of the vocabulary.
        self.neighbours: set[str] = set()
        for word in self.domain:
            depth = _typo_depth(word)
            if depth:
                self.neighbours |= _deletions(word, depth)

    def is_word(self, word: str) -> bool:
        if word in self.fillers:
            return False
        if word in self.domain or word in self.general or is_welsh_word(word):
            return True
        if english_spelling(word) in self.general:
            return True
        stem = word.split("'")[0]
        if stem != word and (stem in self.domain or stem in self.general):
            return True
        depth = _typo_depth(word)
        return bool(depth) and not _deletions(word, depth).isdisjoint(self.neighbours)

    def count(self, text: str) -> WordCount:
        words = words_of(text)
        return WordCount(words=len(words), real=sum(self.is_word(word) for word in words))
