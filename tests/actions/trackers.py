"""Build rasa-sdk trackers the way the Rasa server sends them."""

from collections.abc import Iterable

from rasa_sdk import Tracker


def make_tracker(
    intent: str,
    text: str = "",
    entities: Iterable[dict] = (),
    slots: dict | None = None,
    ranking: list | None = None,
    understanding: dict | None = None,
) -> Tracker:
    latest_message = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "intent_ranking": ranking or [],
        "entities": list(entities),
    }
    if understanding is not None:
        latest_message["understanding"] = understanding  # what the NLU's checks found
    return Tracker(
        sender_id="unit-test",
        slots=slots or {},
        latest_message=latest_message,
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def entity(kind: str, value: str) -> dict:
    return {"entity": kind, "value": value}
