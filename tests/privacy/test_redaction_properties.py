"""Property-based tests for bot.privacy.redact (hypothesis).

The profile is fixed: every test runs from the same seed (``SEED``) with no example
database, so a run is reproducible on any machine, and a failure names the seed and
prints Hypothesis's reproduction blob (``@reproduce_failure``).
"""

import re

from hypothesis import HealthCheck, assume, given, seed, settings
from hypothesis import strategies as st

from bot.privacy import PLACEHOLDERS, redact

SEED = 20261206
_PROFILE = settings(
    max_examples=200,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)


def SETTINGS(test):  # noqa: N802 - used like Hypothesis's own `settings(...)` decorator
    """The fixed profile: seeded, no database, reproduction blob on failure."""
    return seed(SEED)(_PROFILE(test))


DIGITS = "0123456789"
SEPARATORS = st.sampled_from(["", " ", "-"])


def digits(n):
    return st.text(alphabet=DIGITS, min_size=n, max_size=n)


@st.composite
def grouped(draw, number, max_group=5):
    """Split a digit string into random groups joined by space/dash/nothing."""
    out, i = [], 0
    while i < len(number):
        size = draw(st.integers(1, max_group))
        out.append(number[i : i + size])
        i += size
    sep = draw(SEPARATORS)
    return sep.join(out)


@st.composite
def uk_phones(draw):
    kind = draw(st.sampled_from(["mobile", "landline", "plus44", "0044", "plus44-trunk"]))
    if kind == "landline":
        national = "0" + draw(st.sampled_from("123")) + draw(digits(draw(st.sampled_from([8, 9]))))
    else:
        national = "07" + draw(digits(9))
    body = draw(grouped(national[1:]))
    if kind in ("mobile", "landline"):
        return "0" + body
    prefix = {"plus44": "+44", "0044": "0044", "plus44-trunk": "+44 (0)"}[kind]
    return prefix + draw(st.sampled_from(["", " "])) + body


def luhn_complete(partial):
    total = 0
    for i, char in enumerate(reversed(partial)):
        d = int(char)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return partial + str((10 - total % 10) % 10)


@st.composite
def card_numbers(draw):
    length = draw(st.integers(13, 19))
    first = draw(st.sampled_from("3456"))
    partial = first + draw(digits(length - 2))
    number = luhn_complete(partial) if draw(st.booleans()) else partial + draw(digits(1))
    if draw(st.booleans()):
        sep = draw(st.sampled_from([" ", "-"]))
        return sep.join(number[i : i + 4] for i in range(0, len(number), 4))
    return number


NI_LETTERS = "ABCEGHJKLMNOPQRSTWXYZ"


@st.composite
def ni_numbers(draw):
    prefix = draw(st.text(alphabet=NI_LETTERS, min_size=2, max_size=2))
    number = draw(digits(6))
    suffix = draw(st.sampled_from("ABCD"))
    style = draw(st.sampled_from(["compact", "pairs", "dashes", "split"]))
    if style == "compact":
        text = prefix + number + suffix
    elif style == "pairs":
        text = f"{prefix} {number[:2]} {number[2:4]} {number[4:]} {suffix}"
    elif style == "dashes":
        text = f"{prefix}-{number[:2]}-{number[2:4]}-{number[4:]}-{suffix}"
    else:
        text = f"{prefix} {number} {suffix}"
    return text.lower() if draw(st.booleans()) else text


_LOCAL = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._%+-]{0,20}", fullmatch=True)
_LABEL = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
simple_emails = st.builds(
    lambda local, labels, tld: f"{local}@{'.'.join(labels)}.{tld}",
    _LOCAL,
    st.lists(_LABEL, min_size=1, max_size=3),
    st.sampled_from(["com", "co.uk", "org", "gov.uk", "ac.uk", "io", "london"]),
)

secrets = st.one_of(simple_emails, st.emails(), uk_phones(), ni_numbers(), card_numbers())
surrounding = st.text(max_size=40)


@SETTINGS
@given(before=surrounding, secret=secrets, after=surrounding)
def test_secret_never_survives(before, secret, after):
    text = f"{before} {secret} {after}"
    result = redact(text)
    assert secret not in result.text
    assert result.kinds


@SETTINGS
@given(
    parts=st.lists(
        st.tuples(secrets, st.sampled_from([" ", ", ", " and ", "\n"])), min_size=2, max_size=4
    ),
)
def test_several_secrets_side_by_side_never_survive(parts):
    text = "".join(secret + sep for secret, sep in parts)
    result = redact(text)
    for secret, _sep in parts:
        assert secret not in result.text


