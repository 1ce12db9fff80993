"""What bot.rasa_patches installs, each checked against Rasa's original behaviour."""

from __future__ import annotations

import inspect

import pytest
import rasa.core.actions.action
import rasa.core.agent
import rasa.core.constants
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.core.tracker_store import FailSafeTrackerStore, InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActionReverted,
    ActiveLoop,
    Event,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.utils.common import all_subclasses
from rasa.utils.endpoints import EndpointConfig
from stored_conversations import DOMAIN, clock, growing_tracker, state

from bot import rasa_patches, rasa_server
from bot.rasa_patches import (
    FailLoudTrackerStore,
    PatchesMissing,
    RasaVersionError,
    resolve_by_type,
    validate_action_result,
)

ORIGINAL_VALIDATE = RemoteAction._validate_action_result
ORIGINAL_RESOLVE = Event.resolve_by_type
ORIGINAL_APPLIED = DialogueStateTracker.applied_events
ORIGINAL_COPY = DialogueStateTracker.copy
GOOD = {
    "events": [{"event": "slot", "name": "subject", "value": "crown-prosecutor"}],
    "responses": [{"text": "An answer.", "custom": {"topic": "salary"}}],
}
BAD = [
    {"events": [{"name": "subject"}]},  # an event without its type
    {"events": "not a list"},
    {"events": [42]},  # an event that is not an object
]


@pytest.fixture(autouse=True)
def rasa_as_shipped(monkeypatch):
    """Each test starts and ends with Rasa's own values, whatever it installs."""
    rasa_patches.uninstall()
    assert not rasa_patches.is_installed()
    monkeypatch.setattr(rasa_patches, "_event_classes", {})
    yield
    rasa_patches.uninstall()


@pytest.fixture
def action() -> RemoteAction:
    return RemoteAction("action_answer_knowledge", EndpointConfig("http://127.0.0.1:9/webhook"))


# ---- What is installed, and that it comes off again -----------------------------------------


def test_it_installs_these_patches_and_puts_rasas_values_back() -> None:
    before = {
        "timeout": rasa.core.actions.action.DEFAULT_REQUEST_TIMEOUT,
        "wrapper": rasa.core.agent.FailSafeTrackerStore,
    }
    installed = rasa_patches.install(action_timeout=1.5)
    assert [patch.name for patch in installed] == [
        "action-call timeout",
        "action-response check built once",
        "event classes remembered by type name",
        "tracker-store errors raised",
        "applied events continued, not recomputed",
        "tracker copies continued, not replayed",
    ]
    for patch in installed:
        assert patch.owner.__dict__[patch.attribute] is patch.value
    assert rasa_patches.is_installed()
    rasa_patches.install(action_timeout=1.5)  # again: nothing more changes
    rasa_patches.uninstall()
    assert rasa.core.actions.action.DEFAULT_REQUEST_TIMEOUT == before["timeout"] == 300
    assert rasa.core.agent.FailSafeTrackerStore is before["wrapper"] is FailSafeTrackerStore
    assert RemoteAction._validate_action_result is ORIGINAL_VALIDATE
    assert Event.resolve_by_type is ORIGINAL_RESOLVE
    assert DialogueStateTracker.applied_events is ORIGINAL_APPLIED
    assert DialogueStateTracker.copy is ORIGINAL_COPY
    assert not rasa_patches.is_installed()


def test_the_timeout_comes_from_action_timeout(monkeypatch) -> None:
    monkeypatch.setenv("ACTION_TIMEOUT", "2.5")
    rasa_patches.install()
    assert rasa.core.actions.action.DEFAULT_REQUEST_TIMEOUT == 2.5
    assert rasa.core.constants.DEFAULT_REQUEST_TIMEOUT == 300  # Rasa's own, untouched


def test_another_rasa_version_is_refused(monkeypatch) -> None:
    rasa_patches.check_rasa_version()  # the installed one is the one they were written for
    with pytest.raises(RasaVersionError, match="Rasa 3.7.0 is installed"):
        rasa_patches.check_rasa_version("3.7.0")
    monkeypatch.setattr(rasa_patches.importlib.metadata, "version", lambda _name: "3.6.20")
    with pytest.raises(RasaVersionError):
        rasa_patches.install(action_timeout=1.5)
    assert not rasa_patches.is_installed()


