"""What the visitor is talking about: entities in this message, else the slots."""

from __future__ import annotations

from rasa_sdk import Tracker

SUBJECT_KINDS = ("role", "scheme", "network", "benefit")
PLACE = "place"
ELSEWHERE = "elsewhere"  # a job or help outside the CPS (the knowledge file's pointers)


def _entity_values(tracker: Tracker, kinds: tuple) -> list[str]:
    values: list[str] = []
    for entity in tracker.latest_message.get("entities") or []:
        value = entity.get("value")
        if entity.get("entity") in kinds and isinstance(value, str) and value not in values:
            values.append(value)
    return values


def mentioned_subjects(tracker: Tracker) -> list[str]:
    """Knowledge entry ids of the roles, schemes, networks and benefits named in this message."""
    return _entity_values(tracker, SUBJECT_KINDS)


def mentioned_places(tracker: Tracker) -> list[str]:
    return _entity_values(tracker, (PLACE,))


def mentioned_elsewhere(tracker: Tracker) -> list[str]:
    """Ids of the knowledge file's `elsewhere` pointers named in this message."""
    return _entity_values(tracker, (ELSEWHERE,))


def latest_intent(tracker: Tracker) -> str:
    return (tracker.latest_message.get("intent") or {}).get("name") or ""


def ranked_intents(tracker: Tracker) -> list[tuple[str, float]]:
    """The classifier's intents for this message with their confidence, most likely first."""
    return [
        (i.get("name"), float(i.get("confidence") or 0.0))
        for i in tracker.latest_message.get("intent_ranking") or []
    ]
