"""Redact personal data from what a visitor types, before it is persisted.

``redact(text)`` returns a :class:`Redaction` with the cleaned text, the kinds
of personal data found and a ``sensitive`` flag. Placeholders are plain words
in square brackets so a recruiter can still read the transcript::

    >>> r = redact("my name is Jane Smith and my NI is QQ 12 34 56 C")
    >>> r.text
    'my name is [name] and my NI is [national insurance number]'
    >>> sorted(r.kinds), r.sensitive
    (['name', 'national-insurance'], True)

Kinds, in the order they are removed (earlier rows win overlaps, except that
card and phone candidates compete by position):

=================== ============================== ===============================
kind                placeholder                    how it is found
=================== ============================== ===============================
email               [email address]                regex
card-number         [card number]                  regex, 13-19 digits
phone               [phone number]                 regex, UK + "+<country>"
national-insurance  [national insurance number]    regex
postcode            [postcode]                     regex, full postcodes only
date-of-birth       [date of birth] / [date]       regex, birth cue / any full date
name                [name]                         spaCy tokenizer + Matcher
=================== ============================== ===============================

Why regex or spaCy per kind: emails, phone and card numbers, NI numbers,
postcodes and dates are defined by their character shape, including the
separators inside them. spaCy's tokenizer does not cut those consistently
("QQ-12-34-56-C" becomes "QQ-12", "-", "34", ...; "QQ123456C." keeps its full
stop; "SW1H-9EA" is one token), so a token pattern would need one variant per
tokenisation; a regex with "not glued to a letter/digit" look-arounds covers
them all. Names are the opposite: they are words after a phrase, so the
spaCy ``Matcher`` over tokens is the natural tool (see ``names.py``).

Decisions (each pattern block in ``patterns.py`` says more):

* Cards: Luhn is NOT required. A mistyped card number is still card details,
  and no ordinary careers question contains a 13-19 digit number. Every card-
  shaped number is ``sensitive``. A leading "+" makes it a phone number.
* Phones: UK mobiles and landlines (0..., +44, 0044, "(0)") with 9-10 digits
  after the trunk 0, plus any "+<country>" number with 8-14 digits.
* NI numbers: prefix rule applied loosely (letters D F I U V never used; QQ
  kept). Suffix letter A-D required unless an NI cue precedes the number.
* Postcodes: full postcodes only. Outward codes alone ("SW1", "M1") are not
  personal data on their own and collide with roads and grades.
* Dates: every full day-month-year date is redacted ("[date]"), since a birth
  date looks like any other date; after "born", "DOB", "date of birth",
  "birthday" partial dates and bare years are redacted as "[date of birth]".
  "October 2027 start" and "Legal Trainee Scheme 2027" stay. The cost is that
  an interview date such as "12 March 2026" also becomes "[date]".
* Names: only after explicit name-giving phrases; see ``names.py``.

Robustness: matching runs on a same-length "shadow" of the text in which
Unicode digits and compatibility forms (full-width letters, non-breaking
spaces) are mapped to ASCII and lone surrogates to U+FFFD, then the spans are
cut from the original. The whole pipeline is re-run until nothing more is
found, so ``redact(redact(x).text) == redact(x)``. Nothing raises on any
``str``; matching is linear in the length of the text.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from bot.privacy import names, patterns

Span = tuple[int, int, str, str]

EMAIL = patterns.EMAIL
PHONE = patterns.PHONE
NATIONAL_INSURANCE = patterns.NATIONAL_INSURANCE
POSTCODE = patterns.POSTCODE
DATE_OF_BIRTH = patterns.DATE_OF_BIRTH
CARD_NUMBER = patterns.CARD_NUMBER
NAME = names.NAME

PII_KINDS: frozenset[str] = frozenset(
    {EMAIL, PHONE, NATIONAL_INSURANCE, POSTCODE, DATE_OF_BIRTH, CARD_NUMBER, NAME}
)

#: Kinds the visitor must be told were not kept (GDS user-support model).
SENSITIVE_KINDS: frozenset[str] = frozenset({NATIONAL_INSURANCE, CARD_NUMBER})

#: Placeholder text per kind. Dates without a birth cue read "[date]".
PLACEHOLDERS: Mapping[str, str] = MappingProxyType(
    {
        EMAIL: "[email address]",
        PHONE: "[phone number]",
        NATIONAL_INSURANCE: "[national insurance number]",
        POSTCODE: "[postcode]",
        DATE_OF_BIRTH: "[date of birth]",
        CARD_NUMBER: "[card number]",
        NAME: names.PLACEHOLDER,
    }
)

# Each stage sees the text with the previous stages' placeholders already in.
_STAGES: tuple[Callable[[str], list[Span]], ...] = (
    patterns.find_emails,
    patterns.find_numbers,  # cards and phones, overlaps settled by position
    patterns.find_national_insurance,
    patterns.find_postcodes,
    patterns.find_birth_dates,
    patterns.find_dates,
    names.find_names,
)

# Every pass that changes the text removes at least one original character, so
# the loop always ends; in practice the second pass finds nothing.
_MAX_PASSES = 8


@dataclass(frozen=True)
class Redaction:
    """The result of :func:`redact`."""

    text: str
    kinds: frozenset[str] = frozenset()

    @property
    def sensitive(self) -> bool:
        """True if an NI or card number was removed: tell the visitor it was
        not kept and ask them not to share it again."""
        return bool(self.kinds & SENSITIVE_KINDS)

    @property
    def changed(self) -> bool:
        return bool(self.kinds)


def redact(text: str | None) -> Redaction:
    """Replace personal data in ``text`` with readable placeholders.

    ``None`` is treated as an empty message. Any other non-``str`` raises
    ``TypeError``; no ``str`` input raises.
    """
    if text is None:
        return Redaction("")
    if not isinstance(text, str):
        raise TypeError(f"redact() expects str, not {type(text).__name__}")
    kinds: set = set()
    original, shadow = text, _shadow(text)
    for _ in range(_MAX_PASSES):
        changed = False
        for stage in _STAGES:
            spans = _non_overlapping(stage(shadow))
            if spans:
                changed = True
                kinds.update(span[2] for span in spans)
                original = _apply(original, spans)
                shadow = _apply(shadow, spans)
        if not changed:
            break
    return Redaction(original, frozenset(kinds))


def _shadow(text: str) -> str:
    """Same-length copy of ``text`` for matching (ASCII digits, NFKC letters)."""
    if text.isascii():
        return text
    out = []
    for char in text:
        if char.isascii():
            out.append(char)
        elif "\ud800" <= char <= "\udfff":
            out.append("\ufffd")
        else:
            digit = unicodedata.decimal(char, None)
            if digit is not None:
                out.append(str(digit))
                continue
            folded = unicodedata.normalize("NFKC", char)
            out.append(folded if len(folded) == 1 else char)
    return "".join(out)


def _non_overlapping(spans: list[Span]) -> list[Span]:
    """Sorted spans; of two overlapping spans the one starting first (then the
    longer) wins, and the loser's uncovered part is picked up on the next pass."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (s[0], -s[1])):
        if span[0] >= span[1]:
            continue
        if kept and span[0] < kept[-1][1]:
            continue
        kept.append(span)
    return kept


def _apply(text: str, spans: list[Span]) -> str:
    pieces = []
    position = 0
    for start, end, _kind, placeholder in spans:
        pieces.append(text[position:start])
        pieces.append(placeholder)
        position = end
    pieces.append(text[position:])
    return "".join(pieces)
