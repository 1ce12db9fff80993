"""The safety check finds danger, crime, distress, victims and decisions in everyday words."""

import pytest

from bot.language.negation import NegationReader
from bot.language.safety import SafetyCheck, signposting_topic


@pytest.fixture(scope="module")
def check(nlp, kb, wording):
    return SafetyCheck.from_knowledge(nlp, kb.safety, wording.personal_words)


@pytest.fixture(scope="module")
def negation(wording):
    return NegationReader(wording.negation)


def situations(nlp, check, negation, text):
    doc = nlp(text.lower())
    return check.situations(doc, negation.denials(doc))


@pytest.mark.parametrize(
    ("message", "topic"),
    [
        ("my flatmate keeps threatening me", "report-a-crime"),
        ("im really frightened of my brother", "report-a-crime"),
        ("there's someone trying the handle of my back door and I'm terrified", "report-a-crime"),
        ("my ex stalks me on instagram", "report-a-crime"),
        ("i honestly can't cope any more", "report-a-crime"),
        ("my nan got scammed out of her savings", "report-a-crime"),
        ("my sister has gone missing and her phone is off", "report-a-crime"),
        ("someone took out a credit card in my name", "report-a-crime"),
        ("i honestly can't take it anymore", "report-a-crime"),
        ("I'm a witness for the prosecution next month and dreading it", "victims-and-witnesses"),
        ("my son was beaten up and has to give evidence", "victims-and-witnesses"),
        ("the cps decided not to charge the man who robbed me", "case-enquiry-or-complaint"),
        ("they dropped the case against my stalker", "case-enquiry-or-complaint"),
    ],
)
def test_everyday_words_for_danger_and_crime_are_found(nlp, check, negation, message, topic):
    found = situations(nlp, check, negation, message)
    assert found, message
    assert signposting_topic(found) == topic


@pytest.mark.parametrize(
    "message",
    [
        "I'm not a victim of anything, I just want a job",
        "does the cps prosecute fraud cases",
        "is there a seat in crime during the training contract",
        "what does the national crime agency do",
        "would a witness care officer job suit me",
        "is the work emotionally demanding",
    ],
)
def test_careers_questions_and_denials_are_not_safety_messages(nlp, check, negation, message):
    assert situations(nlp, check, negation, message) == set()


def test_a_single_word_counts_only_about_the_visitor_or_someone_close(nlp, check, negation):
    assert situations(nlp, check, negation, "my cousin got mugged last night") == {"crime"}
    assert situations(nlp, check, negation, "how are muggings prosecuted") == set()


def test_a_decision_counts_only_beside_another_situation(nlp, check, negation):
    found = situations(nlp, check, negation, "my neighbour punched me and was only cautioned")
    assert {"crime", "decision"} <= found
    assert signposting_topic(found) == "case-enquiry-or-complaint"
    assert situations(nlp, check, negation, "can I appeal if my application is rejected") == set()
    assert situations(nlp, check, negation, "how do I challenge a decision on my sift") == set()


def test_a_charging_decision_counts_on_its_own(nlp, check, negation):
    found = situations(nlp, check, negation, "the police said the cps decided not to charge")
    assert found == {"charging"}
    assert signposting_topic(found) == "case-enquiry-or-complaint"


@pytest.mark.parametrize(
    "message",
    [
        "he says he'll hurt the kids",
        "she threatened to kill my little brother",
        "my flatmate keeps hitting his girlfriend",
        "they said they would attack us",
        "he tried to shove her down the stairs",
        "a lad tried to drag my sister into a car",
    ],
)
def test_a_verb_of_harm_with_a_person_as_object_is_danger(nlp, check, negation, message):
    assert "danger" in situations(nlp, check, negation, message)


@pytest.mark.parametrize(
    "message",
    [
        "would a speeding ticket hurt my chances",
        "will working part time hurt my career",
        "does the cps deal with people who hit police officers",
        "I hurt, and I want a new job",
        "would the cps push me to work long hours",
        "could I push myself into a senior role quickly",
    ],
)
def test_harm_to_a_thing_or_a_possessive_is_not_danger(nlp, check, negation, message):
    assert "danger" not in situations(nlp, check, negation, message)


def test_a_cue_that_holds_its_own_negation_counts(nlp, check, negation):
    assert situations(nlp, check, negation, "I don't feel safe walking home") == {"danger"}


def test_the_most_specific_situation_chooses_the_topic():
    assert signposting_topic({"crime", "decision"}) == "case-enquiry-or-complaint"
    assert signposting_topic({"danger", "victim"}) == "victims-and-witnesses"
    assert signposting_topic({"distress"}) == "report-a-crime"


def test_a_message_whose_every_cue_is_denied_is_recognised(nlp, check, negation):
    doc = nlp("i'm not a victim or a witness, just curious about jobs")
    assert check.only_denied(doc, negation.denials(doc))
    doc = nlp("i'm not a lawyer but my neighbour threatened me")
    assert not check.only_denied(doc, negation.denials(doc))
