"""The ratings the widget may send, checked by the feedback action and by the channels,
which let only these through as a command. Kept apart from the action so the Rasa server
imports no more of the actions than this (not their language identification)."""

from __future__ import annotations

from bot.actions.replies import FALLBACK
from bot.knowledge import KnowledgeBase
from bot.ratings import RATINGS

PATHWAY_FINDER = "pathway-finder"  # its recommendations are answers too


def valid_rating(kb: KnowledgeBase, rating: object, topic: object) -> bool:
    """A rating the feedback action records."""
    if not isinstance(topic, str) or rating not in RATINGS:
        return False
    if topic == PATHWAY_FINDER:
        return kb.pathway is not None
    return topic in kb.entries or topic in kb.conversation or topic == FALLBACK
