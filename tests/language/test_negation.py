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


@pytest.mark.parametrize(
    ("message", "denied", "kept"),
    [
        ("dwi ddim yn gyfreithiwr, oes swyddi eraill i fi", {"gyfreithiwr"}, {"swyddi"}),
        ("sgen i ddim gradd, alla i fod yn baragyfreithiol?", {"gradd"}, {"baragyfreithiol"}),
        ("heb radd yn y gyfraith ond dwi isio erlyn", {"radd"}, {"erlyn"}),
        ("dwi erioed wedi gwneud profiad gwaith", {"wedi", "gwneud"}, set()),
    ],
)
def test_welsh_denials_are_read_as_english_ones(nlp, negation, message, denied, kept):
    found = denied_words(nlp, negation, message)
    assert denied <= found
    assert not kept & found


def test_dim_ond_means_only_and_denies_nothing(nlp, negation):
    assert denied_words(nlp, negation, "dim ond swydd ran amser dw i isio") == set()


def test_a_welsh_premise_counts_in_its_mutated_form(nlp, negation):
    doc = nlp("dwi ddim yn gyfreithiwr, ga i erlyn?")
    assert "qualified-lawyer-entry" in negation.denied_topics(doc, negation.denials(doc))
    doc = nlp("dim bargyfreithiwr ydw i, cyfreithiwr ydw i")
    assert "qualified-lawyer-entry" not in negation.denied_topics(doc, negation.denials(doc))