def test_the_entrypoint_refuses_to_start_rasa_on_another_version(monkeypatch, capsys) -> None:
    monkeypatch.setattr(rasa_patches.importlib.metadata, "version", lambda _name: "3.7.0")
    with pytest.raises(SystemExit) as exit_:
        rasa_server.main()
    assert exit_.value.code == 2
    assert "Rasa 3.7.0 is installed" in capsys.readouterr().err


def test_the_channels_refuse_a_rasa_without_the_patches() -> None:
    with pytest.raises(PatchesMissing, match="python -m bot.rasa_server"):
        rasa_patches.require_installed("The assistant's channels")
    rasa_patches.install(action_timeout=1.5)
    rasa_patches.require_installed("The assistant's channels")


# ---- Each against Rasa's original -----------------------------------------------------------


def test_rasa_still_reads_the_timeout_from_the_module_on_every_call() -> None:
    # What makes setting the module constant bound every action call.
    assert "timeout=DEFAULT_REQUEST_TIMEOUT" in inspect.getsource(RemoteAction.run)


def test_a_valid_action_response_passes_both(action: RemoteAction) -> None:
    assert ORIGINAL_VALIDATE(action, GOOD) is True
    assert validate_action_result(action, GOOD) is True


@pytest.mark.parametrize("response", BAD)
def test_an_invalid_action_response_fails_both_with_the_same_message(action, response) -> None:
    with pytest.raises(ValidationError) as rasa_error:
        ORIGINAL_VALIDATE(action, response)
    with pytest.raises(ValidationError) as our_error:
        validate_action_result(action, response)
    assert our_error.value.message == rasa_error.value.message
    assert "Failed to validate Action server response" in our_error.value.message


def test_every_event_type_resolves_to_rasas_class() -> None:
    names = {cls.type_name for cls in all_subclasses(Event)}
    assert {"user", "bot", "action", "slot", "session_started"} <= names
    for name in names:
        expected = ORIGINAL_RESOLVE(name)
        assert resolve_by_type(name) is expected
        assert resolve_by_type(name) is expected  # the second time from memory


def test_an_unknown_event_type_still_raises_and_a_default_is_not_remembered() -> None:
    with pytest.raises(ValueError, match="Unknown event name 'no-such-event'"):
        resolve_by_type("no-such-event")
    assert resolve_by_type("no-such-event", SlotSet) is SlotSet
    assert "no-such-event" not in rasa_patches._event_classes


def test_installed_events_read_as_before() -> None:
    rasa_patches.install(action_timeout=1.5)
    events = [
        {"event": "action", "name": "action_listen", "timestamp": 1.0},
        {"event": "user", "text": "hello", "parse_data": {"intent": {"name": "greeting"}}},
        {"event": "slot", "name": "topic", "value": "salary", "timestamp": 2.0},
    ]
    read = [Event.from_parameters(event) for event in events]
    assert [type(event) for event in read] == [ActionExecuted, UserUttered, SlotSet]
    assert read[2].value == "salary"


class BrokenStore(InMemoryTrackerStore):
    async def retrieve(self, sender_id):
        raise ConnectionError("the database is down")


async def test_rasa_swallows_a_tracker_store_error_and_the_patched_agent_raises_it() -> None:
    domain = Domain.empty()
    rasas = rasa.core.agent.Agent._create_tracker_store(BrokenStore(domain), domain)
    assert type(rasas) is FailSafeTrackerStore
    assert await rasas.retrieve("someone") is None  # carries on without the conversation

    rasa_patches.install(action_timeout=1.5)
    ours = rasa.core.agent.Agent._create_tracker_store(BrokenStore(domain), domain)
    assert type(ours) is FailLoudTrackerStore
    with pytest.raises(ConnectionError):
        await ours.retrieve("someone")


def test_building_our_tracker_store_leaves_rasa_as_it_was(tmp_path) -> None:
    from bot.storage.tracker_store import RedactingSQLTrackerStore

    RedactingSQLTrackerStore(dialect="sqlite", db=str(tmp_path / "tracker.db"))
    assert rasa.core.agent.FailSafeTrackerStore is FailSafeTrackerStore
    assert Event.resolve_by_type is ORIGINAL_RESOLVE
    assert RemoteAction._validate_action_result is ORIGINAL_VALIDATE
    assert rasa.core.actions.action.DEFAULT_REQUEST_TIMEOUT == 300