@SETTINGS
@given(phone=uk_phones())
def test_uk_phones_are_phones(phone):
    result = redact(f"ring {phone} please")
    assert result.text == "ring [phone number] please"
    assert result.kinds == {"phone"}


@SETTINGS
@given(text=st.text(max_size=300))
def test_any_text_never_raises_and_is_idempotent(text):
    once = redact(text)
    assert redact(once.text).text == once.text


# Text drawn from characters that make up PII, so the detectors actually fire.
_PII_ALPHABET = "0123456789 +-()./@:,'abcdeqnimsyACDENIQSW\n"
_PII_WORDS = st.sampled_from(
    [
        "my name is ",
        "call me ",
        "I'm ",
        "born ",
        "DOB ",
        "NI ",
        "Jane ",
        "Smith ",
        "QQ",
        "SW1H",
        " 9EA",
        "07911",
        "+44",
        "4111 ",
        "March ",
        "1998",
        "@x.com",
        "[name]",
    ]
)
pii_soup = st.lists(
    st.one_of(st.text(alphabet=_PII_ALPHABET, max_size=8), _PII_WORDS), max_size=30
).map("".join)


@SETTINGS
@given(text=pii_soup)
def test_pii_like_soup_is_idempotent(text):
    once = redact(text)
    assert redact(once.text).text == once.text


_TRIGGERS = re.compile(
    r"\b(name|names|surname|forenames?|firstname|lastname|fullname|called|named|known|call|go"
    r"|im|i|this|thanks|thank|cheers|regards|yours|best|wishes|here|address|live)\b"
)


