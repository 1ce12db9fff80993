"""Detectors for reference numbers that identify a person, a case or an account.

Criminal-justice references come first because, for the CPS, a case reference next to
"I was the victim" is criminal-offence data:

* CPS case reference (URN): police force (2 digits), station (2 letters), serial (5
  digits), year (2 digits), in any spacing: ``01AB1234567``, ``01 AB 12345 67``,
  ``01/AB/1234567``; a Crown Court case number: ``T20247123`` (T, S or A, the year and
  four digits); "case number" followed by a number;
* police references: crime reference numbers in the shapes forces use
  (``12/34567/21``, ``CR/012345/24``, ``4512345/21``) or after a cue ("crime reference",
  "incident number", "CRN"); PNC ids (``92/123456A``, ``2001/0123456B``) and CRO numbers
  (``123456/92X``).

Then documents and accounts: a driving licence number by its shape (``MORGA753116SM9IJ``);
an NHS number after a cue, or by its shape (3-3-4 digits or 10 digits) when its check digit
is right; passports, sort codes, bank accounts, IBANs (by the ISO 13616 check, or after
"IBAN"), a card's expiry date and security code, and other personal references a visitor
might quote (right-to-work share code, BRP, UTR, DBS certificate, SRA or staff number) after
their cue words; a LinkedIn or social-media profile address.

Each detector returns ``(start, end, kind, placeholder)`` spans. None can match inside a
placeholder: every value needs digits, and no cue is followed by one in a placeholder.
A job or vacancy reference is public and is never a cue.
"""

from __future__ import annotations

import re
from re import Match

from bot.privacy.patterns import Span, spans

CASE_REFERENCE = "case-reference"
POLICE_REFERENCE = "police-reference"
DRIVING_LICENCE = "driving-licence"
NHS_NUMBER = "nhs-number"
PASSPORT = "passport-number"
SORT_CODE = "sort-code"
BANK_ACCOUNT = "bank-account"
IBAN = "iban"
CARD_EXPIRY = "card-expiry"
CARD_SECURITY_CODE = "card-security-code"
PERSONAL_REFERENCE = "personal-reference"
PROFILE_LINK = "profile-link"

PLACEHOLDERS = {
    CASE_REFERENCE: "[case reference]",
    POLICE_REFERENCE: "[police reference]",
    DRIVING_LICENCE: "[driving licence number]",
    NHS_NUMBER: "[NHS number]",
    PASSPORT: "[passport number]",
    SORT_CODE: "[sort code]",
    BANK_ACCOUNT: "[account number]",
    IBAN: "[IBAN]",
    CARD_EXPIRY: "[card expiry date]",
    CARD_SECURITY_CODE: "[card security code]",
    PERSONAL_REFERENCE: "[reference number]",
    PROFILE_LINK: "[profile link]",
}

_FLAGS = re.IGNORECASE | re.VERBOSE
# Not glued to another letter or digit on either side.
_START = r"(?<![A-Za-z0-9])"
_END = r"(?![A-Za-z0-9])"
# After a cue: "number", "no.", "ref", then ":", "is", "-"...
_NUMBER_WORD = r"(?:[ ]?(?:number|num|no\.?|ref(?:erence)?|id|\#))?"
_JOIN = r"[\s:=#,\-]{0,3}(?:(?:is|was|=)(?![A-Za-z])[\s:=#\-]{0,3})?"
_SEP = r"[ /.\-]?"


def _cued(cue: str, value: str) -> re.Pattern[str]:
    return re.compile(
        rf"(?<![A-Za-z]){cue}{_NUMBER_WORD}(?![A-Za-z]){_JOIN}(?P<secret>{value}){_END}", _FLAGS
    )


# ---------------------------------------------------------------- case references
_URN_RE = re.compile(
    rf"{_START}[0-9]{{2}}{_SEP}[A-Z]{{2}}{_SEP}[0-9]{{5}}{_SEP}[0-9]{{2}}{_END}", _FLAGS
)
_CROWN_COURT_RE = re.compile(rf"{_START}[TSA][ ]?(?:19|20)[0-9]{{2}}[ ]?[0-9]{{4}}{_END}", _FLAGS)
# After a cue: digit-led groups, so "case number 12345678 and I" stops before "and".
_GROUPS = r"(?:[A-Z]{1,4}[/\-]?)?[0-9][0-9A-Z]*(?:[ /.\-][0-9][0-9A-Z]*){0,3}"
_CASE_CUED_RE = _cued(
    r"(?:case[ ](?:ref(?:erence)?|number|no\.?|id)|court[ ](?:case[ ])?(?:ref(?:erence)?|number"
    r"|no\.?)|urn|unique[ ]reference[ ]number)",
    _GROUPS,
)

