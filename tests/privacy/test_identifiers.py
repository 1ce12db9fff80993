"""Examples for the references, documents, bank details, addresses and names that UK
visitors type, and the careers questions that must come through untouched."""

import pytest
from redaction_check import check

from bot.privacy.identifiers import iban_is_valid, nhs_number_is_valid

# ---------------------------------------------------------------- CPS case references


@pytest.mark.parametrize(
    "text, expected",
    [
        ("01AB1234567", "[case reference]"),
        ("01 AB 1234567", "[case reference]"),
        ("URN: 47 KD 0123421", "URN: [case reference]"),
        ("01/AB/1234567", "[case reference]"),
        ("01-AB-12345-67", "[case reference]"),
        (
            "my case ref is 01ab1234567, I was the victim",
            "my case ref is [case reference], I was the victim",
        ),
        ("the URN is 47KD0123421.", "the URN is [case reference]."),
        ("Crown Court case T20247123", "Crown Court case [case reference]"),
        ("case number S20240123 at Leeds", "case number [case reference] at Leeds"),
        (
            "my case number is 12345678 and I was the victim",
            "my case number is [case reference] and I was the victim",
        ),
        ("court reference: 4011 2345", "court reference: [case reference]"),
    ],
)
def test_case_references(text, expected):
    check(text, expected, {"case-reference"})


# ---------------------------------------------------------------- police references


@pytest.mark.parametrize(
    "text, expected",
    [
        ("crime reference 12/34567/21", "crime reference [police reference]"),
        ("12/34567/21", "[police reference]"),
        ("CR/012345/24", "[police reference]"),
        ("the crime number was cr/012345/24", "the crime number was [police reference]"),
        ("crime reference number 4512345/21", "crime reference number [police reference]"),
        ("CRN: 6029123", "CRN: [police reference]"),
        ("incident number 1234 of yesterday", "incident number [police reference] of yesterday"),
        ("police ref MP12345/24", "police ref [police reference]"),
        ("PNC 92/123456A", "PNC [police reference]"),
        ("my PNC ID is 2001/0123456B", "my PNC ID is [police reference]"),
        ("CRO 123456/92X", "CRO [police reference]"),
        ("log number 5678", "log number [police reference]"),
    ],
)
def test_police_references(text, expected):
    check(text, expected, {"police-reference"})


# ---------------------------------------------------------------- documents


@pytest.mark.parametrize(
    "text, expected, kind",
    [
        ("passport number is 123456789", "passport number is [passport number]", "passport-number"),
        ("my passport no. 987654321", "my passport no. [passport number]", "passport-number"),
        ("Passport: C01X00T47", "Passport: C01X00T47", None),  # too few digits to be sure
        ("licence MORGA753116SM9IJ", "licence [driving licence number]", "driving-licence"),
        ("MORGA753116SM9IJ", "[driving licence number]", "driving-licence"),
        ("morga 753116 sm9ij", "[driving licence number]", "driving-licence"),
        ("JONES 862054 AB9CD 02", "[driving licence number]", "driving-licence"),
        ("my NHS number is 943 476 5919", "my NHS number is [NHS number]", "nhs-number"),
        ("NHS no: 4010232137", "NHS no: [NHS number]", "nhs-number"),
        ("it's 943-476-5919", "it's [NHS number]", "nhs-number"),
        ("9434765919", "[NHS number]", "nhs-number"),
        (
            "my share code is W12 3AB CDE",
            "my share code is [reference number]",
            "personal-reference",
        ),
        ("BRP number ZU1234567", "BRP number [reference number]", "personal-reference"),
        ("UTR 12345 67890", "UTR [reference number]", "personal-reference"),
        (
            "DBS certificate 001234567890",
            "DBS certificate [reference number]",
            "personal-reference",
        ),
        ("my SRA number is 123456", "my SRA number is [reference number]", "personal-reference"),
        ("staff number: AB123456", "staff number: [reference number]", "personal-reference"),
        ("student ID 2019123456", "student ID [reference number]", "personal-reference"),
    ],
)
def test_documents_and_personal_references(text, expected, kind):
    check(text, expected, {kind} if kind else set())


