"""Every change this project makes to Rasa's internals, installed once, by one explicit call.

Each process that runs Rasa code calls :func:`install` before Rasa starts: the Rasa server
(``python -m bot.rasa_server``, which `make run`, the images and the Kubernetes pods run),
`make rasa ARGS=...` for Rasa's other commands, and the tests that need them. Installing
checks the Rasa version first and refuses another: each replacement below is a copy of a
Rasa 3.6.21 function with one change, and another version may have changed the original.

What is installed (:func:`patches`; tests/dialogue/test_rasa_patches.py checks each
against Rasa's original):

* the action-call timeout: Rasa posts to the action server with a hard-coded 300 s
  timeout, read from a module constant on every call (``RemoteAction.run``); setting it
  to ACTION_TIMEOUT bounds every action call, including a form's validation. A call that
  times out fails like an unreachable action server: Rasa logs it and the turn ends with
  no reply, which the channel's guard answers with the apology (bot/channels/guard.py);
* the action-response check with a validator built once: ``jsonschema.validate`` on
  every action call checks the constant schema against its meta-schema and builds a new
  validator, 37-57 % of Rasa's CPU per message (docs/benchmarks.md);
* the event-class lookup by type name, remembered: ``Event.resolve_by_type`` walks every
  subclass of ``Event`` for every event read, a tenth of the server's time per message
  (docs/performance.md);
* the tracker-store wrapper that lets a database error through (:class:`FailLoudTrackerStore`);
* the tracker's applied events, continued from the last call instead of recomputed:
  ``DialogueStateTracker.applied_events`` folds over every event of the conversation,
  several times a turn, so its cost grew with the conversation (a tenth of a turn at turn
  100, docs/benchmarks.md);
* the tracker's copy, continued too: ``DialogueStateTracker.copy`` replays every event
  into a new tracker, and Rasa copies the tracker before each action it runs.

Not here, because they are not changes to Rasa: our channels (bot/channels/) and tracker
store (bot/storage/tracker_store.py) are Rasa's documented extension points, and the log
filter (bot/privacy/log_filter.py) is added by the tracker store because it must come
after Rasa configures its logging.
"""

from __future__ import annotations

import importlib.metadata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jsonschema import ValidationError, exceptions
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.dialogue.tracker_state import state_copy

RASA_VERSION = "3.6.21"


class RasaVersionError(RuntimeError):
    """The installed Rasa is not the one the patches were written for."""


class PatchesMissing(RuntimeError):
    """A Rasa process started without :func:`install` (plain `rasa run`)."""


@dataclass(frozen=True)
class Patch:
    """Rasa's ``owner.attribute`` replaced by ``value``."""

    name: str
    owner: Any  # a module or a class
    attribute: str
    value: Any


# ---- The replacements ---------------------------------------------------------------------


@lru_cache(maxsize=1)
def response_validator() -> Validator:
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)  # once, as jsonschema.validate does on every call
    return cls(schema)


def validate_action_result(_action: RemoteAction, result: dict[str, Any]) -> bool:
    """RemoteAction._validate_action_result (rasa 3.6.21) with the validator built once:
    the same validator class, the same best-match error, the same message."""
    error = exceptions.best_match(response_validator().iter_errors(result))
    if error is None:
        return True
    assert isinstance(error, ValidationError)
    error.message += (
        ". Failed to validate Action server response from API, "
        "make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
    )
    raise error


_original_resolve_by_type = Event.resolve_by_type
_event_classes: dict[str, type[Event]] = {}


def resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    """Event.resolve_by_type (rasa 3.6.21), remembering the classes it finds. A name not
    found is looked up the original way every time: an event class imported later is still
    found, an unknown name still raises Rasa's error."""
    known = _event_classes.get(type_name)
    if known is not None:
        return known
    resolved = _original_resolve_by_type(type_name, default)
    if resolved is not None and resolved.type_name == type_name:
        _event_classes[type_name] = resolved
    return resolved


@dataclass(frozen=True)
class AppliedFold:
    """Where applied_events stopped: after ``seen`` events of the deque ``events``, the
    last being ``last``, with these loop names, giving ``applied``."""

    events: Any  # the tracker's deque: another deque (a copy) starts afresh
    seen: int
    last: Event
    loop_names: frozenset[str]
    applied: list[Event]