# ---------------------------------------------------------------- police references
_CRIME_SHAPES_RE = re.compile(
    rf"""
    {_START}(?<![£$€/])
    (?:
        [0-9]{{2}}/[0-9]{{4,7}}/[0-9]{{2,4}}          # 12/34567/21
      | [A-Z]{{2,4}}/[0-9]{{4,8}}/[0-9]{{2,4}}        # CR/012345/24
      | [0-9]{{5,8}}/[0-9]{{2}}                       # 4512345/21
      | (?:19|20)?[0-9]{{2}}/[0-9]{{5,7}}[A-Z]        # PNC id 92/123456A
      | [0-9]{{4,6}}/[0-9]{{2}}[A-Z]                  # CRO number 123456/92X
    )
    {_END}
    """,
    _FLAGS,
)
# Every cue names the number: "police" or "crime" alone would take "the police in 2025".
_POLICE_CUED_RE = _cued(
    r"(?:crime[ ](?:ref(?:erence)?|number|no\.?|report[ ]number)|crn|pnc(?:[ ]id)?|cro"
    r"|incident[ ](?:number|no\.?|ref(?:erence)?)|occurrence[ ](?:number|no\.?)"
    r"|police[ ](?:ref(?:erence)?|number|report[ ]number)|log[ ](?:number|no\.?)|cad)",
    _GROUPS,
)

# ---------------------------------------------------------------- documents
# Surname (5, padded with 9), decade, month (+5 for women), day, year, initials, a digit,
# two check letters, and perhaps a two-digit issue number.
_DRIVING_LICENCE_RE = re.compile(
    rf"""
    {_START}
    [A-Z9]{{5}}[ ]?[0-9][0156][0-9][0-3][0-9]{{2}}[ ]?[A-Z9]{{2}}[0-9][ ]?[A-Z]{{2}}
    (?:[ ]?[0-9]{{2}})?
    {_END}
    """,
    _FLAGS,
)
_LICENCE_CUED_RE = _cued(r"(?:driving[ ]licen[cs]e|licen[cs]e)", r"[A-Z0-9]{5}[ ]?[A-Z0-9]{6,13}")
_PASSPORT_RE = _cued(r"passport", r"[A-Z]{0,2}[0-9]{6,9}[A-Z]?")
_NHS_SHAPE_RE = re.compile(rf"{_START}[0-9]{{3}}[ \-]?[0-9]{{3}}[ \-]?[0-9]{{4}}{_END}")
_NHS_CUED_RE = _cued(r"nhs", r"[0-9]{3}[ \-]?[0-9]{3}[ \-]?[0-9]{4}")

# ---------------------------------------------------------------- money
_SORT_CODE_CUED_RE = _cued(r"(?:sort[ \-]?code|s/c)", r"[0-9]{2}[ \-]?[0-9]{2}[ \-]?[0-9]{2}")
_SORT_CODE_SHAPE_RE = re.compile(r"(?<![A-Za-z0-9\-])[0-9]{2}-[0-9]{2}-[0-9]{2}(?![A-Za-z0-9\-])")
_ACCOUNT_RE = _cued(r"(?:bank[ ]account|bank[ ]acc|account|acct|acc|a/c)", r"[0-9]{7,10}")
# An account number just after a sort code ("12-34-56 12345678").
_ACCOUNT_AFTER_SORT_CODE_RE = re.compile(
    r"(?<=\[sort code\])[\s,;:]{1,3}(?:(?:and|account)[ ]){0,2}(?P<secret>[0-9]{7,10})(?![0-9])",
    re.IGNORECASE,
)
_IBAN_RE = re.compile(
    rf"""
    {_START}
    (?P<cue>iban[\s:=#]{{0,3}})?
    (?P<secret>[A-Z]{{2}}[0-9]{{2}}(?:[ ]?[A-Z0-9]{{4}}){{2,7}}(?:[ ]?[A-Z0-9]{{1,3}})?)
    {_END}
    """,
    _FLAGS,
)
_EXPIRY_VALUE = r"(?:0?[1-9]|1[0-2])[ ]?[/.\-][ ]?(?:20)?[0-9]{2}"
_EXPIRY_RE = _cued(
    r"(?:exp(?:iry|iration|ires|\.)?(?:[ ]date)?|valid[ ](?:thru|through|until|to)|end[ ]date)",
    _EXPIRY_VALUE,
)
_SECURITY_CODE_RE = _cued(
    r"(?:cvv2?|cvc2?|cv2|csc|security[ ](?:code|number)|(?:3|three)[ \-]digit[ ](?:code|number)"
    r"|(?:digits|numbers)[ ]on[ ]the[ ]back)",
    r"[0-9]{3,4}",
)
# "[card number] 03/27 123": an expiry date and a security code just after a card number.
_AFTER_CARD_RE = re.compile(
    rf"""
    (?<=\[card[ ]number\])
    [\s,;]{{1,3}}(?:exp\w*[\s:]{{0,2}})?(?P<expiry>{_EXPIRY_VALUE})(?![0-9])
    (?:[\s,;]{{1,3}}(?:(?:cvv|cvc|security[ ]code)[\s:]{{0,2}})?(?P<code>[0-9]{{3,4}})(?![0-9]))?
    """,
    _FLAGS,
)

