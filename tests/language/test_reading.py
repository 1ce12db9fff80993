"""Reading the question out of a message: framing and background set aside, nothing lost."""

import pytest

from bot.language.reading import QuestionReader


@pytest.fixture(scope="module")
def reader(wording):
    return QuestionReader(wording)


@pytest.mark.parametrize(
    ("message", "question"),
    [
        ("hiya! what do paralegals get paid?", "what do paralegals get paid?"),
        ("ok great, and is there a pension?", "is there a pension?"),
        ("thanks so much. do you have offices in york?", "do you have offices in york?"),
        ("cool cool what about the carers network", "what about the carers network"),
        ("how do I apply, cheers", "how do I apply"),
        (
            "Good evening. I trained as a nurse and now I want a change of career. "
            "Does the CPS run apprenticeships for adults?",
            "Does the CPS run apprenticeships for adults?",
        ),
        (
            "I've read lots about prosecutors. I'm in year 13.\nWhich A level subjects help most?",
            "Which A level subjects help most?",
        ),
    ],
)
def test_the_question_is_read_without_framing_or_background(reader, message, question):
    assert reader.question(message) == question


@pytest.mark.parametrize(
    "message",
    [
        "hello there",
        "thanks a lot!",
        "ok",
        "what does a crown advocate earn",
        # A comma may join a list: it never splits a question from its subject.
        "do you offer hybrid, part-time or compressed hours",
        # Framing words that are part of the question stay: "right to work".
        "right to work checks for eu citizens",
        "well being support for new starters",
    ],
)
def test_a_message_that_is_all_question_or_all_framing_is_left_whole(reader, message):
    assert reader.question(message) is None


@pytest.mark.parametrize(
    ("greeting", "context", "question"),
    [
        # The question refers back to what came before.
        ("Hi.", "I was cautioned for shoplifting at 17.", "Would that show up on the checks?"),
        # The question says too little on its own.
        ("Hello.", "I hold a Canadian passport and live in Leeds.", "Could I apply?"),
        ("Good evening.", "I trained as a nurse.", "Are there apprenticeships for adults?"),
    ],
)
def test_a_question_that_needs_the_sentence_before_keeps_it(reader, greeting, context, question):
    assert reader.question(f"{greeting} {context} {question}") == f"{context} {question}"


def test_an_abbreviation_does_not_end_a_sentence(reader):
    message = "are there networks for e.g. muslim or hindu staff"
    assert reader.question(message) is None


def test_a_message_that_asks_nothing_is_left_whole(reader):
    assert reader.question("great, thanks, that's everything I wanted") is None


def test_background_clauses_before_a_question_are_set_aside(reader):
    assert reader.question("I look after my dad, can I work compressed hours at the CPS?") == (
        "can I work compressed hours at the CPS?"
    )
    assert reader.question("I'm a barrister, I took five years out, is there anything for me?") == (
        "I took five years out, is there anything for me?"
    )
    # A subject before the question is not background.
    assert reader.question("LTS eligibility - do I need a 2:1?") is None


@pytest.mark.parametrize(
    ("message", "question"),
    [
        (
            "I don't want the pension details, just tell me about sick pay",
            "just tell me about sick pay",
        ),
        ("not bothered about law, but do you have IT jobs?", "do you have IT jobs?"),
        ("I'm not after a job yet, I only want to know about the networks",
         "I only want to know about the networks"),
        ("Never been in trouble. Not a lawyer, just curious how long vetting takes?",
         "just curious how long vetting takes?"),
    ],
)
def test_what_the_visitor_turns_to_after_a_denial_is_the_question(reader, message, question):
    # The denial names the topic the visitor does not want; the understanding checks still
    # read the whole message (a denied crime is still seen as denied).
    assert reader.question(message) == question


@pytest.mark.parametrize(
    "message",
    [
        # The denial is the question's premise: what follows refers back to it.
        "I'm not a UK citizen, would that stop me applying?",
        # No turn: a denial and a question side by side stay together.
        "I don't have a degree, can I still be a paralegal?",
        # "no" alone answers a question; what follows is part of the answer.
        "no, I'd rather review cases",
        "not really, just browsing",
        # A negation late in the clause does not make the clause a denial.
        "I study computing and I'm not keen on law, but is IT work at the CPS well paid?",
    ],
)
def test_a_denial_that_the_question_needs_is_kept(reader, message):
    question = reader.question(message)
    assert question is None or question.startswith(message.split(",")[0])


@pytest.mark.parametrize(
    ("message", "question"),
    [
        (
            "Helo, diolch am eich help. Faint ydy cyflog swyddog paragyfreithiol?",
            "Faint ydy cyflog swyddog paragyfreithiol?",
        ),
        (
            "Shwmae! Dwi'n fam i ddau o blant, ydy hi'n bosib gweithio'n rhan amser?",
            "ydy hi'n bosib gweithio'n rhan amser?",
        ),
        ("Dwi'n nyrs. Fyddai hynny'n fy atal rhag gwneud cais?", None),
    ],
)
def test_a_welsh_message_is_read_like_an_english_one(reader, message, question):
    assert reader.question(message) == question
