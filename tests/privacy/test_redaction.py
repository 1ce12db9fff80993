"""Example-based tests for bot.privacy.redact (one block per kind)."""

import threading

import pytest
from redaction_check import check

from bot.privacy import PII_KINDS, PLACEHOLDERS, Redaction, redact

# --------------------------------------------------------------------------
# API
# --------------------------------------------------------------------------


def test_brief_example():
    result = redact("my name is Jane Smith and my NI is QQ 12 34 56 C")
    assert result.text == "my name is [name] and my NI is [national insurance number]"
    assert result.kinds == frozenset({"name", "national-insurance"})
    assert result.changed is True


# The kinds of test_everything_at_once; the other kinds have their examples in test_identifiers.
FIRST_KINDS = {"email", "phone", "national-insurance", "postcode", "date-of-birth", "card-number"}


def test_public_constants():
    assert PII_KINDS == FIRST_KINDS | {
        "card-expiry",
        "card-security-code",
        "case-reference",
        "police-reference",
        "driving-licence",
        "nhs-number",
        "passport-number",
        "sort-code",
        "bank-account",
        "iban",
        "personal-reference",
        "profile-link",
        "address",
        "name",
    }
    assert set(PLACEHOLDERS) == PII_KINDS
    assert len(set(PLACEHOLDERS.values())) == len(PLACEHOLDERS)
    for placeholder in PLACEHOLDERS.values():
        assert placeholder.startswith("[") and placeholder.endswith("]")
        assert placeholder[1:-1].replace(" ", "").isalpha()


def test_result_type():
    result = redact("hello")
    assert isinstance(result, Redaction)
    assert result == Redaction("hello", frozenset())
    assert not result.changed
    with pytest.raises(AttributeError):
        result.text = "x"


def test_none_and_non_str():
    assert redact(None) == Redaction("")
    assert redact("") == Redaction("")
    with pytest.raises(TypeError):
        redact(123)


# --------------------------------------------------------------------------
# Ordinary careers questions stay exactly as typed
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "what does a crown prosecutor earn in 2025",
        "is the LTS open",
        "I have a 2:1 in law",
        "SW1 is where HQ is",
        "Legal Trainee Scheme 2027",
        "When does the Legal Trainee Scheme 2027 open?",
        "call me back",
        "can you call me back tomorrow?",
        "I'm 25",
        "I'm interested in the paralegal apprenticeship",
        "I'm a law student in my 2nd year",
        "I'm British, can I apply?",
        "I am Currently studying the SQE",
        "This is great, thanks",
        "This is the best scheme",
        "what's your name?",
        "the name of the scheme is Legal Trainee Scheme",
        "my name is not important",
        "October 2027 start",
        "Is there an intake in September 2026?",
        "salary is £30,000 - £35,000 per year",
        "grade SEO band 3, 37 hours a week",
        "Rasa 3.6.21",
        "room g1 2nd floor",
        "the M1 and A1 are busy",
        "I got 3 A*s at A level in 2019",
        "Level 6 apprenticeship, 4 years",
        "job ref 123456",
        "opening hours 9:00-17:00",
        "Thanks Again",
        "Kind regards",
        "cheers CPS",
        "",
        "   ",
        "🙂👍",
        "مرحبا، هل يمكنني التقديم؟",
    ],
)
def test_ordinary_text_unchanged(text):
    check(text, text, set())


# --------------------------------------------------------------------------
# Email addresses
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("jane@example.com", "[email address]"),
        ("email me at jane.smith@example.co.uk please", "email me at [email address] please"),
        ("JANE.SMITH+cps@Example.ORG.", "[email address]."),
        ("<j_o'neil-99@mail.example.ac.uk>", "<[email address]>"),
        ("jane @ gmail.com", "[email address]"),
        ("zoë@exämple.com", "[email address]"),
        ("a@b.xn--p1ai", "[email address]"),
        ("contact: jane@example.com, bob@example.net", "contact: [email address], [email address]"),
    ],
)
def test_emails(text, expected):
    check(text, expected, {"email"})