# ---------------------------------------------------------------- other personal references
_PERSONAL_CUED = [
    _cued(r"share[ ]?code", r"[A-Z0-9]{3}[ \-]?[A-Z0-9]{3}[ \-]?[A-Z0-9]{3}"),
    _cued(
        r"(?:brp|biometric[ ]residence[ ]permit|residence[ ]permit)",
        r"[A-Z]{2}[ ]?[A-Z0-9][0-9]{6}",
    ),
    _cued(r"(?:utr|unique[ ]taxpayer[ ]reference|tax[ ]reference)", r"[0-9]{5}[ ]?[0-9]{5}"),
    _cued(
        r"(?:dbs(?:[ ]certificate)?|disclosure[ ]certificate)",
        r"[0-9]{3}[ ]?[0-9]{3}[ ]?[0-9]{3}[ ]?[0-9]{3}",
    ),
    _cued(
        r"(?:sra|bsb|staff|employee|payroll|student|candidate|applicant|application"
        r"|membership|roll|pupil)[ ](?:id|number|no\.?|ref(?:erence)?)",
        r"[A-Z]{0,3}[ \-]?[0-9]{4,12}[A-Z]?",
    ),
]

_PROFILE_RE = re.compile(
    r"""
    (?<![\w.@/-])
    (?:https?://)?(?:(?:www|[a-z]{2}|m|mobile)\.)?
    (?:
        linkedin\.com/(?:in|pub)/[\w%.\-]+
      | (?:facebook|instagram|threads)\.com/(?!(?:pages|groups|events|share|hashtag)\b)[\w.\-]{2,}
      | (?:twitter|x)\.com/(?!(?:home|search|hashtag|intent|share)\b)\w{2,}
      | tiktok\.com/@[\w.\-]+
    )
    /?
    """,
    _FLAGS,
)


# ---------------------------------------------------------------- checks


