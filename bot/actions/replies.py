"""Compose replies that follow the answer contract (../shared/README.md).

Every reply to a visitor's message carries exactly one `custom` payload with
its `topic`; knowledge answers add `source` and `reviewed`, a fallback adds
`suggestions`, and a reply that gave the safety signposting first adds
`"safety": true`. An answer the visitor may rate (not a question of the route finder,
a "you're welcome" or a reply that did not understand) says so with `"rateable": true`.
All reply text comes from the knowledge file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.signposting import (
    SIGNPOSTING_TOPICS,
    needs_signposting,
    safety_lead,
    situations,
)
from bot.knowledge import Entry, KnowledgeBase, load_knowledge
from bot.knowledge.welsh import ENGLISH
from bot.privacy import needs_notice
from bot.privacy.names import find_names

# The check for personal details builds its name finder on first use, which takes seconds
# on a busy machine: build it when the action server starts, so the first visitor who
# writes a capital letter is not given the apology after ACTION_TIMEOUT.
find_names("my name is Warm Up")

FALLBACK = "fallback"
PERSONAL_DETAILS_REMOVED = "personal-details-removed"
MORE_PAYLOAD = "/tell-me-more"
TELL_ME_MORE = "tell-me-more"  # the label of the button that sends it
PATHWAY_PAYLOAD = "/pathway-finder"
HUMAN_PAYLOAD = "/human-handoff"
CONTACT_A_PERSON = "contact-a-person"  # the label of the button that sends it


@dataclass
class Reply:
    text: str
    topic: str
    source: str | None = None
    reviewed: str | None = None
    title: str | None = None
    subject: str | None = None
    suggestions: list[str] | None = None
    buttons: list[dict[str, str]] = field(default_factory=list)
    safety: bool | None = None  # the safety signposting went first
    rateable: bool = False  # an answer, which the widget asks the visitor to rate
    entry: str | None = None  # the knowledge entry the text comes from (not sent)

    def custom(self) -> dict[str, Any]:
        payload: dict[str, Any] = {"topic": self.topic}
        optional = {
            "source": self.source,
            "reviewed": self.reviewed,
            "title": self.title,
            "subject": self.subject,
            "suggestions": self.suggestions,
            "safety": self.safety,
            "rateable": self.rateable or None,
        }
        payload.update({key: value for key, value in optional.items() if value is not None})
        return payload

    def send(self, dispatcher: CollectingDispatcher, tracker: Tracker | None = None) -> None:
        """Send the reply, after what must come first, and before what may come after.

        First the safety signposting, to a message about danger, a crime or distress and
        on every signposting topic; then the reply; then, once per conversation, that
        personal details the visitor typed were removed. Only the reply carries the
        turn's custom payload.
        """
        found = situations(tracker)
        if needs_signposting(self.topic, found):
            lead = safety_lead(load_knowledge(), self.topic, found)
            if lead:
                dispatcher.utter_message(text=lead)
                self.safety = True
                self.rateable = False  # nobody describing a crime is asked to rate the reply
                if self.topic not in SIGNPOSTING_TOPICS:
                    # No careers buttons for someone describing a crime: the answer only.
                    self.buttons, self.suggestions = [], None
        dispatcher.utter_message(
            text=self.text, buttons=self.buttons or None, json_message=self.custom()
        )
        if tracker is None:
            return
        notice = load_knowledge().conversation[PERSONAL_DETAILS_REMOVED].answer
        earlier = [event.get("text") for event in tracker.events if event.get("event") == "bot"]
        if needs_notice(tracker.latest_message.get("text"), earlier, notice):
            dispatcher.utter_message(text=notice)


def topic_buttons(kb: KnowledgeBase, topic_ids: list[str]) -> list[dict[str, str]]:
    """Buttons that ask for each topic; the payload is the topic's intent."""
    return [
        {"title": kb.entries[topic_id].title, "payload": f"/{topic_id}"}
        for topic_id in topic_ids
        if topic_id in kb.entries
    ]


def contact_button(kb: KnowledgeBase) -> dict[str, str]:
    """The human route, as a button: how to reach a person at the CPS."""
    return {"title": kb.label(CONTACT_A_PERSON, ENGLISH).text, "payload": HUMAN_PAYLOAD}


def offer_button(kb: KnowledgeBase, entry_id: str) -> dict[str, str] | None:
    """The button that starts the pathway finder, on the answers the knowledge file lists."""
    if kb.pathway is None or entry_id not in kb.pathway.offer.entries:
        return None
    return {"title": kb.pathway.offer.title, "payload": PATHWAY_PAYLOAD}


def entry_buttons(kb: KnowledgeBase, entry: Entry, offer_more: bool = True) -> list[dict[str, str]]:
    buttons = []
    if offer_more and entry.detail:
        buttons.append({"title": kb.label(TELL_ME_MORE, ENGLISH).text, "payload": MORE_PAYLOAD})
    offer = offer_button(kb, entry.id)
    if offer:
        buttons.append(offer)
    return buttons + topic_buttons(kb, entry.related)


def knowledge_reply(
    kb: KnowledgeBase,
    entry: Entry,
    text: str | None = None,
    *,
    topic: str | None = None,
    source: str | None = None,
    subject: str | None = None,
    offer_more: bool = True,
) -> Reply:
    """A reply drawn from `entry`: its answer unless `text` (a pay or apply answer) is given."""
    return Reply(
        text=text or entry.answer,
        topic=topic or entry.id,
        source=source or entry.source,
        reviewed=entry.reviewed.isoformat(),
        title=entry.title,
        subject=subject,
        buttons=entry_buttons(kb, entry, offer_more=offer_more and text is None),
        rateable=True,
        entry=entry.id,
    )


def conversation_reply(kb: KnowledgeBase, key: str, topic: str | None = None) -> Reply:
    """A reply from the knowledge file's `conversation` section (greeting, thanks, ...)."""
    item = kb.conversation[key]
    return Reply(
        text=item.answer,
        topic=topic or key,
        source=item.source,
        buttons=topic_buttons(kb, list(getattr(item, "related", None) or [])),
    )


def fallback_reply(kb: KnowledgeBase, suggestions: list[str]) -> Reply:
    """The reply to a question not understood: the topics it resembles as buttons, if any."""
    if suggestions:
        reply = conversation_reply(kb, "fallback", topic=FALLBACK)
        reply.buttons = topic_buttons(kb, suggestions)
    else:
        reply = conversation_reply(kb, "fallback-no-suggestions", topic=FALLBACK)
    reply.suggestions = suggestions
    return reply
