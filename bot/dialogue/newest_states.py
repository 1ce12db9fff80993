"""The newest states of a conversation only, as Rasa's featurizer would make them.

A rule policy looks for rules by the conversation's states, one per action so far, built
by ``MaxHistoryTrackerFeaturizer.prediction_states`` (rasa 3.6.21) from every applied
event of the session: three times a turn, and more work the longer the conversation. Yet
a rule is tested against as many of the newest states as it has turns
(``RulePolicy._is_rule_applicable``: older turns always pass), so the newest
``count`` states, ``count`` being the longest rule's length, find the same rules.

:func:`newest_states` replays the events as Rasa does (``generate_all_prior_trackers``)
but builds a state only for the newest ``count`` actions and the present; the rest of
what ``prediction_states`` does applies to those states alone. The result is a
:class:`NewestStates`, which can still make every state when something needs them all.
"""

from __future__ import annotations

import copy
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rasa.core.featurizers.tracker_featurizers import MaxHistoryTrackerFeaturizer
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import ActionExecuted, Event
from rasa.shared.core.trackers import DialogueStateTracker

REPLAYED = "_newest_states_replayed"


class NewestStates(list):
    """The newest states; :meth:`every` makes them all, as Rasa would have.

    ``from_text``: made with the text of the last message instead of its intent.
    """

    def __init__(
        self, newest: list[State], every: Callable[[], list[State]], from_text: bool = False
    ) -> None:
        super().__init__(newest)
        self._every = every
        self.from_text = from_text

    def every(self) -> list[State]:
        return self._every()


@dataclass
class Replayed:
    """Where the last call on one tracker stopped: the applied events replayed (on the
    tracker whose deque is ``events``, with ``domain``), the replaying tracker after them,
    and the states before the newest ``kept`` actions among them."""

    events: Any
    domain: Domain
    applied: list[Event]
    replay: DialogueStateTracker
    states: list[State]
    kept: int


def _state(domain: Domain, replay: DialogueStateTracker) -> State:
    return domain._clean_state(domain.get_active_state(replay))


def _states_from_the_end(tracker: DialogueStateTracker, domain: Domain, count: int) -> list[State]:
    """``Domain.states_for_tracker_history`` (with no rule-only turns left out and no
    slots omitted, as a rule policy asks) for the newest ``count`` states only.

    Within a turn the same tracker is asked again after a few more events: the replay
    goes on from where it stopped when the applied events it replayed are still the first
    ones (the same objects), else it starts again.
    """
    applied = tracker.applied_events()
    kept = count - 1  # one state before each action, one for the present
    last: Replayed | None = tracker.__dict__.get(REPLAYED)
    if (
        last is not None
        and last.events is tracker.events
        and last.domain is domain
        and last.kept >= kept
        and len(applied) >= len(last.applied)
        and all(map(operator.is_, applied, last.applied))
    ):
        replay, states, new = last.replay, last.states, applied[len(last.applied) :]
        skip = 0
    else:
        replay, states, new = tracker.init_copy(), [], applied
        skip = sum(isinstance(event, ActionExecuted) for event in applied) - kept
    for event in new:
        if isinstance(event, ActionExecuted):
            if skip > 0:
                skip -= 1
            else:
                states.append(_state(domain, replay))
                del states[: max(0, len(states) - kept)]
        replay.update(event)
    tracker.__dict__[REPLAYED] = Replayed(tracker.events, domain, applied, replay, states, kept)
    newest = states[max(0, len(states) - kept) :] if kept else []
    return [*copy.deepcopy(newest), _state(domain, replay)]


def newest_states(
    featurizer: MaxHistoryTrackerFeaturizer,
    tracker: DialogueStateTracker,
    domain: Domain,
    count: int,
    use_text_for_last_user_input: bool,
    every: Callable[[], list[State]],
) -> NewestStates:
    """``featurizer.prediction_states([tracker], ...)[0][-count:]`` (rasa 3.6.21, with
    ``ignore_rule_only_turns`` and ``ignore_action_unlikely_intent`` False), made without
    building the older states. ``every`` makes them all, Rasa's way."""
    count = max(1, min(count, featurizer.max_history or count))
    states = _states_from_the_end(tracker, domain, count)
    featurizer._choose_last_user_input([states], use_text_for_last_user_input)
    return NewestStates(states[-count:], every, from_text=use_text_for_last_user_input)
