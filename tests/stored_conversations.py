"""Conversations written turn by turn through a tracker store, as Rasa's processor writes them.

Each turn is read with ``get_or_create_tracker`` (as ``MessageProcessor.get_tracker`` does),
given the turn's events and saved. The turns cover what changes how a tracker is read
back: a visitor's text the store redacts, slots, an active loop, a rewind, a restart and
a new session.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator

from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    BotUttered,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

DOMAIN = Domain.from_dict(
    {
        "intents": ["salary", "greeting", "pathway"],
        "entities": ["role"],
        "slots": {
            "subject": {"type": "text", "mappings": [], "influence_conversation": True},
            "pathway": {
                "type": "categorical",
                "values": ["law", "admin"],
                "mappings": [],
                "influence_conversation": True,
            },
        },
        "forms": {"pathway_form": {"required_slots": ["pathway"]}},
        "actions": ["action_answer_knowledge"],
    }
)

Turn = Callable[[Callable[[], float]], list[Event]]


def asked(text: str, intent: str, clock: Callable[[], float]) -> list[Event]:
    return [
        UserUttered(
            text,
            parse_data={
                "text": text,
                "intent": {"name": intent, "confidence": 0.9},
                "entities": [{"entity": "role", "value": text.split()[-1], "start": 0, "end": 1}],
            },
            timestamp=clock(),
        )
    ]


def question(text: str = "what does a crown prosecutor earn", intent: str = "salary") -> Turn:
    def turn(clock: Callable[[], float]) -> list[Event]:
        return [
            *asked(text, intent, clock),
            ActionExecuted("action_answer_knowledge", timestamp=clock()),
            BotUttered("They earn ...", {"custom": {"topic": intent}}, timestamp=clock()),
            SlotSet("subject", text, timestamp=clock()),
            ActionExecuted("action_listen", timestamp=clock()),
        ]

    return turn


def session_start(clock: Callable[[], float]) -> list[Event]:
    return [
        ActionExecuted("action_session_start", timestamp=clock()),
        SessionStarted(timestamp=clock()),
        SlotSet("subject", "carried over", timestamp=clock()),
        ActionExecuted("action_listen", timestamp=clock()),
    ]


def form(clock: Callable[[], float]) -> list[Event]:
    return [
        *asked("help me choose", "pathway", clock),
        ActionExecuted("pathway_form", timestamp=clock()),
        ActiveLoop("pathway_form", timestamp=clock()),
        BotUttered("Which area?", timestamp=clock()),
        ActionExecuted("action_listen", timestamp=clock()),
        *asked("law please", "pathway", clock),
        ActionExecuted("pathway_form", timestamp=clock()),
        SlotSet("pathway", "law", timestamp=clock()),
        ActiveLoop(None, timestamp=clock()),
        ActionExecuted("action_listen", timestamp=clock()),
    ]


def rewind(clock: Callable[[], float]) -> list[Event]:
    return [*asked("oops", "greeting", clock), UserUtteranceReverted(timestamp=clock())]


def restart(clock: Callable[[], float]) -> list[Event]:
    return [
        *asked("/restart", "greeting", clock),
        ActionExecuted("action_restart", timestamp=clock()),
        Restarted(timestamp=clock()),
        ActionExecuted("action_listen", timestamp=clock()),
    ]


# A visitor's contact details, which the store redacts before writing.
PERSONAL = question("my email is jo.bloggs@example.com, what does a paralegal earn", "salary")

TURNS: list[Turn] = [
    session_start,
    question(),
    PERSONAL,
    form,
    question("and what about a caseworker"),
    rewind,
    question("what about a paralegal"),
    restart,
    question("hello again"),
    session_start,
    PERSONAL,
    question("tell me about pupillage"),
]


def clock(start: float = 1_000_000.0) -> Callable[[], float]:
    ticks = itertools.count()
    return lambda: start + next(ticks) * 0.01


async def take_turn(store: TrackerStore, sender_id: str, turn: Turn, now: Callable[[], float]):
    tracker = await store.get_or_create_tracker(sender_id, append_action_listen=False)
    for event in turn(now):
        tracker.update(event)
    await store.save(tracker)


def state(tracker: DialogueStateTracker, domain: Domain = DOMAIN) -> dict:
    """Everything Rasa reads from a tracker: its events, state, and the policies' states."""
    return {
        "current": tracker.current_state(EventVerbosity.ALL),
        "applied": [event.as_dict() for event in tracker.applied_events()],
        "past_states": tracker.past_states(domain),
        "slots": {name: slot.value for name, slot in tracker.slots.items()},
        "latest_message": _without_time(tracker.latest_message),
        "latest_action": tracker.latest_action,
        "active_loop": tracker.active_loop,
        "followup_action": tracker.followup_action,
    }


def _without_time(message: UserUttered | None) -> dict | None:
    """The latest message; before any, Rasa makes an empty one stamped with the time now."""
    if message is None:
        return None
    data = message.as_dict()
    if message.text is None:
        data.pop("timestamp")
    return data


def turns(count: int) -> Iterator[Turn]:
    """``count`` turns from TURNS, in order, round again as often as needed."""
    return itertools.islice(itertools.cycle(TURNS), count)


def growing_tracker(count: int = 24) -> Iterator[DialogueStateTracker]:
    """One tracker, yielded after each event of ``count`` turns (no store involved)."""
    tracker = DialogueStateTracker("visitor", DOMAIN.slots)
    now = clock()
    for turn in turns(count):
        for event in turn(now):
            tracker.update(event)
            yield tracker
