"""Statements about the visitor that make a conversation sensitive, and careers questions
about the same subjects that do not."""

import pytest

from bot.privacy import SPECIAL_CATEGORIES, special_categories


@pytest.mark.parametrize(
    "text, category",
    [
        ("I have MS", "health"),
        ("I've got long covid", "health"),
        ("I was diagnosed with depression last year", "health"),
        ("I'm diabetic, is that a problem?", "health"),
        ("I have anxiety", "health"),
        ("I'm on medication for my mental health", "health"),
        ("I'm disabled", "disability"),
        ("I'm registered blind", "disability"),
        ("I have a disability", "disability"),
        ("can I get adjustments for my dyslexia?", "disability"),
        ("I use a wheelchair", "disability"),
        ("I'm autistic and worried about interviews", "disability"),
        ("I have ADHD", "disability"),
        ("I'm gay", "sexuality"),
        ("as a trans woman, is the CPS welcoming?", "sexuality"),
        ("I'm bi", "sexuality"),
        ("I'm a Muslim", "religion"),
        ("I pray five times a day, is there a prayer room?", "religion"),
        ("I wear a turban", "religion"),
        ("as a black woman, will I fit in?", "ethnicity"),
        ("I'm from a BAME background", "ethnicity"),
        ("I'm 20 weeks pregnant", "pregnancy"),
        ("I'm on maternity leave", "pregnancy"),
        ("I'm a member of the Labour party", "political-opinion"),
        ("I'm a PCS member", "trade-union"),
        ("I have a criminal record", "criminal-offence"),
        ("if I have a criminal record can I apply?", "criminal-offence"),
        ("I was convicted in 2015", "criminal-offence"),
        ("I've been to prison", "criminal-offence"),
        ("I got a caution when I was 17", "criminal-offence"),
        ("my case reference is [case reference]", "criminal-offence"),
        ("I was the victim of a crime", "victim"),
        ("my ex assaulted me and the police said the CPS decided not to charge him", "victim"),
        ("he hit me", "victim"),
        ("someone stole my bike", "victim"),
        ("I'm a witness in a trial next month", "victim"),
    ],
)
def test_disclosures_are_found(text, category):
    assert category in special_categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "do you support disabled staff?",
        "is there an LGBT+ network?",
        "what adjustments do you offer for dyslexia?",
        "I have a question about the disability network",
        "I have a disability question",
        "can you apply with a criminal record?",
        "do criminal convictions matter for the vetting?",
        "I'm interested in the faith and belief network",
        "tell me about the race equality network",
        "what maternity pay do you offer?",
        "how do victims get support?",
        "can civil servants be members of a political party?",
        "I want to prosecute people who assault others",
        "I'm transferring from another department",
        "I'm sick of waiting",
        "I was charged £50 for the course",
        "I'm expecting an offer",
        "I'm bi-lingual",
        "I have MS Teams experience",
        "I have 2 years PQE",
        "I'm British, can I apply?",
        "my transition from university to work",
        "I have a record of achievement",
        "I'm a law student",
        "I'm applying for the Legal Trainee Scheme",
        "what does a crown prosecutor earn?",
        "",
    ],
)
def test_careers_questions_are_not_disclosures(text):
    assert special_categories(text) == frozenset()


def test_several_categories_and_curly_apostrophes():
    found = special_categories("I’m gay and I’m disabled")
    assert found == {"sexuality", "disability"}
    assert found <= set(SPECIAL_CATEGORIES)
    assert special_categories(None) == frozenset()