def test_nhs_check_digit():
    assert nhs_number_is_valid("9434765919")
    assert not nhs_number_is_valid("9434765918")
    assert not nhs_number_is_valid("943476591")
    # Ten digits with a wrong check digit are left: they may be anything.
    check("order 1234567890 arrived", "order 1234567890 arrived", set())


# ---------------------------------------------------------------- bank and card details


@pytest.mark.parametrize(
    "text, expected, kinds",
    [
        (
            "sort code 12-34-56 account number 12345678",
            "sort code [sort code] account number [account number]",
            {"sort-code", "bank-account"},
        ),
        ("sort code 123456", "sort code [sort code]", {"sort-code"}),
        ("s/c 12 34 56", "s/c [sort code]", {"sort-code"}),
        ("20-00-00 12345678", "[sort code] [account number]", {"sort-code", "bank-account"}),
        ("my account no is 87654321", "my account no is [account number]", {"bank-account"}),
        ("IBAN GB82 WEST 1234 5698 7654 32", "IBAN [IBAN]", {"iban"}),
        ("GB82WEST12345698765432", "[IBAN]", {"iban"}),
        ("pay DE89 3704 0044 0532 0130 00 please", "pay [IBAN] please", {"iban"}),
        ("IBAN: GB00 ABCD 1234 5678 9012 34", "IBAN: [IBAN]", {"iban"}),  # after the cue
        (
            "card 4111 1111 1111 1111 exp 03/27 cvv 123",
            "card [card number] exp [card expiry date] cvv [card security code]",
            {"card-number", "card-expiry", "card-security-code"},
        ),
        (
            "4111 1111 1111 1111 03/27 123",
            "[card number] [card expiry date] [card security code]",
            {"card-number", "card-expiry", "card-security-code"},
        ),
        ("expiry date 03/2027", "expiry date [card expiry date]", {"card-expiry"}),
        ("valid thru 11/26", "valid thru [card expiry date]", {"card-expiry"}),
        ("CVV: 123", "CVV: [card security code]", {"card-security-code"}),
        (
            "the security code is 4321",
            "the security code is [card security code]",
            {"card-security-code"},
        ),
        (
            "the 3 digits on the back 987",
            "the 3 digits on the back [card security code]",
            {"card-security-code"},
        ),
    ],
)
def test_bank_and_card_details(text, expected, kinds):
    check(text, expected, kinds)


def test_ibancheck():
    assert iban_is_valid("GB82 WEST 1234 5698 7654 32")
    assert not iban_is_valid("GB83 WEST 1234 5698 7654 32")
    # Without the cue, only a valid IBAN is one.
    check("ref AB12CDEF12345678", "ref AB12CDEF12345678", set())


# ---------------------------------------------------------------- addresses


@pytest.mark.parametrize(
    "text, expected",
    [
        ("my address is 10 Downing Street", "my address is [address]"),
        ("I live at 221B Baker Street, London", "I live at [address], London"),
        ("flat 3, 14 acacia avenue", "[address]"),
        ("it's 5-7 Mill Lane", "it's [address]"),
        ("22 Rose Way, Leeds", "[address], Leeds"),
        ("My address: 4 the Green, Leeds", "My address: [address], Leeds"),
        ("I live at number 5 so is it far?", "I live at [address] so is it far?"),
        ("my home address is Rose Cottage", "my home address is [address]"),
        ("send it to 1 Church Rd please", "send it to [address] please"),
    ],
)
def test_addresses(text, expected):
    check(text, expected, {"address"})


# ---------------------------------------------------------------- names the old finder missed


