"""Which words of a message are denied ("I'm a legal secretary, not a lawyer").

A bag-of-words classifier reads "not a lawyer" as "lawyer". This finds the words
under a negation cue (not, n't, never, no, without, non...), up to a word that ends
the negated stretch ("but", "can", "what"...), punctuation, or a few words ("non-" denies
only the word it is joined to), so that:

- a topic that takes something about the visitor for granted is not given to a
  visitor who denies it (qualified-lawyer-entry for "I'm not qualified yet");
- a cue phrase in a denied stretch does not count ("I'm not a crime victim").

Works on spaCy tokens: the lemma of "n't" and "nt" ("dont") is "not". The Welsh cues
("ddim", "dim", "heb", "erioed") work the same way: "dwi ddim yn gyfreithiwr".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.language.mutations import mutated_forms
from bot.language.wording import Negation as NegationWords

HYPHEN = "-"  # "non-lawyers": a hyphenated cue denies the one word it is joined to


class Token(Protocol):
    @property
    def lower_(self) -> str: ...
    @property
    def lemma_(self) -> str: ...
    @property
    def is_punct(self) -> bool: ...


@dataclass(frozen=True)
class Denial:
    """One negation cue and the token positions it denies."""

    cue: int
    scope: tuple[int, ...]


class NegationReader:
    def __init__(self, words: NegationWords):
        self.cues = set(words.cues)
        self.breakers = set(words.breakers)
        self.max_scope = words.max_scope
        # Welsh premise words in every form a sentence gives them ("ddim yn gyfreithiwr").
        self.premises = {
            topic: {form for word in lemmas for form in (word, *mutated_forms(word))}
            for topic, lemmas in words.premises.items()
        }

    def denials(self, tokens: Sequence[Token]) -> list[Denial]:
        found = []
        for position, token in enumerate(tokens):
            if token.lower_ not in self.cues and token.lemma_ not in self.cues:
                continue
            scope: list[int] = []
            joined = position + 2 < len(tokens) and tokens[position + 1].lower_ == HYPHEN
            if joined:
                found.append(Denial(cue=position, scope=(position + 2,)))
                continue
            for after in range(position + 1, len(tokens)):
                following = tokens[after]
                if following.is_punct or following.lower_ in self.breakers:
                    break
                if following.lower_ in self.cues or following.lemma_ in self.cues:
                    break  # the next cue starts its own stretch
                scope.append(after)
                if len(scope) >= self.max_scope:
                    break
            if scope:
                found.append(Denial(cue=position, scope=tuple(scope)))
        return found

    def denied_topics(self, tokens: Sequence[Token], denials: list[Denial]) -> set[str]:
        """Topics whose premise the visitor denies, and affirms nowhere else."""
        denied = {i for denial in denials for i in denial.scope}
        denied_words = {_forms(tokens[i]) for i in denied}
        affirmed_words = {_forms(token) for i, token in enumerate(tokens) if i not in denied}
        topics = set()
        for topic, premise in self.premises.items():
            said_no = any(premise & forms for forms in denied_words)
            said_yes = any(premise & forms for forms in affirmed_words)
            if said_no and not said_yes:
                topics.add(topic)
        return topics


def _forms(token: Token) -> frozenset[str]:
    return frozenset({token.lower_, token.lemma_})


def denied_positions(denials: list[Denial]) -> set[int]:
    return {i for denial in denials for i in denial.scope}
