"""Denials: "not a lawyer" is not "lawyer"."""

import pytest

from bot.language.negation import NegationReader, denied_positions


@pytest.fixture(scope="module")
def negation(wording):
    return NegationReader(wording.negation)


def denied_words(nlp, negation, text):
    doc = nlp(text.lower())
    return {doc[i].text for i in denied_positions(negation.denials(doc))}


@pytest.mark.parametrize(
    ("message", "denied", "kept"),
    [
        ("I'm a court clerk, not a lawyer, could I prosecute?", {"lawyer"}, {"clerk", "prosecute"}),
        ("I dont have a law degree but can I be a paralegal", {"law", "degree"}, {"paralegal"}),
        ("never studied law, what can I do", {"studied", "law"}, {"do"}),
        ("no legal training at all, is that ok?", {"legal", "training"}, set()),
        ("I'm not a barrister but a solicitor", {"barrister"}, {"solicitor"}),
        ("can non-lawyers prosecute?", {"lawyers"}, {"prosecute"}),
    ],
)
def test_the_words_under_a_negation_are_denied(nlp, negation, message, denied, kept):
    found = denied_words(nlp, negation, message)
    assert denied <= found
    assert not kept & found


def test_a_topic_is_ruled_out_when_its_premise_is_denied(nlp, negation):
    doc = nlp("i'm a legal secretary and not qualified, could i ever prosecute?")
    assert "qualified-lawyer-entry" in negation.denied_topics(doc, negation.denials(doc))


def test_a_premise_affirmed_elsewhere_still_holds(nlp, negation):
    doc = nlp("i'm not a barrister, i'm a solicitor with two years pqe")
    assert "qualified-lawyer-entry" not in negation.denied_topics(doc, negation.denials(doc))


def test_nothing_is_denied_without_a_negation(nlp, negation):
    doc = nlp("i'm a qualified solicitor, can i join at senior level")
    assert negation.denials(doc) == []
    assert negation.denied_topics(doc, []) == set()
