"""The newest states of a conversation are the newest of the states Rasa's featurizer makes.

Conversations written through the tracker store (tests/stored_conversations.py: a session
start, redacted text, a form's loop, a rewind, a restart, a second session) are compared
after every event, for every length of the longest rule, with text and with intents.
"""

from __future__ import annotations

import pytest
from rasa.core.featurizers.tracker_featurizers import MaxHistoryTrackerFeaturizer
from stored_conversations import DOMAIN, growing_tracker

from bot.dialogue.newest_states import REPLAYED, NewestStates, newest_states


@pytest.mark.parametrize("max_history", [None, 2])
def test_the_newest_states_are_rasas(max_history: int | None) -> None:
    featurizer = MaxHistoryTrackerFeaturizer(max_history=max_history)
    compared = 0
    for tracker in growing_tracker():
        for use_text in (True, False):
            rasas = featurizer.prediction_states(
                [tracker], DOMAIN, use_text_for_last_user_input=use_text
            )[0]
            for count in (1, 2, 3, 5, 200):
                ours = newest_states(
                    featurizer, tracker, DOMAIN, count, use_text, every=list(rasas).copy
                )
                assert list(ours) == rasas[-count:], (count, use_text, len(tracker.events))
                assert ours.every() == rasas
                compared += 1
    assert compared > 1000


def test_they_are_fewer_than_every_state_in_a_long_conversation() -> None:
    featurizer = MaxHistoryTrackerFeaturizer(max_history=None)
    *_, tracker = growing_tracker()
    every = featurizer.prediction_states([tracker], DOMAIN)[0]
    newest = newest_states(featurizer, tracker, DOMAIN, 3, False, every=lambda: every)
    assert isinstance(newest, NewestStates)
    assert len(newest) == 3 < len(every)


@pytest.mark.parametrize("count", [1, 3])
def test_asked_again_after_more_events_the_replay_goes_on(count: int) -> None:
    """As in a turn: the same tracker, a few more events, the same rule length."""
    featurizer = MaxHistoryTrackerFeaturizer(max_history=None)
    replays = set()
    for tracker in growing_tracker(36):
        rasas = featurizer.prediction_states([tracker], DOMAIN)[0]
        ours = newest_states(featurizer, tracker, DOMAIN, count, False, every=list)
        assert list(ours) == rasas[-count:], len(tracker.events)
        replays.add(id(tracker.__dict__[REPLAYED].replay))
    # Started again only after restarts, sessions and rewinds, not after every event.
    assert 5 < len(replays) < 40
