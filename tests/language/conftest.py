"""The careers spaCy pipeline, built from the knowledge file, for the language tests."""

import pytest
import spacy

from bot.knowledge import load_knowledge
from bot.language.wording import default_wording


@pytest.fixture(scope="session")
def nlp(spacy_pipeline):
    return spacy.load(spacy_pipeline)


@pytest.fixture(scope="session")
def kb():
    return load_knowledge()


@pytest.fixture(scope="session")
def wording():
    return default_wording()