@pytest.mark.parametrize("text", ["@CPS_UK on twitter", "meet @ 5.30pm", "jane@localhost"])
def test_not_emails(text):
    check(text, text, set())


# --------------------------------------------------------------------------
# Phone numbers
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "07911 123456",
        "07911123456",
        "07911-123-456",
        "07911 123 456",
        "+447911123456",
        "+44 7911 123456",
        "+44 (0)7911 123456",
        "+44(0)7911-123-456",
        "0044 7911 123456",
        "00447911123456",
        "020 7946 0958",
        "(020) 7946 0958",
        "0207 946 0958",
        "+44 20 7946 0958",
        "01632 960001",
        "(01632) 960 001",
        "0161 496 0000",
        "0300 123 4567",
        "0800-123-4567",
        "0113.496.0000",
        "+1 415 555 0100",
        "+353 87 123 4567",
    ],
)
def test_phones(number):
    check(f"ring me on {number} after 5", "ring me on [phone number] after 5", {"phone"})


@pytest.mark.parametrize(
    "text, expected, kinds",
    [
        ("07911 123456 07911 123457", "[phone number] [phone number]", {"phone"}),
        ("4000 0566 5566 555", "[card number]", {"card-number"}),
        (
            "07911 123456 4111 1111 1111 1111",
            "[phone number] [card number]",
            {"phone", "card-number"},
        ),
        (
            "4111 1111 1111 1111 07911 123456",
            "[card number] [phone number]",
            {"phone", "card-number"},
        ),
        ("0 4111 1111 1111 1111", "0 [card number]", {"card-number"}),
        ("+49 151 12345678", "[phone number]", {"phone"}),
    ],
)
def test_cards_and_phones_side_by_side(text, expected, kinds):
    check(text, expected, kinds)


def test_phone_glued_to_word_and_fullwidth():
    check("mob07911123456", "mob[phone number]", {"phone"})
    check("０７９１１ １２３４５６", "[phone number]", {"phone"})


@pytest.mark.parametrize(
    "text",
    ["0791 1234", "call 999", "0300 123", "it costs £0.50 a minute", "ext 1234"],
)
def test_not_phones(text):
    check(text, text, set())


# --------------------------------------------------------------------------
# National Insurance numbers
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "QQ 12 34 56 C",
        "QQ123456C",
        "qq123456c",
        "Qq 123456 c",
        "AB 12 34 56 A",
        "JG-12-34-56-B",
        "JG.12.34.56.D",
        "NY 123 456 D",
        "ce123456a",
        "QQ１２３４５６C",
    ],
)
def test_national_insurance(number):
    check(f"my NI is {number}.", "my NI is [national insurance number].", {"national-insurance"})


def test_national_insurance_glued_to_letters():
    check("myNIisQQ123456C", "myNIis[national insurance number]", {"national-insurance"})


@pytest.mark.parametrize(
    "text",
    [
        "NI number: QQ123456",
        "my national insurance number is qq 12 34 56",
        "NINO QQ123456",
        "N.I. no. AB 12 34 56",
    ],
)
def test_national_insurance_without_suffix_after_cue(text):
    result = redact(text)
    assert result.text.endswith("[national insurance number]")
    assert result.kinds == {"national-insurance"}


@pytest.mark.parametrize(
    "text",
    [
        "ref AB123456",  # no suffix, no cue: looks like a reference
        "DF123456A",  # D/F/I/U/V are never used as prefix letters
        "QQ123456E",  # suffix is A-D
        "QQ12345C",  # five digits
        "QQ1234567C",  # seven digits
    ],
)
def test_not_national_insurance(text):
    check(text, text, set())


# --------------------------------------------------------------------------
# Postcodes
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "postcode",
    [
        "SW1H 9EA",
        "sw1h9ea",
        "SW1H9EA",
        "M1 1AE",
        "m1 1ae",
        "EC1A 1BB",
        "B33 8TH",
        "CR2 6XH",
        "DN55 1PT",
        "W1A 0AX",
        "GIR 0AA",
        "LS1  4DY",
        "ls1-4dy",
    ],
)
def test_postcodes(postcode):
    check(
        f"I live at {postcode}, near the office",
        "I live at [postcode], near the office",
        {"postcode"},
    )


