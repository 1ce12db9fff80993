"""Build rasa-sdk trackers the way the Rasa server sends them."""

from collections.abc import Iterable

from rasa_sdk import Tracker


def make_tracker(
    intent: str,
    text: str = "",
    entities: Iterable[dict] = (),
    slots: dict | None = None,
    ranking: list | None = None,
) -> Tracker:
    return Tracker(
        sender_id="unit-test",
        slots=slots or {},
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 0.9},
            "intent_ranking": ranking or [],
            "entities": list(entities),
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def entity(kind: str, value: str) -> dict:
    return {"entity": kind, "value": value}