APPLIED_FOLD = "_applied_events_fold"


def _fold(tracker: DialogueStateTracker, events, loop_names, applied: list[Event]) -> list[Event]:
    """The loop of DialogueStateTracker.applied_events (rasa 3.6.21) over ``events``,
    continuing ``applied`` (changed in place and returned)."""
    for event in events:
        if isinstance(event, (Restarted, SessionStarted)):
            applied = []
        elif isinstance(event, ActionReverted):
            tracker._undo_till_previous(ActionExecuted, applied)
        elif isinstance(event, UserUtteranceReverted):
            tracker._undo_till_previous(UserUttered, applied)
            tracker._undo_till_previous(ActionExecuted, applied)
        elif (
            isinstance(event, ActionExecuted)
            and event.action_name in loop_names
            and not tracker._first_loop_execution_or_unhappy_path(event.action_name, applied)
        ):
            tracker._undo_till_previous_loop_execution(event.action_name, applied)
        else:
            applied.append(event)
    return applied


def applied_events(self: DialogueStateTracker) -> list[Event]:
    """DialogueStateTracker.applied_events (rasa 3.6.21), continuing the fold where the
    last call on this tracker stopped when only events were added since.

    Rasa only ever appends to a tracker's events, so the events already folded are
    unchanged while the deque is the same one, no older event was pushed out of it (no
    ``max_event_history``) and the last one folded is still in its place. The fold also
    depends on the names of every loop activated in the conversation; an event naming a
    new loop starts it afresh. Each call returns a new list, as Rasa's does.
    """
    events = self.events
    count = len(events)
    names_of = (e.name for e in events if isinstance(e, ActiveLoop) and e.name)
    fold: AppliedFold | None = self.__dict__.get(APPLIED_FOLD)
    if (
        fold is not None
        and fold.events is events
        and events.maxlen is None
        and 0 < fold.seen <= count
        and events[fold.seen - 1] is fold.last
    ):
        new = [events[index] for index in range(fold.seen, count)]
        new_names = {e.name for e in new if isinstance(e, ActiveLoop) and e.name}
        if new_names <= fold.loop_names:
            applied = _fold(self, new, fold.loop_names, list(fold.applied))
            loop_names = fold.loop_names
        else:
            loop_names = frozenset(names_of)
            applied = _fold(self, events, loop_names, [])
    else:
        loop_names = frozenset(names_of)
        applied = _fold(self, events, loop_names, [])
    if count:
        self.__dict__[APPLIED_FOLD] = AppliedFold(events, count, events[-1], loop_names, applied)
    return list(applied)


@dataclass(frozen=True)
class CopyReplay:
    """The replay behind the last copy of a tracker: the first ``seen`` events of the deque
    ``events``, the last being ``last``, replayed into ``replay``."""

    events: Any
    seen: int
    last: Event
    replay: DialogueStateTracker


COPY_REPLAY = "_copy_replay"
_original_copy = DialogueStateTracker.copy


def copy_tracker(self: DialogueStateTracker) -> DialogueStateTracker:
    """DialogueStateTracker.copy (rasa 3.6.21: every event replayed into a new tracker),
    the replay going on from the last copy of this tracker when only events were added
    since (as for applied_events). Other tracker classes (training's) copy Rasa's way."""
    if type(self) is not DialogueStateTracker:
        return _original_copy(self)
    events = self.events
    last: CopyReplay | None = self.__dict__.get(COPY_REPLAY)
    if (
        last is not None
        and last.events is events
        and events.maxlen is None
        and 0 < last.seen <= len(events)
        and events[last.seen - 1] is last.last
    ):
        replay, new = last.replay, [events[index] for index in range(last.seen, len(events))]
    else:
        replay, new = self.init_copy(), list(events)
    for event in new:
        replay.update(event)
    if events:
        self.__dict__[COPY_REPLAY] = CopyReplay(events, len(events), events[-1], replay)
    return state_copy(replay, forget=[APPLIED_FOLD, COPY_REPLAY])


