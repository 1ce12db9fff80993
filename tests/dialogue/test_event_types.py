"""Event classes found by type name once are the ones Rasa's own lookup finds."""

from __future__ import annotations

import pytest
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered
from rasa.shared.utils.common import all_subclasses

from bot.dialogue import event_types
from bot.dialogue.event_types import remember_event_types, resolve_by_type


@pytest.fixture(autouse=True)
def original_lookup(monkeypatch):
    monkeypatch.setattr(Event, "resolve_by_type", staticmethod(event_types._original))
    monkeypatch.setattr(event_types, "_found", {})


def test_every_event_type_resolves_to_rasas_class() -> None:
    names = {cls.type_name for cls in all_subclasses(Event)}
    assert {"user", "bot", "action", "slot", "session_started"} <= names
    for name in names:
        expected = event_types._original(name)
        assert resolve_by_type(name) is expected
        assert resolve_by_type(name) is expected  # the second time from memory


def test_an_unknown_type_still_raises_and_a_default_is_not_remembered() -> None:
    with pytest.raises(ValueError, match="Unknown event name 'no-such-event'"):
        resolve_by_type("no-such-event")
    assert resolve_by_type("no-such-event", SlotSet) is SlotSet
    assert "no-such-event" not in event_types._found


def test_installed_it_reads_events_as_before() -> None:
    remember_event_types()
    events = [
        {"event": "action", "name": "action_listen", "timestamp": 1.0},
        {"event": "user", "text": "hello", "parse_data": {"intent": {"name": "greeting"}}},
        {"event": "slot", "name": "topic", "value": "salary", "timestamp": 2.0},
    ]
    read = [Event.from_parameters(event) for event in events]
    assert [type(event) for event in read] == [ActionExecuted, UserUttered, SlotSet]
    assert read[2].value == "salary"