@pytest.mark.parametrize(
    "text",
    [
        "SW1 is where HQ is",
        "I live in M1",
        "EC1A",
        "room g1 2nd floor",
        "QQ 9EA",
        "Band B2 3rd tier",
        "1AA",
    ],
)
def test_not_postcodes(text):
    check(text, text, set())


# --------------------------------------------------------------------------
# Dates of birth
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "date",
    [
        "12/03/1998",
        "12-3-98",
        "1/2/2001",
        "12.03.1998",
        "12 / 03 / 1998",
        "1998-03-12",
        "2001/1/2",
        "12 March 1998",
        "12th March 1998",
        "12th of March, 1998",
        "1 Sept 2000",
        "12-Mar-1998",
        "12 mar '98",
        "March 12, 1998",
        "march 12th 1998",
        "12 03 1998",
        "01/02/2026",
    ],
)
def test_full_dates(date):
    check(f"it was {date} ok", "it was [date] ok", {"date-of-birth"})


@pytest.mark.parametrize(
    "text, expected",
    [
        ("DOB: 12/03/1998", "DOB: [date of birth]"),
        ("d.o.b 12.03.98", "d.o.b [date of birth]"),
        ("date of birth is 1998-03-12", "date of birth is [date of birth]"),
        ("I was born on the 12th of March 1998", "I was born on the [date of birth]"),
        ("born in 1998", "born in [date of birth]"),
        ("born in March 1998 in Leeds", "born in [date of birth] in Leeds"),
        ("I was born in Leeds in 2001", "I was born in Leeds in [date of birth]"),
        ("my birthday is 12 March", "my birthday is [date of birth]"),
        ("birthday: 12/03", "birthday: [date of birth]"),
        ("DOB 12031998", "DOB [date of birth]"),
    ],
)
def test_birth_dates_after_cue(text, expected):
    check(text, expected, {"date-of-birth"})


@pytest.mark.parametrize(
    "text",
    [
        "October 2027 start",
        "Legal Trainee Scheme 2027",
        "applications open in March",
        "3.6.21",
        "a 2:1 degree",
        "32/13/1998",
        "I was born and raised in Leeds",
        "9-5 job",
        "12 March",
    ],
)
def test_not_dates(text):
    check(text, text, set())


# --------------------------------------------------------------------------
# Card numbers
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "4111 1111 1111 1111",
        "4111111111111111",
        "4111-1111-1111-1111",
        "5500 0000 0000 0004",
        "3400 000000 00009",
        "3714 496353 98431",
        "6011 0009 9013 9424",
        "4222222222222",  # 13-digit Visa
        "6304 0000 0000 0000 018",  # 19-digit Maestro
        "4111 1111 1111 1112",  # fails Luhn: still redacted (typo'd card)
    ],
)
def test_cards(number):
    check(f"my card is {number} thanks", "my card is [card number] thanks", {"card-number"})


@pytest.mark.parametrize("text", ["4111 1111 1111", "card ending 1234", "123456789012"])
def test_not_cards(text):
    check(text, text, set())


# --------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("my name is Jane Smith", "my name is [name]"),
        ("My name is jane smith and I want to apply", "My name is [name] and I want to apply"),
        ("my name is jane smith i want to apply", "my name is [name] i want to apply"),
        ("MY NAME IS JANE", "MY NAME IS [name]"),
        ("my name's Zoë D’Souza", "my name's [name]"),
        ("my full name is Mary Ann Smith-Jones", "my full name is [name]"),
        ("my surname is O'Brien.", "my surname is [name]."),
        ("my name is Will", "my name is [name]"),
        ("my name is Dr Jane Smith", "my name is Dr [name]"),
        ('my name is "Jane"', 'my name is "[name]"'),
        ("Name: John O'Brien", "Name: [name]"),
        ("hi! name: jane", "hi! name: [name]"),
        ("my name is Jane Smith Jones Brown", "my name is [name] Brown"),
        ("my name is محمد", "my name is [name]"),
        ("I'm called Priya", "I'm called [name]"),
        ("im called bob lol", "im called [name] lol"),
        ("you can call me sam please", "you can call me [name] please"),
        ("Call me Sam", "Call me [name]"),
        ("I go by Alex", "I go by [name]"),
        ("I'm known as Jay", "I'm known as [name]"),
        ("Hi, I'm Jane Smith, can I apply?", "Hi, I'm [name], can I apply?"),
        ("I’m Jane", "I’m [name]"),
        ("Im Jane", "Im [name]"),
        ("I am Jane", "I am [name]"),
        ("This is Tom from Leeds", "This is [name] from Leeds"),
        ("Kind regards,\nJane Smith", "Kind regards,\n[name]"),
        ("Thanks, Jane", "Thanks, [name]"),
    ],
)
def test_names(text, expected):
    check(text, expected, {"name"})


