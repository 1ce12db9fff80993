"""Welsh phrases of the knowledge file match in the forms visitors type them."""

import pytest

from bot.language.build import welsh_forms
from bot.language.mutations import mutated_forms


@pytest.mark.parametrize(
    ("phrase", "forms"),
    [
        ("cwmni cyfreithiol", ["gwmni cyfreithiol", "nghwmni cyfreithiol", "chwmni cyfreithiol"]),
        ("penodiad", ["benodiad", "mhenodiad", "phenodiad"]),
        ("tystysgrif", ["dystysgrif", "nhystysgrif", "thystysgrif"]),
        ("gradd", ["radd", "ngradd"]),
        ("barnwr", ["farnwr", "marnwr"]),
        ("dod yn ynad", ["ddod yn ynad"]),  # "nod": too short
        ("llywodraeth", ["lywodraeth"]),
        ("rhwydwaith", ["rwydwaith"]),
        ("meddyg", ["feddyg"]),
    ],
)
def test_the_first_word_takes_its_soft_nasal_and_aspirate_forms(phrase, forms):
    assert mutated_forms(phrase) == forms


@pytest.mark.parametrize(
    "phrase", ["chweched dosbarth", "ffurflen gais", "swyddog", "nyrs", "heddlu"]
)
def test_letters_that_do_not_mutate_give_no_forms(phrase):
    assert mutated_forms(phrase) == []


def test_a_mutated_word_too_short_to_tell_from_noise_is_left_out():
    assert mutated_forms("gig") == ["ngig"]  # not "ig"


def test_welsh_phrases_match_without_accents_article_or_radical():
    forms = welsh_forms("y swyddfa gartref")
    assert "swyddfa gartref" in forms  # "ydy'r Swyddfa Gartref"
    assert "ymuno a'r heddlu" in welsh_forms("ymuno â'r heddlu")
    assert "gwmniau cyfreithiol" in welsh_forms("cwmnïau cyfreithiol")


def test_a_welsh_form_that_is_an_english_word_is_left_out():
    assert "gig" not in welsh_forms("y gig")  # a job in English slang
    assert "far" not in welsh_forms("bar")  # "bar" mutated
    assert welsh_forms("bar") == ["bar"]  # as written, it stays


def test_mutated_welsh_phrases_find_their_entity(nlp):
    doc = nlp("pa gwmnïau cyfreithiol yng nghaerdydd sy'n cynnig contractau hyfforddi?")
    assert ("elsewhere", "solicitors-in-practice") in [(e.label_, e.ent_id_) for e in doc.ents]
