"""Reading a visitor's situation from free text (bot.actions.situation).

The phrasings are in tests/pathway/situations.yml, written apart from the training
data and the knowledge file's phrases; the last tests here check that they stay so.
"""

from __future__ import annotations

import re

import pytest
import yaml

from bot.actions.situation import (
    Situation,
    clauses,
    combine,
    describes_self,
    read_answer,
    read_situation,
    same_word,
    with_digits,
    years_of_practice,
)
from bot.knowledge import load_knowledge
from bot.ops import PROJECT_ROOT

PATHWAY = load_knowledge().pathway
CASES = yaml.safe_load((PROJECT_ROOT / "tests" / "pathway" / "situations.yml").read_text())
STATEMENTS = CASES["statements"]
ANSWERS = CASES["answers"]
SHORT_REPLIES = CASES["short_replies"]


def _as_text(value) -> str:
    return str(value)  # YAML reads a bare yes/no as a boolean


@pytest.mark.parametrize("case", STATEMENTS, ids=[c["text"] for c in STATEMENTS])
def test_a_statement_is_read_for_everything_it_says_and_nothing_more(case):
    told = read_situation(PATHWAY, case["text"])
    assert told.answers == {q: _as_text(v) for q, v in case["expect"].items()}
    if "years" in case:
        assert told.years == pytest.approx(case["years"], abs=0.02)


@pytest.mark.parametrize(
    "case",
    ANSWERS + SHORT_REPLIES,
    ids=[f"{c['question']}: {c['text']}" for c in ANSWERS + SHORT_REPLIES],
)
def test_a_reply_is_read_as_the_answer_it_means(case):
    expected = case["expect"]
    found = read_answer(PATHWAY, case["question"], case["text"])
    assert found == (None if expected is None else _as_text(expected))


def test_there_are_at_least_a_hundred_phrasings():
    assert len(STATEMENTS) + len(ANSWERS) >= 100


# ---------------------------------------------------------------- the parts


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("2 yrs", 2),
        ("ten years", 10),
        ("twenty-five years", 25),
        ("6 months", 0.5),
        ("eighteen months", 1.5),
        ("a decade", 10),
        ("a year and a half", 1.5),
        ("a couple of years", 2),
        ("I'm 30 years old", None),
        ("3", None),
    ],
)
def test_years_of_practice(text, years):
    found = years_of_practice(text)
    assert found == pytest.approx(years) if years is not None else found is None


def test_a_bare_number_is_years_only_in_reply_to_the_question():
    assert years_of_practice("3", bare_number=True) == 3
    assert read_answer(PATHWAY, "experience", "3") == "2-plus"


def test_numbers_written_as_words_become_digits():
    assert with_digits("Four years, twenty-one months") == "4 years 21 months"
    assert with_digits("a year 12 student") == "a year 12 student"


def test_clauses_end_negation_and_wishes():
    assert clauses("I'm not a solicitor, I'm a barrister") == [
        ["im", "not", "a", "solicitor"],
        ["im", "a", "barrister"],
    ]
    assert read_situation(PATHWAY, "I want to be a barrister but I'm a paralegal").answers == {
        "stage": "paralegal"
    }


def test_typos_of_long_words_are_tolerated_and_other_words_are_not():
    assert same_word("barister", "barrister")
    assert same_word("solicter", "solicitor")
    assert same_word("trial", "trials")
    assert not same_word("bar", "bat")
    assert not same_word("casework", "caseworker")
    assert not same_word("experience", "experienced")


def test_a_question_about_someone_else_says_nothing_about_the_visitor():
    told = read_situation(PATHWAY, "what does a barrister earn?", statements_only=True)
    assert told == Situation()
    assert not describes_self("how do I become a solicitor?")
    assert describes_self("I'm a solicitor")


def test_a_request_does_not_place_the_visitor_at_the_cps():
    told = read_situation(PATHWAY, "which way into the CPS would work for someone like me?")
    assert told.answers == {}


def test_later_messages_correct_earlier_ones():
    earlier = read_situation(PATHWAY, "I'm a solicitor with 4 years in crime")
    later = read_situation(PATHWAY, "actually I'm a barrister")
    assert combine([earlier, later]).answers == {
        "stage": "qualified",
        "profession": "barrister",
        "experience": "2-plus",
    }
    new_stage = read_situation(PATHWAY, "sorry, I'm a paralegal at the CPS")
    assert combine([earlier, new_stage]) == Situation({"stage": "paralegal", "at_cps": "yes"})


def test_every_button_title_means_its_own_choice():
    # Buttons send their title as text, so each must read back as its own choice.
    for key, question in PATHWAY.questions.items():
        for choice in question.choices:
            assert read_answer(PATHWAY, key, choice.title) == choice.value, choice.title


@pytest.mark.parametrize("question", list(PATHWAY.questions))
@pytest.mark.parametrize("text", ["banana", "blah blah", "zxqv blorp", "purple", "12:30pm"])
def test_nonsense_is_not_an_answer(question, text):
    assert read_answer(PATHWAY, question, text) is None


# ---------------------------------------------------------------- written apart


def _plain(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower().replace("'", "")))


def _training_examples() -> set[str]:
    examples = set()
    for path in (PROJECT_ROOT / "bot" / "data" / "nlu").glob("*.yml"):
        for item in yaml.safe_load(path.read_text()).get("nlu") or []:
            for line in (item.get("examples") or "").splitlines():
                examples.add(_plain(line.strip().removeprefix("- ")))
    return examples


def _knowledge_phrases() -> set[str]:
    return {
        _plain(text)
        for question in PATHWAY.questions.values()
        for choice in question.choices
        for text in [*choice.phrases, *choice.replies, choice.title]
    }


def test_the_phrasings_are_not_copies_of_training_examples_or_knowledge_phrases():
    phrasings = {_plain(c["text"]) for c in STATEMENTS + ANSWERS}
    assert not phrasings & _training_examples()
    assert not phrasings & _knowledge_phrases()
