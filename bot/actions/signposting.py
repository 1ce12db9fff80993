"""Safety first: the signposting that leads a reply to anyone in danger or distress.

The NLU (bot.language.understanding) marks a message that suggests danger, abuse, a
crime or distress with the situations it found. Such a message, and any reply on a
signposting topic, starts with the knowledge file's `safety` signposting: 999 when in
danger, the police on 101, Victim Support; the Victims' Right to Review when a decision
not to charge is challenged; Samaritans when someone may harm themselves. Then comes
the answer, with `"safety": true` in its topic payload.
"""

from __future__ import annotations

from rasa_sdk import Tracker

from bot.knowledge import KnowledgeBase
from bot.language.safety import (
    CASE_ENQUIRY,
    CHARGING,
    DECISION,
    DISTRESS,
    SIGNPOSTING_TOPICS,
    UNSURE,
)


def understanding(tracker: Tracker | None) -> dict:
    """What the NLU's checks found in the latest message (bot.language.understanding)."""
    if tracker is None:
        return {}
    found = tracker.latest_message.get("understanding")
    return found if isinstance(found, dict) else {}


def situations(tracker: Tracker | None) -> list[str]:
    """The danger, crime, distress, victim or decision situations of the latest message
    ("unsure" for a message about the visitor that was not understood)."""
    found = understanding(tracker).get("safety")
    return [str(s) for s in found] if isinstance(found, list) else []


def needs_signposting(topic: str, found: list[str]) -> bool:
    return bool(found) or topic in SIGNPOSTING_TOPICS


def safety_lead(kb: KnowledgeBase, topic: str, found: list[str]) -> str | None:
    """The signposting that goes first, or None if the knowledge file has none."""
    safety = kb.safety
    if safety is None:
        return None
    parts = [safety.emergency.answer]
    if DISTRESS in found or UNSURE in found:
        parts.append(safety.distress.answer)
    parts.append(safety.support.answer)
    if DECISION in found or CHARGING in found or topic == CASE_ENQUIRY:
        parts.append(safety.review.answer)
    return " ".join(parts)