@pytest.mark.parametrize(
    "text, expected",
    [
        ("im sarah jones", "im [name]"),
        ("hi im sarah jones, can i apply", "hi im [name], can i apply"),
        ("i'm priya and i want to be a paralegal", "i'm [name] and i want to be a paralegal"),
        ("this is tom", "this is [name]"),
        ("Sarah Jones here", "[name] here"),
        ("Sarah Jones here.", "[name] here."),
        ("It's Sarah here", "It's [name] here"),
        ("its sarah here, quick question", "its [name] here, quick question"),
        ("hi, sarah here", "hi, [name] here"),
        ("Yours, Sarah", "Yours, [name]"),
        (
            "Thanks for your help.\nYours sincerely,\nSarah Jones",
            "Thanks for your help.\nYours sincerely,\n[name]",
        ),
        ("Best wishes, Aisha", "Best wishes, [name]"),
        ("Best, Sarah", "Best, [name]"),
        ("thanks sarah", "thanks [name]"),
        ("Many thanks, Chidi", "Many thanks, [name]"),
    ],
)
def test_more_names(text, expected):
    check(text, expected, {"name"})


# ---------------------------------------------------------------- dates of birth in words


@pytest.mark.parametrize(
    "text, expected",
    [
        ("born on the third of March 1990", "born on the [date of birth]"),
        ("I was born on the twenty-first of June 1999", "I was born on the [date of birth]"),
        ("my birthday is the first of May", "my birthday is the [date of birth]"),
        ("DOB thirtieth November 2001", "DOB [date of birth]"),
        ("it starts on the third of March 2027", "it starts on the [date]"),
    ],
)
def test_dates_in_words(text, expected):
    kinds = {"date-of-birth"}
    check(text, expected, kinds)


# ---------------------------------------------------------------- profile links


@pytest.mark.parametrize(
    "text, expected",
    [
        ("my linkedin is linkedin.com/in/sarah-jones-123", "my linkedin is [profile link]"),
        ("https://www.linkedin.com/in/sarahjones/ is me", "[profile link] is me"),
        ("instagram.com/sarah.j", "[profile link]"),
        ("tiktok.com/@sarahj", "[profile link]"),
    ],
)
def test_profile_links(text, expected):
    check(text, expected, {"profile-link"})


# ---------------------------------------------------------------- careers questions untouched


@pytest.mark.parametrize(
    "text",
    [
        "what does a crown prosecutor earn? £42,320",
        "is the salary £42320 a year?",
        "Level 2 and level 3 apprenticeships",
        "do I need SQE1 and SQE2?",
        "I have 2 years PQE",
        "the office is open 9:00-17:00",
        "37 hours a week",
        "is it open in 2025",
        "I got a 2:1 from Leeds",
        "Grade 7 band 3",
        "job ref 123456",
        "vacancy reference 412345",
        "how many of the 94 Crown Court centres do you cover?",
        "there are 14 CPS Areas",
        "I did it in 2 years the hard way",
        "is there 1 easy way to apply",
        "24/7 support",
        "I want to join the police in 2025",
        "a 50/50 chance",
        "I worked 9 to 5 on Baker Street",
        "I live in Leeds",
        "I live at home",
        "HEO and SEO grades",
        "is the HQ at 102 Petty France?",
        "Level 3 apprenticeship, 18 months",
        "I scored 120/150",
        "T levels",
        "the 2024/25 scheme",
        "apply by 31/03",
        "A* A A at A level",
        "top 10 tips",
        "1 in 4 cases",
        "what is a case reference?",
        "how do I find my crime reference number?",
        "do you need my passport?",
        "what's an NHS number for?",
        "what is the sort code for?",
        "is the interview at 2pm on the 3rd?",
        "can I do the course in 18-24 months",
        "salary range 30,000-35,000",
        "Best of luck to everyone",
        "Which is best, London or Leeds?",
        "Is anyone here?",
        "What's it like here?",
        "im applying for the LTS",
        "im interested in pupillage",
        "im a law student",
        "im from manchester",
        "this is great",
        "thanks for your help",
        "I'm on the M1 most days",
        "the case study round",
        "I have a criminal record, can I apply?",
    ],
)
def test_careers_questions_are_untouched(text):
    check(text, text, set())
