"""Find the question in a visitor's message before it is classified.

Visitors wrap questions in greetings, thanks, small talk and background:
"Hi there! I've been a paralegal for two years. What does an associate prosecutor
earn?" The classifier was trained on questions, so it is given the question:

- framing (greetings, thanks, "ok cool", "sorry to bother you") at the start or end
  of a sentence is set aside, and so are sentences made only of framing;
- when some sentences ask something and others only tell, the asking sentences are
  kept, with the sentence just before one that refers back to it or says too little
  on its own ("I got a caution at 19. Will that stop me?" and "I'm a barrister back
  from a career break. Is there anything for me?" keep both);
- within a sentence, the visitor's own background before a comma or dash is set aside
  the same way ("I look after my mum, is there a carers network?"), never a subject
  ("LTS eligibility - do I need a 2:1?");
- within a sentence, what the visitor denies before a turn to what they want is set
  aside too ("I don't need the pay details, just tell me about the holiday", "not
  interested in law at all, but are there jobs in finance?"): a denial names the
  topic the visitor does not want, which would pull the classifier towards it;
- a message made only of framing ("hi", "thanks!"), or that asks nothing, is left
  whole: that is its meaning.

A comma may join a list ("equality, diversity and inclusion"): only a clause that
opens a question, after clauses about the visitor, starts the question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS

from bot.language.wording import Wording

SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\s*\n+\s*")
ABBREVIATION = re.compile(r"\b(?:e\.g|i\.e|etc|vs|approx|incl|no)\.$", re.IGNORECASE)
WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
PUNCTUATION = ",.!?:;-–—~()"  # what may follow framing before the question starts
CLAUSE_BREAK = re.compile(r"\s*(?:[,;]|\s[-–—]\s)\s*")  # a comma, or a dash between spaces
MIN_CONTENT_WORDS = 3  # a question with fewer says too little without the sentence before
MIN_QUESTION_WORDS = 4  # fewer words than this left after the framing: read it all
# A clause is a denial when a negation opens it ("I'm not a ...", "not interested",
# "I don't need"), not when one comes late ("I'm doing an IT degree and not ..."), and
# a contrast word this early in the next clause turns from it ("..., I just want").
DENIAL_WITHIN = 4
# ... and names what is denied: "no" or "not really" alone answers a question ("no, I'd
# rather review cases" answers the route finder), it does not turn away from a topic.
DENIAL_WORDS = 3
TURN_WITHIN = 3


@dataclass(frozen=True)
class Sentence:
    text: str
    words: tuple[str, ...]
    wants: bool = False  # turned from a denial to what the visitor wants ("just tell me ...")

    @property
    def asks(self) -> bool:
        return self.wants or self.text.rstrip().endswith("?")


def _words(text: str) -> tuple[str, ...]:
    return tuple(match.group().replace("’", "'") for match in WORD.finditer(text.lower()))


class QuestionReader:
    """Reads the question out of a message with the framing words of `wording`."""

    def __init__(self, wording: Wording):
        self.framing = {tuple(phrase.split()) for phrase in wording.framing}
        self.longest_framing = max(len(phrase) for phrase in self.framing)
        self.openers = {tuple(phrase.split()) for phrase in wording.question_openers}
        self.back_references = {tuple(phrase.split()) for phrase in wording.back_references}
        self.first_person = set(wording.first_person)
        self.negation_cues = set(wording.negation.cues)
        self.contrasts = set(wording.negation.contrasts)

    def question(self, text: str) -> str | None:
        """The part of `text` to classify, or None when that is the whole message."""
        parts = _sentences(text)
        sentences = [s for s in (self._unframed(part) for part in parts) if s]
        if not sentences:
            return None  # only framing: a greeting or a thank-you means just that
        asking = [i for i, s in enumerate(sentences) if s.asks or self._opens_question(s.words)]
        if not asking:
            return None  # no question to read out: "brilliant, thanks, that's what I needed"
        if len(asking) < len(sentences):
            keep = set(asking)
            first = asking[0]
            if first > 0 and self._needs_context(sentences[first].words):
                keep.add(first - 1)
            sentences = [s for i, s in enumerate(sentences) if i in keep]
        focus = " ".join(s.text for s in sentences)
        if len(_words(focus)) < MIN_QUESTION_WORDS:
            return None  # "hello hello, anybody home?": too little left to be the question
        return None if focus == " ".join(text.split()) else focus

    def _unframed(self, sentence: str) -> Sentence | None:
        """The sentence without framing at its start or end; None if it was all framing."""
        text = " ".join(sentence.split())
        while True:
            rest = self._strip_leading(text)
            if rest is None or rest == text:
                break
            text = rest
        if rest is None:
            return None
        stated = self._strip_trailing(text)
        wanted = self._after_denial(stated)
        text = self._question_clause(wanted)
        words = _words(text)
        return Sentence(text, words, wants=wanted != stated) if words else None

    def _question_clause(self, text: str) -> str:
        """ "I look after my mum, is there a carers network?" -> "is there a carers network?"

        Only the visitor's own background is set aside, never a subject: "LTS
        eligibility - do I need a 2:1?" keeps "LTS eligibility".
        """
        clauses = CLAUSE_BREAK.split(text)
        for position in range(1, len(clauses)):
            before = clauses[:position]
            if not all(self._about_me(_words(clause)) for clause in before):
                break
            rest = self._strip_leading(clauses[position]) or clauses[position]
            if self._opens_question(_words(rest)):
                # As with sentences, a question that needs it keeps the clause before.
                start = position - 1 if self._needs_context(_words(rest)) else position
                if start == 0:
                    return text
                return ", ".join([*clauses[start:position], rest, *clauses[position + 1 :]])
        return text

    def _after_denial(self, text: str) -> str:
        """ "not interested in law, but are there jobs in finance?" -> "are there jobs in
        finance?": clauses opened by a denial, then a clause that turns ("but", "just")
        within its first words, which is kept with everything after it."""
        clauses = CLAUSE_BREAK.split(text)
        for position in range(1, len(clauses)):
            denial = _words(clauses[position - 1])
            if len(denial) < DENIAL_WORDS or not self._denies(denial[:DENIAL_WITHIN]):
                break
            words = _words(clauses[position])
            if self.contrasts & set(words[:TURN_WITHIN]):
                rest = ", ".join(clauses[position:])
                return re.sub(r"^(?:but|ond)\s+", "", rest, flags=re.IGNORECASE)
        return text

    def _denies(self, words: tuple[str, ...]) -> bool:
        return any(word in self.negation_cues or word.endswith("n't") for word in words)

    def _about_me(self, words: tuple[str, ...]) -> bool:
        return bool(self.first_person & set(words))

    def _strip_leading(self, text: str) -> str | None:
        """Text after one leading framing phrase; None if nothing else is left."""
        words = _words(text)
        for size in range(min(self.longest_framing, len(words)), 0, -1):
            if words[:size] not in self.framing:
                continue
            end = _end_of_words(text, size)
            rest = text[end:]
            if not _words(rest):
                return None
            # Framing must be set apart ("ok, what...") or be followed by framing or a
            # question ("ok cool what about leave"): "right to work" keeps its "right".
            follows = _words(rest)
            if rest.lstrip()[:1] in PUNCTUATION or self._framing_or_opener(follows):
                return rest.lstrip(" " + PUNCTUATION)
        return text

    def _strip_trailing(self, text: str) -> str:
        """Drop ", thanks" or ", cheers" at the end of a sentence."""
        while True:
            cut = max(text.rfind(mark) for mark in ",;–—")
            if cut <= 0 or _words(text[cut:]) not in self.framing:
                return text
            text = text[:cut].rstrip()

    def _framing_or_opener(self, words: tuple[str, ...]) -> bool:
        for size in range(min(self.longest_framing, len(words)), 0, -1):
            if words[:size] in self.framing or words[:size] in self.openers:
                return True
        return False

    def _opens_question(self, words: tuple[str, ...]) -> bool:
        return any(words[:size] in self.openers for size in range(1, min(4, len(words)) + 1))

    def _needs_context(self, words: tuple[str, ...]) -> bool:
        """Does the question refer back ("will that stop me?") or say too little alone?"""
        if any(
            words[start : start + len(phrase)] == phrase
            for phrase in self.back_references
            for start in range(len(words))
        ):
            return True
        content = [word for word in words if word not in STOP_WORDS and not word.isdigit()]
        return len(content) < MIN_CONTENT_WORDS


def _sentences(text: str) -> list[str]:
    """Split at sentence ends, but not after an abbreviation such as "e.g."."""
    sentences: list[str] = []
    for part in SENTENCE_END.split(text):
        if sentences and ABBREVIATION.search(sentences[-1]):
            sentences[-1] = f"{sentences[-1]} {part}"
        else:
            sentences.append(part)
    return sentences


def _end_of_words(text: str, count: int) -> int:
    """The offset in `text` just after its first `count` words."""
    matches = list(WORD.finditer(text.lower()))
    return matches[count - 1].end()
