"""Topic titles for recruiters: the knowledge file's entry titles, not topic ids."""

from __future__ import annotations

from bot.knowledge import load_knowledge

FALLBACK = "fallback"


def read_titles() -> None:
    """Read the knowledge file now (seconds: it is validated), not on a recruiter's page."""
    load_knowledge()


def topic_title(topic: str | None) -> str:
    """The title of ``topic`` in the knowledge file; a conversation reply ("thanks") or
    an id the file no longer has is said in words from its id."""
    if not topic:
        return ""
    if topic == FALLBACK:
        return "Not understood"
    entry = load_knowledge().get(topic)
    if entry is not None:
        return entry.title
    return topic.replace("-", " ").capitalize()
