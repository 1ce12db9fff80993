"""Each conversation's tracker kept in the Rasa process between turns, checked against the store.

Rasa's SQL tracker store reads every event of the conversation's session and replays them
for every turn, so a turn costs more the longer the conversation is. Here the tracker the
store would read back is kept in memory after each turn (up to TRACKER_CACHE_CONVERSATIONS
conversations, least recently used dropped first; 0 turns the cache off), and a turn
starts from a copy of it once one cheap query says the store still holds what it held:

    SELECT count(*), max(id) FROM events WHERE sender_id = ?

(the ``ix_events_sender_id_id`` index answers it alone). Another worker's or instance's
turn adds rows, so the count and the newest id change; a deletion (retention, erasure)
lowers the count; either way the tracker is read from the store as before. What is kept
is what the store would give back, not the live tracker: each new event is rebuilt from the
redacted JSON row just written, and applied to the kept tracker in order, as Rasa's
``DialogueStateTracker.from_dict`` applies them when it reads the rows back. A session
start drops the kept tracker (the store then reads only the new session, a few events),
and so does a turn that was not written (an error): it is read back next time.

The kept tracker is never handed out: each turn gets a copy that shares only the events
before it, which Rasa does not change (the latest user message, which Rasa may change, and
the slots and active loop are copied).
"""

from __future__ import annotations

import copy
import functools
import json
import os
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.shared.core.events import Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker

from bot.dialogue.tracker_state import state_copy

DEFAULT_CONVERSATIONS = 1000
# Set on each copy handed out: which kept tracker it came from, and at what version.
ORIGIN = "_tracker_cache_origin"


def cache_size(env: Mapping[str, str] | None = None) -> int:
    """TRACKER_CACHE_CONVERSATIONS (default 1000): how many conversations are kept."""
    env = os.environ if env is None else env
    raw = (env.get("TRACKER_CACHE_CONVERSATIONS") or "").strip()
    if not raw:
        return DEFAULT_CONVERSATIONS
    try:
        size = int(raw)
    except ValueError:
        raise ValueError(
            f"TRACKER_CACHE_CONVERSATIONS must be a whole number, not {raw!r}"
        ) from None
    if size < 0:
        raise ValueError("TRACKER_CACHE_CONVERSATIONS must be 0 (off) or more")
    return size


@dataclass(frozen=True)
class Stamp:
    """What the store holds for one conversation: how many events, and the newest's id."""

    count: int
    newest_id: int | None


@functools.lru_cache(maxsize=8)
def stamp_query(events: sa.Table) -> sa.sql.Select:
    """The count and newest id of one conversation's events (bind ``sender_id``); built
    once per table, as compiling it again cost more than running it."""
    return sa.select(sa.func.count(), sa.func.max(events.c.id)).where(
        events.c.sender_id == sa.bindparam("sender_id")
    )


def read_stamp(session: Any, events: sa.Table, sender_id: str) -> Stamp:
    count, newest = session.execute(stamp_query(events), {"sender_id": sender_id}).one()
    return Stamp(int(count or 0), newest)


@dataclass
class Kept:
    """One conversation's tracker as the store would read it back, and the store's stamp."""

    tracker: DialogueStateTracker
    stamp: Stamp
    domain: Any  # the domain it was read with: a newly loaded model reads afresh
    version: int = 0


def copy_tracker(tracker: DialogueStateTracker) -> DialogueStateTracker:
    """A tracker that can be changed without changing ``tracker``.

    Events are shared: Rasa adds new ones and never changes old ones, except the latest
    user message (``DefinePrevUserUtteredFeaturization``, ``EntitiesAdded``), which is
    copied. Slots, the latest action and the active loop are the tracker's own state.
    """
    twin = state_copy(tracker, forget=[ORIGIN])
    twin.active_loop = copy.deepcopy(tracker.active_loop)
    latest = tracker.latest_message
    if latest is not None:
        twin.latest_message = copy.deepcopy(latest)
        for back in range(1, len(twin.events) + 1):
            if twin.events[-back] is latest:
                twin.events[-back] = twin.latest_message
                break
    return twin


class TrackerCache:
    """The kept trackers of one Rasa process, least recently used dropped first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._kept: OrderedDict[str, Kept] = OrderedDict()

    def __len__(self) -> int:
        return len(self._kept)

    def __contains__(self, sender_id: str) -> bool:
        return sender_id in self._kept

    def get(self, sender_id: str, stamp: Stamp, domain: Any) -> DialogueStateTracker | None:
        """A copy of the kept tracker if the store still holds what it held, else None."""
        kept = self._kept.get(sender_id)
        if kept is None:
            return None
        if kept.stamp != stamp or kept.domain is not domain:
            del self._kept[sender_id]
            return None
        self._kept.move_to_end(sender_id)
        return self._hand_out(kept)

    def keep(
        self, tracker: DialogueStateTracker, stamp: Stamp, domain: Any
    ) -> DialogueStateTracker:
        """Keep a tracker just read from the store; returns the copy to use for the turn."""
        if self.size <= 0:
            return tracker
        kept = Kept(copy_tracker(tracker), stamp, domain)
        self._kept[tracker.sender_id] = kept
        self._kept.move_to_end(tracker.sender_id)
        while len(self._kept) > self.size:
            self._kept.popitem(last=False)
        return self._hand_out(kept)

    def _hand_out(self, kept: Kept) -> DialogueStateTracker:
        twin = copy_tracker(kept.tracker)
        twin.__dict__[ORIGIN] = (kept, kept.version, len(kept.tracker.events))
        return twin

    def kept_origin(self, tracker: DialogueStateTracker, stamp: Stamp) -> int | None:
        """How many of ``tracker``'s events the store held when it was handed out, if it
        is a copy of the kept tracker that is still current and the store is unchanged."""
        origin = tracker.__dict__.get(ORIGIN)
        if origin is None:
            return None
        kept, version, length = origin
        current = self._kept.get(tracker.sender_id)
        if current is not kept or kept.version != version or kept.stamp != stamp:
            return None
        return length

    def written(
        self, sender_id: str, before: Stamp, after: Stamp, rows: list[dict[str, Any]]
    ) -> None:
        """The turn's rows are committed: bring the kept tracker up to date with them.

        ``before`` and ``after`` are the stamps read just before and after the insert, in
        the same transaction; unless ``after`` counts exactly the rows added to
        ``before``, someone else wrote too, and the tracker is dropped.
        """
        kept = self._kept.get(sender_id)
        if kept is None:
            return
        if kept.stamp != before or after.count != before.count + len(rows):
            self.drop(sender_id)
            return
        new_events = [Event.from_parameters(json.loads(row["data"])) for row in rows]
        if any(isinstance(event, SessionStarted) for event in new_events):
            # The store reads from the newest session start on: read that afresh.
            self.drop(sender_id)
            return
        for event in new_events:
            if event is not None:
                kept.tracker.update(event)
        kept.stamp = after
        kept.version += 1

    def drop(self, sender_id: str) -> None:
        self._kept.pop(sender_id, None)

    def clear(self) -> None:
        self._kept.clear()
