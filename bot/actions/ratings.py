"""The ratings the widget may send, checked by the feedback action and by the channels,
which let only these through as a command. Kept apart from the action so the Rasa server
imports no more of the actions than this (not their language identification)."""

from __future__ import annotations

from bot.actions.replies import FALLBACK
from bot.knowledge import ROUTE_FINDER, KnowledgeBase
from bot.ratings import RATINGS


def valid_rating(kb: KnowledgeBase, rating: object, topic: object) -> bool:
    """A rating the feedback action records."""
    if not isinstance(topic, str) or rating not in RATINGS:
        return False
    if topic == ROUTE_FINDER:  # its recommendations are answers too
        return kb.pathway is not None
    return topic in kb.entries or topic in kb.conversation or topic == FALLBACK
