import pytest
from rasa_sdk.executor import CollectingDispatcher


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture(autouse=True)
def _pipeline(spacy_pipeline):
    """The fallback search loads the built spaCy pipeline."""