def nhs_number_is_valid(digits: str) -> bool:
    """The NHS number's modulus-11 check digit (NHS Data Dictionary)."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(
        int(digit) * weight for digit, weight in zip(digits[:9], range(10, 1, -1), strict=True)
    )
    check = 11 - total % 11
    return check != 10 and check % 11 == int(digits[9])


def iban_is_valid(text: str) -> bool:
    """ISO 13616: the country code and check digits moved to the end, mod 97 is 1."""
    iban = re.sub(r"\s", "", text).upper()
    if not 15 <= len(iban) <= 34:
        return False
    moved = iban[4:] + iban[:4]
    return int("".join(str(int(char, 36)) for char in moved)) % 97 == 1


def _not_a_date(match: Match[str]) -> bool:
    day, month, _year = (int(part) for part in match.group(0).split("-"))
    return not (1 <= day <= 31 and 1 <= month <= 12)


def _digits(match: Match[str]) -> str:
    return re.sub(r"[^0-9]", "", match.group(0))


def _has_digits(count: int):
    return lambda m: sum(char.isdigit() for char in m.group("secret")) >= count


# ---------------------------------------------------------------- detectors


def find_case_references(text: str) -> list[Span]:
    placeholder = PLACEHOLDERS[CASE_REFERENCE]
    found = spans(_URN_RE, text, CASE_REFERENCE, placeholder)
    found += spans(_CROWN_COURT_RE, text, CASE_REFERENCE, placeholder)
    found += spans(_CASE_CUED_RE, text, CASE_REFERENCE, placeholder, "secret", _has_digits(5))
    return found


def find_police_references(text: str) -> list[Span]:
    placeholder = PLACEHOLDERS[POLICE_REFERENCE]
    found = spans(_CRIME_SHAPES_RE, text, POLICE_REFERENCE, placeholder)
    found += spans(_POLICE_CUED_RE, text, POLICE_REFERENCE, placeholder, "secret", _has_digits(4))
    return found


def find_driving_licences(text: str) -> list[Span]:
    placeholder = PLACEHOLDERS[DRIVING_LICENCE]
    found = spans(_DRIVING_LICENCE_RE, text, DRIVING_LICENCE, placeholder)
    found += spans(_LICENCE_CUED_RE, text, DRIVING_LICENCE, placeholder, "secret", _has_digits(6))
    return found


def find_documents(text: str) -> list[Span]:
    """Passports and NHS numbers (cued, or NHS numbers by their check digit)."""
    found = spans(_PASSPORT_RE, text, PASSPORT, PLACEHOLDERS[PASSPORT], "secret")
    found += spans(_NHS_CUED_RE, text, NHS_NUMBER, PLACEHOLDERS[NHS_NUMBER], "secret")
    found += spans(
        _NHS_SHAPE_RE,
        text,
        NHS_NUMBER,
        PLACEHOLDERS[NHS_NUMBER],
        keep=lambda m: nhs_number_is_valid(_digits(m)),
    )
    return found


def find_ibans(text: str) -> list[Span]:
    """Before card numbers: an IBAN's digits would otherwise look like a card."""
    return spans(
        _IBAN_RE,
        text,
        IBAN,
        PLACEHOLDERS[IBAN],
        "secret",
        keep=lambda m: bool(m.group("cue")) or iban_is_valid(m.group("secret")),
    )


def find_bank_details(text: str) -> list[Span]:
    found = spans(_SORT_CODE_CUED_RE, text, SORT_CODE, PLACEHOLDERS[SORT_CODE], "secret")
    # Without a cue, "12-03-98" is a date (the date detector's), "20-00-00" a sort code.
    found += spans(_SORT_CODE_SHAPE_RE, text, SORT_CODE, PLACEHOLDERS[SORT_CODE], keep=_not_a_date)
    found += spans(_ACCOUNT_RE, text, BANK_ACCOUNT, PLACEHOLDERS[BANK_ACCOUNT], "secret")
    found += spans(
        _ACCOUNT_AFTER_SORT_CODE_RE, text, BANK_ACCOUNT, PLACEHOLDERS[BANK_ACCOUNT], "secret"
    )
    return found


def find_card_details(text: str) -> list[Span]:
    """Expiry dates and security codes, after their cue or just after a card number."""
    found = spans(_EXPIRY_RE, text, CARD_EXPIRY, PLACEHOLDERS[CARD_EXPIRY], "secret")
    found += spans(
        _SECURITY_CODE_RE, text, CARD_SECURITY_CODE, PLACEHOLDERS[CARD_SECURITY_CODE], "secret"
    )
    for match in _AFTER_CARD_RE.finditer(text):
        found.append((*match.span("expiry"), CARD_EXPIRY, PLACEHOLDERS[CARD_EXPIRY]))
        if match.group("code"):
            found.append(
                (*match.span("code"), CARD_SECURITY_CODE, PLACEHOLDERS[CARD_SECURITY_CODE])
            )
    return found


def find_personal_references(text: str) -> list[Span]:
    placeholder = PLACEHOLDERS[PERSONAL_REFERENCE]
    found: list[Span] = []
    for pattern in _PERSONAL_CUED:
        found += spans(pattern, text, PERSONAL_REFERENCE, placeholder, "secret", _has_digits(2))
    return found


def find_profile_links(text: str) -> list[Span]:
    if ".com/" not in text.lower():
        return []
    return spans(_PROFILE_RE, text, PROFILE_LINK, PLACEHOLDERS[PROFILE_LINK])
