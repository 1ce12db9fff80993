"""A copy of a tracker that shares its events: its cost does not grow with the conversation.

Rasa's own ``DialogueStateTracker.copy`` replays every event into a new tracker. The
events themselves need no copy (Rasa adds events, it does not change them), only the
tracker's own state: its slots, the latest action and the active loop.
"""

from __future__ import annotations

import copy
from collections import deque
from collections.abc import Iterable

from rasa.shared.core.trackers import DialogueStateTracker


def state_copy(tracker: DialogueStateTracker, forget: Iterable[str] = ()) -> DialogueStateTracker:
    """``tracker`` in a new object that can be changed without changing it; the attributes
    named in ``forget`` (memos of the original) are left out."""
    twin = copy.copy(tracker)
    twin.events = deque(tracker.events, maxlen=tracker.events.maxlen)
    slots = type(tracker.slots)()
    slots.update({name: copy.copy(slot) for name, slot in tracker.slots.items()})
    twin.slots = slots
    twin.latest_action = copy.copy(tracker.latest_action)
    twin.active_loop = copy.copy(tracker.active_loop)
    for name in forget:
        twin.__dict__.pop(name, None)
    return twin