class FailLoudTrackerStore(FailSafeTrackerStore):
    """Rasa's wrapper around every tracker store, letting a database error through.

    Rasa 3.6 wraps the configured store in FailSafeTrackerStore (Agent._create_tracker_store,
    looked up by name in rasa.core.agent), which on a database error carries on with an
    empty in-memory tracker: the visitor gets an answer without the conversation's context,
    the turn never reaches the database, and the error is logged, with its SQL and the
    conversation id, at every read and write. Raised instead, the error reaches the
    channel's guard: the visitor gets the apology, the error is logged once, and the turn's
    transaction is rolled back, so none of it is written (tests/faults).
    """

    def on_tracker_store_error(self, error: Exception) -> None:
        raise error

    def on_tracker_store_retrieve_error(self, error: Exception) -> None:
        raise error


# ---- Installing ---------------------------------------------------------------------------


def patches(action_timeout: float) -> list[Patch]:
    """What :func:`install` changes, in order."""
    import rasa.core.actions.action
    import rasa.core.agent

    return [
        Patch(
            "action-call timeout",
            rasa.core.actions.action,
            "DEFAULT_REQUEST_TIMEOUT",
            action_timeout,
        ),
        Patch(
            "action-response check built once",
            RemoteAction,
            "_validate_action_result",
            validate_action_result,
        ),
        Patch(
            "event classes remembered by type name",
            Event,
            "resolve_by_type",
            staticmethod(resolve_by_type),
        ),
        Patch(
            "tracker-store errors raised",
            rasa.core.agent,
            "FailSafeTrackerStore",
            FailLoudTrackerStore,
        ),
        Patch(
            "applied events continued, not recomputed",
            DialogueStateTracker,
            "applied_events",
            applied_events,
        ),
        Patch("tracker copies continued, not replayed", DialogueStateTracker, "copy", copy_tracker),
    ]


# Rasa's own values of what install() replaced, to put back (tests only).
_originals: dict[tuple[int, str], tuple[Patch, Any]] = {}


def check_rasa_version(version: str | None = None) -> None:
    version = version or importlib.metadata.version("rasa")
    if version != RASA_VERSION:
        raise RasaVersionError(
            f"Rasa {version} is installed; bot/rasa_patches.py was written for Rasa "
            f"{RASA_VERSION} (requirements.txt). Check each patch against the new version "
            "before changing RASA_VERSION."
        )


def install(action_timeout: float | None = None) -> list[Patch]:
    """Check the Rasa version, then put every patch in place (again: no change).

    ``action_timeout`` defaults to ACTION_TIMEOUT from the environment, checked as the
    channels check it.
    """
    check_rasa_version()
    if action_timeout is None:
        from bot.limits.settings import ChannelSettings

        action_timeout = ChannelSettings.from_env().action_timeout
    installed = patches(action_timeout)
    for patch in installed:
        key = (id(patch.owner), patch.attribute)
        if key not in _originals:
            _originals[key] = (patch, patch.owner.__dict__[patch.attribute])
        setattr(patch.owner, patch.attribute, patch.value)
    return installed


def uninstall() -> None:
    """Put Rasa's own values back (for tests that must leave Rasa as they found it)."""
    while _originals:
        _key, (patch, original) = _originals.popitem()
        setattr(patch.owner, patch.attribute, original)


def is_installed() -> bool:
    import rasa.core.agent

    return (
        RemoteAction.__dict__["_validate_action_result"] is validate_action_result
        and Event.__dict__["resolve_by_type"].__func__ is resolve_by_type
        and rasa.core.agent.FailSafeTrackerStore is FailLoudTrackerStore
        and DialogueStateTracker.__dict__["applied_events"] is applied_events
        and DialogueStateTracker.__dict__["copy"] is copy_tracker
    )


def require_installed(what: str) -> None:
    """Refuse to start ``what`` in a Rasa process that skipped :func:`install`."""
    if not is_installed():
        raise PatchesMissing(
            f"{what} needs the project's Rasa patches: start Rasa with "
            "`python -m bot.rasa_server run ...` (or `make rasa ARGS=...`), not `rasa run`."
        )