# ---- Applied events: continued, the same as Rasa's -------------------------------------------


def test_the_applied_events_are_rasas_after_every_event(monkeypatch) -> None:
    """Restarts, sessions, rewinds, a form's loop; asked after each event, sometimes twice."""
    rasa_patches.install(action_timeout=1.5)
    folded = []  # how many events each call folded
    fold = rasa_patches._fold
    monkeypatch.setattr(
        rasa_patches,
        "_fold",
        lambda t, events, *rest: folded.append(len(events)) or fold(t, events, *rest),
    )
    for number, tracker in enumerate(growing_tracker(36)):
        expected = ORIGINAL_APPLIED(tracker)
        for _ in range(1 + number % 2):
            assert tracker.applied_events() == expected, number
    assert len(tracker.events) > 150
    assert sum(count <= 1 for count in folded) > 0.9 * len(folded)  # continued, not redone


def test_a_loop_named_late_and_an_undone_action_are_folded_as_rasa_does() -> None:
    """A loop's action executed before the loop is first activated (the name is new), and
    the loop rejected, interrupted and reverted."""
    rasa_patches.install(action_timeout=1.5)
    tracker = DialogueStateTracker("visitor", DOMAIN.slots)
    now = clock()
    script = [
        ActionExecuted("action_listen", timestamp=now()),
        UserUttered("help", {"intent": {"name": "pathway"}}, timestamp=now()),
        ActionExecuted("pathway_form", timestamp=now()),
        ActionExecuted("action_listen", timestamp=now()),
        UserUttered("help me", {"intent": {"name": "pathway"}}, timestamp=now()),
        ActionExecuted("pathway_form", timestamp=now()),
        ActiveLoop("pathway_form", timestamp=now()),
        ActionExecuted("action_listen", timestamp=now()),
        UserUttered("what?", {"intent": {"name": "salary"}}, timestamp=now()),
        ActionExecutionRejected("pathway_form", timestamp=now()),
        ActionExecuted("action_answer_knowledge", timestamp=now()),
        ActionReverted(timestamp=now()),
        ActionExecuted("pathway_form", timestamp=now()),
        ActionExecuted("action_listen", timestamp=now()),
        UserUttered("law", {"intent": {"name": "pathway"}}, timestamp=now()),
        ActionExecuted("pathway_form", timestamp=now()),
        ActiveLoop(None, timestamp=now()),
    ]
    for number, event in enumerate(script):
        tracker.update(event)
        assert tracker.applied_events() == ORIGINAL_APPLIED(tracker), number


def test_each_call_gets_a_list_of_its_own_and_a_copy_starts_afresh() -> None:
    rasa_patches.install(action_timeout=1.5)
    *_, tracker = growing_tracker(12)
    first = tracker.applied_events()
    first.clear()  # a caller changing its list changes nothing kept
    assert tracker.applied_events() == ORIGINAL_APPLIED(tracker) != []
    copied = tracker.copy()  # Rasa's copy: another deque of events
    assert copied.applied_events() == ORIGINAL_APPLIED(copied)
    bounded = DialogueStateTracker.from_events("v", list(tracker.events), max_event_history=10)
    bounded.applied_events()
    bounded.update(ActionExecuted("action_listen"))  # pushes the oldest event out
    assert bounded.applied_events() == ORIGINAL_APPLIED(bounded)


def test_a_copy_is_rasas_after_every_event_and_changes_nothing_kept() -> None:
    rasa_patches.install(action_timeout=1.5)
    for number, tracker in enumerate(growing_tracker(36)):
        theirs, ours = ORIGINAL_COPY(tracker), tracker.copy()
        assert state(ours) == state(theirs), number
        assert all(a is b for a, b in zip(ours.events, theirs.events, strict=True))
        if any(event is theirs.latest_message for event in theirs.events):
            assert ours.latest_message is theirs.latest_message  # shared, as Rasa shares it
        # Rasa changes a copy (the policy's events before an action): the next copy is
        # still the tracker's.
        ours.update(SlotSet("subject", "changed in the copy"))
        ours.update(ActionExecuted("action_answer_knowledge"))
        assert state(tracker.copy()) == state(ORIGINAL_COPY(tracker)), number
    assert rasa_patches.COPY_REPLAY in tracker.__dict__
