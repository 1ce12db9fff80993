"""Regular-expression detectors for the PII kinds whose *text form* matters.

Every detector takes the (normalised) text and returns a list of
``(start, end, kind, placeholder)`` tuples. Detectors never look inside the
square-bracket placeholders, because no pattern can match ``[``, ``]`` or a
run of plain letters on its own: this is what makes redaction idempotent.

All patterns anchor on "not glued to another letter/digit" look-arounds
rather than ``\\b``, and the only unbounded repeats start right after such a
look-behind, so matching stays linear on long inputs (10,000 characters).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from re import Match, Pattern

Span = tuple[int, int, str, str]

EMAIL = "email"
PHONE = "phone"
NATIONAL_INSURANCE = "national-insurance"
POSTCODE = "postcode"
DATE_OF_BIRTH = "date-of-birth"
CARD_NUMBER = "card-number"

_FLAGS = re.IGNORECASE | re.VERBOSE

# --------------------------------------------------------------------------
# Email addresses. Local part: RFC 5322 "atext" plus dots; an optional single
# space either side of "@" (phone keyboards). The last domain label must be
# letters (or an IDN "xn--" label), which keeps "meet @ 5.30" out.
# --------------------------------------------------------------------------
_EMAIL_LOCAL = r"[\w.!#$%&'*+/=?^`{|}~-]"
_EMAIL_RE = re.compile(
    rf"""
    (?<!{_EMAIL_LOCAL})
    {_EMAIL_LOCAL}+
    [ ]?@[ ]?
    (?:[\w-]+\.)+
    (?:xn--[\w-]+|[^\W\d_]{{2,}})
    (?![\w-])
    """,
    _FLAGS,
)

# --------------------------------------------------------------------------
# Card-like numbers: 13-19 digits, the first 1-9, with at most two spaces or
# dashes between digits. Luhn is deliberately NOT required (see redaction.py).
# A leading "+" means an international phone number, never a card.
# --------------------------------------------------------------------------
_CARD_RE = re.compile(
    r"""
    (?<![0-9+])
    [1-9](?:[ \t-]{0,2}[0-9]){12,18}
    (?![0-9])(?![ ]?/)  # "... 1111 03/27": the 03 starts the expiry date
    """,
    _FLAGS,
)

# --------------------------------------------------------------------------
# UK phone numbers.
#   national:      0 + 9 or 10 digits   (07911 123456, 020 7946 0958,
#                  (01632) 960 001, 0800-123-4567)
#   international: +44 / 0044 [ (0) ] + 9 or 10 digits
#   other countries: + then 8-14 digits (a visitor's non-UK mobile)
# Separators: up to two of space . ( ) - between digits. The number may follow
# a letter but not a digit, so "mobile07911123456" is still caught.
# --------------------------------------------------------------------------
_SEP = r"[ \t.()\-]{0,2}"
_PHONE_RE = re.compile(
    rf"""
    (?:
        (?<![0-9+])
        (?:\+|00) {_SEP} 44 {_SEP}
        (?:\(\s?0\s?\) {_SEP} | 0 {_SEP})?
        [1-9](?:{_SEP}[0-9]){{8,9}}
      |
        (?<![0-9])
        \(?0 {_SEP} [1-9](?:{_SEP}[0-9]){{8,9}}
      |
        (?<![0-9+])
        \+ [ ]? [1-9](?:{_SEP}[0-9]){{7,13}}
    )
    (?![0-9])
    """,
    _FLAGS,
)

# --------------------------------------------------------------------------
# National Insurance numbers: two prefix letters, six digits, suffix A-D.
# Prefix rule applied loosely: HMRC never uses D, F, I, U or V, so those are
# excluded; Q and a second-letter O are kept (QQ 12 34 56 C is HMRC's own
# specimen and people copy it), and unallocated pairs (BG, GB, NK, KN, TN, NT,
# ZZ) are still redacted - a mistyped NI number is still an NI number.
# Without a suffix letter we only redact after an NI cue ("NI", "NINO",
# "national insurance"), because "AB123456" alone looks like a reference.
# With the suffix the number may be glued to letters ("myNIisQQ123456C").
# --------------------------------------------------------------------------
_NI_LETTER = r"[A-CEGHJ-TW-Z]"
_NI_SEP = r"[ \t.\-]{0,2}"
_NI_DIGITS = rf"(?:{_NI_SEP}[0-9]){{6}}"
_NI_RE = re.compile(
    rf"""
    (?<![0-9])
    {_NI_LETTER}[ ]?{_NI_LETTER}{_NI_DIGITS}{_NI_SEP}[A-D]
    (?![0-9])
    """,
    _FLAGS,
)
_NI_CUED_RE = re.compile(
    rf"""
    (?<![A-Za-z])
    (?:national[ ]insurance|nino|n\.?[ ]?i\.?)
    (?:[ ](?:no\.?|number|num|\#))?
    (?![A-Za-z])
    [\s:=#\-]{{0,3}}
    (?:(?:is|was|=)(?![A-Za-z])[\s:=#\-]{{0,3}})?
    (?P<secret>
        [A-Z][ ]?[A-Z]{_NI_DIGITS}(?:{_NI_SEP}[A-D])?
    )
    (?![A-Za-z0-9])
    """,
    _FLAGS,
)

# --------------------------------------------------------------------------
# Full UK postcodes only (outward + inward code: SW1H 9EA, sw1h9ea, M1 1AE,
# EC1A 1BB, GIR 0AA). An outward code on its own ("SW1", "M1") covers
# thousands of addresses, is not personal data by itself and collides with
# roads and grades (M1, A1, B2), so it is left alone.
# Inward letters never include C I K M O V. A lower/mixed-case "1st", "2nd",
# "3rd", "4th" inward part is treated as an ordinal ("room g1 2nd floor").
# --------------------------------------------------------------------------
_POSTCODE_RE = re.compile(
    r"""
    (?<![A-Za-z0-9])
    (?:[A-PR-UWYZ][A-HK-Y]?[0-9][A-Z0-9]?|GIR)
    [ \t\-]{0,2}
    (?P<inward>[0-9][ABD-HJLNP-UW-Z]{2})
    (?![A-Za-z0-9])
    """,
    _FLAGS,
)
_ORDINAL_RE = re.compile(r"1st|2nd|3rd|[04-9]th", re.IGNORECASE)

# --------------------------------------------------------------------------
# Dates. Every full day-month-year date is redacted (placeholder "[date]"),
# because a birth date cannot be told from any other date without context.
# After a birth cue ("born", "DOB", "date of birth", "birthday") and up to three
# words ("born in Leeds in 2001") partial dates are redacted too (day-month,
# month-year, a bare year), as "[date of birth]".
# Month-year on its own ("October 2027 start") and bare years stay.
# --------------------------------------------------------------------------
_MONTH = r"""(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?
    |aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?(?![A-Za-z])"""
# "the third of March 1990": days in words too.
_UNITS = r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)"
_DAY_WORDS = rf"""(?:{_UNITS}|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth
    |sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty[ \-]?{_UNITS}|thirtieth
    |thirty[ \-]?first)"""
_DAY = rf"(?:(?:0?[1-9]|[12][0-9]|3[01])(?:st|nd|rd|th)?|{_DAY_WORDS})"
_DAY_NUM = r"(?:0?[1-9]|[12][0-9]|3[01])"
_MON_NUM = r"(?:0?[1-9]|1[0-2])"
_YEAR4 = r"(?:19|20)[0-9]{2}"
_YEAR_TEXT = rf"(?:{_YEAR4}|['’][0-9]{{2}})"
_TSEP = r"[\s,./\-]{0,3}"
_FULL_DATE = rf"""
    (?:
        {_DAY}(?:\s+of)?{_TSEP}{_MONTH}{_TSEP}{_YEAR_TEXT}
      | {_MONTH}{_TSEP}{_DAY}{_TSEP}{_YEAR_TEXT}
      | {_DAY_NUM}\s?(?P<s1>[/.\-])\s?{_DAY_NUM}\s?(?P=s1)\s?(?:{_YEAR4}|[0-9]{{2}})
      | {_YEAR4}\s?(?P<s2>[/.\-])\s?{_MON_NUM}\s?(?P=s2)\s?{_DAY_NUM}
      | {_DAY_NUM}[ ]{_MON_NUM}[ ]{_YEAR4}
    )
"""
_DATE_RE = re.compile(
    rf"""
    (?<![A-Za-z0-9])
    (?P<secret>{_FULL_DATE})
    (?![A-Za-z0-9])
    """,
    _FLAGS,
)
_PARTIAL_DATE = rf"""
    (?:
        {_FULL_DATE}
      | {_YEAR4}[01][0-9][0-3][0-9]
      | [0-3][0-9][01][0-9]{_YEAR4}
      | {_DAY}(?:\s+of)?{_TSEP}{_MONTH}
      | {_MONTH}{_TSEP}{_DAY}
      | {_MONTH}{_TSEP}{_YEAR_TEXT}
      | {_DAY_NUM}\s?[/.\-]\s?{_DAY_NUM}
      | {_YEAR4}
    )
"""
_BIRTH_CUE_RE = re.compile(
    rf"""
    (?<![A-Za-z])
    (?:born|d\.?[ ]?o\.?[ ]?b\.?|date[ ]of[ ]birth|birth[ ]?(?:day|date)|b['’]?day)
    (?![A-Za-z])
    (?:[\s:=,\-]{{0,3}}[^\W\d_]{{1,20}}(?![^\W\d_])){{0,3}}?
    [\s:=,\-]{{0,3}}
    (?P<secret>{_PARTIAL_DATE})
    (?![A-Za-z0-9])
    """,
    _FLAGS,
)


def _valid_numeric_date(match: Match[str]) -> bool:
    """Rejects shapes like version numbers (3.6.21) and impossible dates."""
    text = match.group("secret")
    if match.group("s1"):
        sep = match.group("s1")
        parts = [p.strip() for p in text.split(sep)]
        if len(parts) != 3:
            return False
        first, second = int(parts[0]), int(parts[1])
        if sep == "." and len(parts[2]) != 4:
            return False
        # Day-month (UK) or month-day (US) order.
        return (first <= 31 and second <= 12) or (first <= 12 and second <= 31)
    return True


def spans(
    pattern: Pattern[str],
    text: str,
    kind: str,
    placeholder: str,
    group: str = "0",
    keep: Callable[[Match[str]], bool] = lambda m: True,
) -> list[Span]:
    found = []
    for match in pattern.finditer(text):
        if keep(match):
            g = 0 if group == "0" else group
            found.append((match.start(g), match.end(g), kind, placeholder))
    return found


def find_emails(text: str) -> list[Span]:
    if "@" not in text:
        return []
    return spans(_EMAIL_RE, text, EMAIL, "[email address]")


def find_cards(text: str) -> list[Span]:
    return spans(_CARD_RE, text, CARD_NUMBER, "[card number]")


def find_phones(text: str) -> list[Span]:
    return spans(_PHONE_RE, text, PHONE, "[phone number]")


def find_numbers(text: str) -> list[Span]:
    """Cards and phones together, so that overlaps are settled by position:
    the candidate that starts first (then the longer one) wins. Run one after
    the other, a phone could swallow the tail of a card ("4000 0566 5566 555")
    or a card the middle of two phones ("07911 123456 07911 123457")."""
    return find_cards(text) + find_phones(text)


def find_national_insurance(text: str) -> list[Span]:
    found = spans(_NI_CUED_RE, text, NATIONAL_INSURANCE, "[national insurance number]", "secret")
    found += spans(_NI_RE, text, NATIONAL_INSURANCE, "[national insurance number]")
    return found


def _real_postcode(match: Match[str]) -> bool:
    inward = match.group("inward")
    return not (_ORDINAL_RE.fullmatch(inward) and not inward.isupper())


def find_postcodes(text: str) -> list[Span]:
    return spans(_POSTCODE_RE, text, POSTCODE, "[postcode]", keep=_real_postcode)


def find_birth_dates(text: str) -> list[Span]:
    return spans(_BIRTH_CUE_RE, text, DATE_OF_BIRTH, "[date of birth]", "secret")


def find_dates(text: str) -> list[Span]:
    return spans(_DATE_RE, text, DATE_OF_BIRTH, "[date]", "secret", keep=_valid_numeric_date)
