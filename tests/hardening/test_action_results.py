"""The action-response check built once gives the same answers as Rasa's own."""

from __future__ import annotations

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from bot.channels.action_results import validate_action_result, validate_action_results_once

GOOD = {
    "events": [{"event": "slot", "name": "subject", "value": "crown-prosecutor"}],
    "responses": [{"text": "An answer.", "custom": {"topic": "salary"}}],
}
BAD = [
    {"events": [{"name": "subject"}]},  # an event without its type
    {"events": "not a list"},
    {"events": [42]},  # an event that is not an object
]

ORIGINAL = RemoteAction._validate_action_result


@pytest.fixture
def action() -> RemoteAction:
    return RemoteAction("action_answer_knowledge", EndpointConfig("http://127.0.0.1:9/webhook"))


def test_a_valid_response_passes_both(action: RemoteAction) -> None:
    assert ORIGINAL(action, GOOD) is True
    assert validate_action_result(action, GOOD) is True


@pytest.mark.parametrize("response", BAD)
def test_an_invalid_response_fails_both_with_the_same_message(action, response) -> None:
    with pytest.raises(ValidationError) as rasa_error:
        ORIGINAL(action, response)
    with pytest.raises(ValidationError) as our_error:
        validate_action_result(action, response)
    assert our_error.value.message == rasa_error.value.message
    assert "Failed to validate Action server response" in our_error.value.message


def test_installing_replaces_rasas_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(RemoteAction, "_validate_action_result", ORIGINAL)
    validate_action_results_once()
    assert RemoteAction._validate_action_result is validate_action_result
