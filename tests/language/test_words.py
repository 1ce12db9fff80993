"""The word check: keyboard mash is not a question; typos and text-speak are."""

import pytest

from bot.language.words import (
    Vocabulary,
    english_spelling,
    english_words,
    is_welsh_word,
    without_accents,
)

DOMAIN = ["pupillage", "prosecutor", "paralegal", "cps", "wat", "pls", "lts", "hols"]


@pytest.fixture(scope="module")
def vocabulary(wording):
    return Vocabulary(DOMAIN, wording.fillers)


@pytest.mark.parametrize(
    "message",
    [
        "lkjhgf",
        "qazwsx edcrfv",
        "hhhhhhhh",
        "###",
        "98765",
        "uhm",
        "grzzl bloop",
        ";-(",
    ],
)
def test_noise_is_not_made_of_words(vocabulary, message):
    assert not vocabulary.count(message).made_of_words


@pytest.mark.parametrize(
    "message",
    [
        "wat hols do staff get",
        "pupilige at the cps?",  # two typos in a long domain word
        "prosecuter",  # one typo
        "lts deadline pls",
        "does the CPS hire chemists",  # ordinary English from the word list
        "can't I apply?",
    ],
)
def test_words_typos_and_text_speak_are_words(vocabulary, message):
    assert vocabulary.count(message).made_of_words


def test_the_word_list_is_the_offline_english_lemma_tables():
    words = english_words()
    assert len(words) > 50_000
    assert {"salary", "prosecute", "holidays"} <= words
    assert "asdfgh" not in words


def test_more_than_half_the_words_must_be_words(vocabulary):
    assert vocabulary.count("pension qqqq xkcdz zzkt").made_of_words is False
    assert vocabulary.count("pension scheme zzkt").made_of_words is True


@pytest.mark.parametrize("message", ["mae'r swydd yn cwl", "gret, diolch", "faint yw'r tal"])
def test_welsh_typed_without_its_accents_is_made_of_words(vocabulary, message):
    # "cŵl", "grêt", "tâl" are in the Welsh dictionary only with their accents.
    assert vocabulary.count(message).made_of_words


def test_taking_accents_off_welsh_words_makes_no_noise_a_word():
    assert is_welsh_word("cwl") and is_welsh_word("cŵl")
    assert without_accents("tâl, ŵyr, ŷd") == "tal, wyr, yd"
    assert not is_welsh_word("qwzx")


@pytest.mark.parametrize("message", ["diolch, ffantastig", "ecsam?"])
def test_english_words_in_welsh_spelling_are_words(vocabulary, message):
    # Neither "ffantastig" nor "ecsam" is in the Welsh dictionary or the training data.
    assert vocabulary.count(message).made_of_words


def test_undoing_welsh_spelling_makes_no_noise_a_word(vocabulary):
    assert english_spelling("ffantastig") == "fantastic"
    for mash in ("ffff ggig", "csig ffcs", "qwffig zxcsig"):
        assert not vocabulary.count(mash).made_of_words
