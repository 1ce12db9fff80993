"""Trackers for the pathway finder's unit tests, shaped as the Rasa server sends them."""

from __future__ import annotations

from collections.abc import Iterable

from rasa_sdk import Tracker

from bot.actions.pathway import FORM


def user_event(text: str, intent: str = "nlu_fallback", confidence: float = 0.9) -> dict:
    parse = {
        "text": text,
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": [{"name": intent, "confidence": confidence}],
        "entities": [],
    }
    return {"event": "user", "text": text, "parse_data": parse}


def action_event(name: str) -> dict:
    return {"event": "action", "name": name}


def form_tracker(
    text: str,
    intent: str = "nlu_fallback",
    requested: str | None = "pathway_stage",
    slots: dict | None = None,
    *,
    after: str = "action_extract_slots",
    bot_events: Iterable[dict] = (),
    active: bool = True,
    confidence: float = 0.9,
    history: Iterable[dict] = (),
) -> Tracker:
    """The tracker a form action sends to validate_pathway_form or an ask action.

    `after` is the last action before the form: `action_extract_slots` when the
    message goes straight to the form, another action (a side answer, a start)
    when the form resumes or starts. `history` are the events before this message.
    """
    latest = user_event(text, intent, confidence)
    events = [
        *history,
        action_event("action_listen"),
        latest,
        action_event(after),
        *bot_events,
        {"event": "slot", "name": "requested_slot", "value": requested},
        action_event(FORM),
    ]
    return Tracker(
        sender_id="pathway-unit-test",
        slots={**(slots or {}), "requested_slot": requested},
        latest_message=latest["parse_data"],
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": FORM} if active else {},
        latest_action_name=FORM,
    )


def slot_events(events: list[dict]) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
