"""Property-based tests for bot.privacy.redact (hypothesis)."""

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.privacy import PLACEHOLDERS, redact

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

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
@given(secret=st.one_of(ni_numbers(), card_numbers()))
def test_ni_and_cards_are_sensitive(secret):
    assert redact(f"here it is: {secret}").sensitive


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
    r"\b(name|names|surname|forenames?|firstname|lastname|fullname|called|named|known|call|go)\b"
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
