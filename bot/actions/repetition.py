"""Not the same answer twice: when the best answer was already given, say what more there is.

Three questions about adjustments in a row deserve better than one paragraph three
times. If the answer's text was already sent in this conversation, the visitor gets the
entry's detail (if they have not had it yet), else a short note that this is what was
said above, with the related topics and the human route as buttons. Safety signposting is
never held back: it is said every time it is needed.
"""

from __future__ import annotations

from rasa_sdk import Tracker

from bot.actions.replies import Reply, contact_button, knowledge_reply, topic_buttons
from bot.actions.signposting import SIGNPOSTING_TOPICS, situations
from bot.knowledge import KnowledgeBase

REPEAT_MORE = "repeat-more"
REPEAT_NOTHING_MORE = "repeat-nothing-more"


def said_in_session(tracker: Tracker) -> set[str]:
    """Every text the assistant has sent since this conversation session started."""
    said: set[str] = set()
    for event in tracker.events:
        if event.get("event") == "session_started":
            said = set()
        elif event.get("event") == "bot" and event.get("text"):
            said.add(event["text"])
    return said


def was_said(text: str, said: set[str]) -> bool:
    """Was `text` sent, alone or as part of a message ("here is more detail: ...")?"""
    return any(text in message for message in said)


def without_repetition(kb: KnowledgeBase, reply: Reply, tracker: Tracker) -> Reply:
    """`reply`, or what more there is when its text was already sent."""
    if reply.topic in SIGNPOSTING_TOPICS or situations(tracker):
        return reply
    entry = kb.entries.get(reply.entry or "")
    said = said_in_session(tracker)
    if entry is None or not was_said(reply.text, said):
        return reply
    if entry.detail and not was_said(entry.detail, said):
        lead = kb.conversation[REPEAT_MORE].answer
        more = knowledge_reply(
            kb, entry, f"{lead}\n\n{entry.detail}", topic=reply.topic, subject=reply.subject
        )
        more.buttons.append(contact_button(kb))
        return more
    note = kb.conversation[REPEAT_NOTHING_MORE].answer.replace("{subject}", entry.title)
    nothing_more = knowledge_reply(
        kb, entry, note, topic=reply.topic, source=reply.source, subject=reply.subject
    )
    nothing_more.title = reply.title
    nothing_more.buttons = topic_buttons(kb, entry.related) + [contact_button(kb)]
    nothing_more.rateable = False  # nothing new was said
    return nothing_more
