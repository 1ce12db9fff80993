"""Trackers for the pathway finder's unit tests, shaped as the Rasa server sends them."""

from __future__ import annotations

from collections.abc import Iterable

from rasa_sdk import Tracker

from bot.actions.pathway import FORM


def form_tracker(
    text: str,
    intent: str = "nlu_fallback",
    requested: str | None = "pathway_stage",
    slots: dict | None = None,
    *,
    after: str = "action_extract_slots",
    bot_events: Iterable[dict] = (),
    active: bool = True,
) -> Tracker:
    """The tracker a form action sends to validate_pathway_form or an ask action.

    `after` is the last action before the form: `action_extract_slots` when the
    message goes straight to the form, another action (a side answer, a reset)
    when the form resumes.
    """
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "intent_ranking": [{"name": intent, "confidence": 0.9}],
        "entities": [],
    }
    events = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": text, "parse_data": latest},
        {"event": "action", "name": after},
        *bot_events,
        {"event": "slot", "name": "requested_slot", "value": requested},
        {"event": "action", "name": FORM},
    ]
    return Tracker(
        sender_id="pathway-unit-test",
        slots={**(slots or {}), "requested_slot": requested},
        latest_message=latest,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": FORM} if active else {},
        latest_action_name=FORM,
    )


def slot_events(events: list[dict]) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