@SETTINGS
@given(text=st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", max_size=200))
def test_plain_lowercase_words_unchanged(text):
    # Lower-case words can only be a name after an explicit trigger phrase.
    if _TRIGGERS.search(text):
        return
    assert redact(text).text == text


@SETTINGS
@given(text=st.text(max_size=200))
def test_output_only_adds_known_placeholders(text):
    result = redact(text)
    if not result.kinds:
        assert result.text == text
    leftover = result.text
    for placeholder in set(PLACEHOLDERS.values()) | {"[date]"}:
        leftover = leftover.replace(placeholder, "")
    # Redaction only removes characters and inserts placeholders.
    assert len(leftover) <= len(text)


# ---------------------------------------------------------------- every kind, generated


def _pick(items):
    return st.sampled_from(list(items))


LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
_SEP_URN = st.sampled_from(["", " ", "/", "-"])


@st.composite
def urns(draw):
    """A CPS case reference: force, station, serial, year, in any spacing and case."""
    force, station = draw(digits(2)), draw(st.text(alphabet=LETTERS, min_size=2, max_size=2))
    serial, year = draw(digits(5)), draw(digits(2))
    sep = draw(_SEP_URN)
    text = f"{force}{sep}{station}{sep}{serial}{draw(st.sampled_from(['', sep]))}{year}"
    return text.lower() if draw(st.booleans()) else text


@st.composite
def crown_court_numbers(draw):
    year = draw(st.integers(1995, 2030))
    return f"{draw(st.sampled_from('TSA'))}{year}{draw(digits(4))}"


@st.composite
def police_references(draw):
    shape = draw(st.integers(0, 4))
    if shape == 0:
        return f"{draw(digits(2))}/{draw(digits(draw(st.integers(4, 7))))}/{draw(digits(2))}"
    if shape == 1:
        prefix = draw(st.text(alphabet=LETTERS, min_size=2, max_size=3))
        return f"{prefix}/{draw(digits(6))}/{draw(digits(2))}"
    if shape == 2:
        return f"{draw(digits(draw(st.integers(5, 8))))}/{draw(digits(2))}"
    if shape == 3:  # PNC id
        return f"{draw(st.sampled_from(['', '19', '20']))}{draw(digits(2))}/{draw(digits(6))}X"
    return f"{draw(digits(6))}/{draw(digits(2))}K"  # CRO number


@st.composite
def driving_licences(draw):
    surname = draw(st.text(alphabet=LETTERS + "9", min_size=5, max_size=5))
    month = draw(st.integers(1, 12)) + draw(st.sampled_from([0, 50]))
    day = draw(st.integers(1, 28))
    initials = draw(st.text(alphabet=LETTERS + "9", min_size=2, max_size=2))
    check = draw(st.text(alphabet=LETTERS, min_size=2, max_size=2))
    return f"{surname}{draw(digits(1))}{month:02d}{day:02d}{draw(digits(1))}{initials}9{check}"


@st.composite
def nhs_numbers(draw):
    from bot.privacy.identifiers import nhs_number_is_valid

    body = draw(digits(9).filter(lambda b: any(nhs_number_is_valid(b + str(d)) for d in range(10))))
    number = next(body + str(d) for d in range(10) if nhs_number_is_valid(body + str(d)))
    if draw(st.booleans()):
        return f"{number[:3]} {number[3:6]} {number[6:]}"
    return number


@st.composite
def ibans(draw):
    bank = draw(st.text(alphabet=LETTERS, min_size=4, max_size=4))
    account = draw(digits(14))
    rearranged = "".join(str(int(char, 36)) for char in f"{bank}{account}GB00")
    iban = f"GB{98 - int(rearranged) % 97:02d}{bank}{account}"
    if draw(st.booleans()):
        return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
    return iban


STREET_NAMES = ["Acacia", "Baker", "Downing", "Station", "Church", "Mill", "Victoria", "Oak"]
STREETS = ["Street", "Road", "Avenue", "Lane", "Close", "Drive", "Crescent", "Gardens", "Grove"]


@st.composite
def street_addresses(draw):
    street = draw(_pick(STREETS))
    street = street.lower() if draw(st.booleans()) else street
    number = f"{draw(st.integers(1, 999))}{draw(st.sampled_from(['', 'A', 'b']))}"
    return f"{number} {draw(_pick(STREET_NAMES))} {street}"


SURNAMES = ["jones", "smith", "patel", "okafor", "nowak", "o'brien", "williams"]
GIVEN = ["sarah", "mohammed", "priya", "chidi", "zofia", "callum", "aisha", "liam"]
ORDINALS = ["first", "third", "twenty-first", "thirtieth", "twelfth", "ninth"]
MONTHS = ["January", "March", "june", "September", "December"]


def _cued(words, values):
    """(what a visitor types, the secret in it) for a detector that needs a cue."""
    return values.map(lambda value: (words.format(value), value))


def _joined(*parts):
    return st.tuples(*parts).map(" ".join)


_dd = digits(2)
cued_secrets = st.one_of(
    _cued("my passport number is {}", digits(9)),
    _cued("sort code {}", st.tuples(_dd, _dd, _dd).map("-".join)),
    _cued("account number {}", digits(8)),
    _cued("expiry {}", st.builds("{:02d}/{}".format, st.integers(1, 12), st.integers(24, 35))),
    _cued("the CVV is {}", digits(3)),
    _cued("im {}", _joined(_pick(GIVEN), _pick(SURNAMES))),
    _cued("\n{} here.", _pick(GIVEN).map(str.capitalize)),
    _cued("\nYours, {}", _pick(GIVEN).map(str.capitalize)),
    _cued(
        "I was born on the {}",
        st.builds("{} of {} {}".format, _pick(ORDINALS), _pick(MONTHS), st.integers(1950, 2008)),
    ),
    _cued("my address is {}", street_addresses()),
    _cued("my share code is {}", st.builds("W{} {} {}".format, _dd, digits(3), digits(3))),
    _cued("DBS certificate number {}", digits(12)),
)


shaped_secrets = st.one_of(
    urns(),
    crown_court_numbers(),
    police_references(),
    driving_licences(),
    nhs_numbers(),
    ibans(),
    street_addresses(),
)


@SETTINGS
@given(before=surrounding, secret=shaped_secrets, after=surrounding)
def test_references_documents_and_addresses_never_survive(before, secret, after):
    assume(secret not in before and secret not in after)
    result = redact(f"{before} {secret} {after}")
    assert secret not in result.text, f"hypothesis seed {SEED}"
    assert result.kinds


@SETTINGS
@given(before=surrounding, cued=cued_secrets, after=surrounding)
def test_secrets_after_their_cue_never_survive(before, cued, after):
    words, secret = cued
    assume(secret not in before and secret not in after)
    result = redact(f"{before} {words} {after}")
    assert secret not in result.text, f"hypothesis seed {SEED}"


everything = st.lists(
    st.one_of(
        secrets,
        shaped_secrets,
        cued_secrets.map(lambda pair: pair[0]),
        st.text(max_size=12),
        _PII_WORDS,
    ),
    max_size=12,
).map(" ".join)


@SETTINGS
@given(text=everything)
def test_nothing_a_detector_matches_survives(text):
    """Whatever the mix, no detector finds anything in the redacted text."""
    from bot.privacy.redaction import detect

    result = redact(text)
    assert detect(result.text) == [], f"hypothesis seed {SEED}"
