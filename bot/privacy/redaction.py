"""Redact personal data from what a visitor types, before it is persisted.

``redact(text)`` returns a :class:`Redaction` with the cleaned text and the kinds
of personal data found. Placeholders are plain words in square brackets so a
recruiter can still read the transcript::

    >>> r = redact("my name is Jane Smith and my NI is QQ 12 34 56 C")
    >>> r.text
    'my name is [name] and my NI is [national insurance number]'
    >>> sorted(r.kinds)
    ['name', 'national-insurance']

Kinds, in the order they are removed (earlier rows win overlaps, except that
card and phone candidates compete by position):

=================== ================================ ===================================
kind                placeholder                      how it is found
=================== ================================ ===================================
email               [email address]                  regex
profile-link        [profile link]                   regex: LinkedIn, social media
iban                [IBAN]                           regex + ISO 13616 check, or "IBAN"
sort-code           [sort code]                      regex: nn-nn-nn, or after a cue
bank-account        [account number]                 regex: after a cue or a sort code
card-number         [card number]                    regex, 13-19 digits
phone               [phone number]                   regex, UK + "+<country>"
card-expiry         [card expiry date]               regex: after a cue or a card
card-security-code  [card security code]             regex: after a cue or a card
driving-licence     [driving licence number]         regex: DVLA shape, or after a cue
national-insurance  [national insurance number]      regex
case-reference      [case reference]                 regex: CPS URN, Crown Court number
police-reference    [police reference]               regex: crime reference, PNC, CRO
passport-number     [passport number]                regex, after a cue
nhs-number          [NHS number]                     regex + check digit, or after a cue
personal-reference  [reference number]               regex, after a cue (share code...)
postcode            [postcode]                       regex, full postcodes only
date-of-birth       [date of birth] / [date]         regex, birth cue / any full date
address             [address]                        regex: number + street, or a cue
name                [name]                           spaCy tokenizer + Matcher
=================== ================================ ===================================

Each module says what its detectors take and why: ``patterns.py`` (email, cards,
phones, NI numbers, postcodes, dates), ``identifiers.py`` (case and police
references, documents, bank and card details, profile links), ``addresses.py``
and ``names.py``. Special-category statements ("I have MS") are not removed but
detected (``special_category.py``), so the conversation is handled as sensitive.

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
  and no ordinary careers question contains a 13-19 digit number. A leading
  "+" makes it a phone number.
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
* Names: only after name-giving phrases; see ``names.py``.
* References and account numbers without a distinctive shape (passport, account,
  staff number) only after their cue words; a job or vacancy reference is public
  and never redacted.

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

from bot.privacy import addresses, identifiers, names, patterns

Span = tuple[int, int, str, str]

EMAIL = patterns.EMAIL
PHONE = patterns.PHONE
NATIONAL_INSURANCE = patterns.NATIONAL_INSURANCE
POSTCODE = patterns.POSTCODE
DATE_OF_BIRTH = patterns.DATE_OF_BIRTH
CARD_NUMBER = patterns.CARD_NUMBER
ADDRESS = addresses.ADDRESS
NAME = names.NAME

#: Placeholder text per kind. Dates without a birth cue read "[date]".
PLACEHOLDERS: Mapping[str, str] = MappingProxyType(
    {
        EMAIL: "[email address]",
        PHONE: "[phone number]",
        NATIONAL_INSURANCE: "[national insurance number]",
        POSTCODE: "[postcode]",
        DATE_OF_BIRTH: "[date of birth]",
        CARD_NUMBER: "[card number]",
        **identifiers.PLACEHOLDERS,
        ADDRESS: addresses.PLACEHOLDER,
        NAME: names.PLACEHOLDER,
    }
)

PII_KINDS: frozenset[str] = frozenset(PLACEHOLDERS)

# Each stage sees the text with the previous stages' placeholders already in.
_STAGES: tuple[Callable[[str], list[Span]], ...] = (
    patterns.find_emails,
    identifiers.find_profile_links,  # before numbers: a profile address may hold digits
    identifiers.find_ibans,  # before numbers: an IBAN's digits look like a card number
    identifiers.find_bank_details,  # before numbers: "20-00-00 12345678" looks like a card
    patterns.find_numbers,  # cards and phones, overlaps settled by position
    identifiers.find_card_details,  # after cards: "[card number] 03/27 123"
    identifiers.find_driving_licences,  # before NI numbers, which can sit inside one
    patterns.find_national_insurance,
    identifiers.find_case_references,
    identifiers.find_police_references,
    identifiers.find_documents,
    identifiers.find_personal_references,
    patterns.find_postcodes,
    patterns.find_birth_dates,
    patterns.find_dates,
    addresses.find_addresses,
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


def detect(text: str) -> list[Span]:
    """Every span that any detector finds in ``text`` as it is (no placeholders put in).

    After :func:`redact`, nothing is left for a detector to find:
    ``detect(redact(x).text) == []`` (tests/privacy/test_redaction_properties.py).
    """
    shadow = _shadow(text)
    return [span for stage in _STAGES for span in stage(shadow)]


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