@pytest.mark.parametrize(
    "text",
    [
        "call me back",
        "Call me Back please",
        "call me on Monday",
        "call me tomorrow",
        "I'm 25",
        "I'm interested in the LTS",
        "i'm jaded",  # lower case after "I'm" only when it is a common given name
        "I'm British",
        "I'm Looking for paralegal roles",
        "I'm a law student",
        "I am not sure",
        "This is Legal Trainee Scheme 2027",
        "this is great",
        "This is CPS",
        "my name is not important",
        "what is your name",
        "name of the scheme",
        "the job name: Legal Trainee",
        "Kind regards",
        "thank you So much",
    ],
)
def test_not_names(text):
    check(text, text, set())


# --------------------------------------------------------------------------
# Mixed messages, idempotence, robustness
# --------------------------------------------------------------------------


def test_everything_at_once():
    text = (
        "Hi, my name is Jane Smith. Email jane.smith@example.com, mobile +44 7911 123456, "
        "NI QQ 12 34 56 C, postcode SW1H 9EA, DOB 12/03/1998, card 4111 1111 1111 1111. "
        "Is the Legal Trainee Scheme 2027 open?"
    )
    result = check(
        text,
        "Hi, my name is [name]. Email [email address], mobile [phone number], "
        "NI [national insurance number], postcode [postcode], DOB [date of birth], "
        "card [card number]. Is the Legal Trainee Scheme 2027 open?",
        FIRST_KINDS | {"name"},
    )
    assert result.changed


@pytest.mark.parametrize("placeholder", sorted(set(PLACEHOLDERS.values()) | {"[date]"}))
def test_placeholders_are_inert(placeholder):
    text = f"my name is {placeholder} born {placeholder} call me {placeholder}"
    check(text, text, set())


@pytest.mark.parametrize(
    "text",
    [
        "\x00\x01\x1b[31m my name is \u202eJane\u202c",
        "\ud800 lone surrogate 07911 123456 \udfff",
        "a" * 10_000,
        "1" * 10_000,
        "1 " * 5_000,
        "a." * 5_000,
        "a@" * 5_000,
        "my name is " * 900,
        "07911 123456 " * 700,
        "I'm Jane " * 1_000,
        "\n" * 10_000,
        "🙂" * 10_000,
    ],
)
def test_hostile_input_never_raises_and_is_idempotent(text):
    once = redact(text)
    assert isinstance(once.text, str)
    assert redact(once.text).text == once.text


def test_lone_surrogate_is_redacted_around():
    result = redact("\ud800 07911 123456 \udfff")
    assert result.text == "\ud800 [phone number] \udfff"


def test_thread_safe():
    texts = [
        f"my name is Jane{chr(97 + i % 26)} and I'm on 07911 12345{i % 10}" for i in range(200)
    ]
    expected = [redact(t) for t in texts]
    results = [None] * len(texts)

    def work(offset):
        for i in range(offset, len(texts), 8):
            results[i] = redact(texts[i])

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == expected


def test_name_pipeline_is_rebuilt_to_bound_memory():
    from bot.privacy.names import NameFinder

    finder = NameFinder(max_docs=2)
    for i in range(5):
        assert finder.find(f"my name is Jane{chr(97 + i)}") == [(11, 16, "name", "[name]")]
    assert finder._docs <= 2
