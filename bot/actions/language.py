"""The language to answer a message in: the message's own, else the conversation's.

A message in Welsh is answered in Welsh and one in English in English, whatever came
before. A message that cannot tell ("ok", a name, a button) is answered in the language
the visitor chose in the widget, which sends it with every message as metadata
`{"lang": "cy"}` (and follows the conversation's language); without it, in the language
of the visitor's latest message that could tell; else in English.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.identify_language import detector, identify, vocabularies
from bot.actions.in_welsh import welsh_replies
from bot.knowledge.welsh import ENGLISH, LANGUAGES

LANG = "lang"  # the metadata key the widget and the REST body use
LOOK_BACK = 20  # the visitor's messages read back for the conversation's language

# Load the language models, the training vocabularies and the Welsh swaps when the action
# server starts, not on a visitor's first message (Rasa waits only ACTION_TIMEOUT for an
# action).
detector()
vocabularies()
welsh_replies()


def chosen(metadata: Any) -> str | None:
    """The language the visitor chose in the widget, if the message says one."""
    lang = metadata.get(LANG) if isinstance(metadata, dict) else None
    return lang if lang in LANGUAGES else None


def reply_language(tracker: Tracker) -> str:
    """The language to answer the latest message in ("en" or "cy")."""
    latest = tracker.latest_message or {}
    if _pressed_a_button(tracker, latest.get("text")):
        found = chosen(latest.get("metadata"))  # a button's payload is not the visitor's words
    else:
        found = _told(latest.get("text"), latest, latest.get("metadata"))
    if found:
        return found
    earlier = [event for event in tracker.events if event.get("event") == "user"]
    if earlier and earlier[-1].get("text") == latest.get("text"):
        earlier = earlier[:-1]  # the latest message itself
    for event in reversed(earlier[-LOOK_BACK:]):
        found = _told(event.get("text"), event.get("parse_data") or {}, event.get("metadata"))
        if found:
            return found
    return ENGLISH


def _pressed_a_button(tracker: Tracker, text: str | None) -> bool:
    """Is the message the payload of a button the assistant offered in its last reply?
    (The route finder's choices send their English title, whatever the title shown.)"""
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            buttons = (event.get("data") or {}).get("buttons") or []
            return any(button.get("payload") == text for button in buttons)
    return False


def _told(text: str | None, parsed: dict[str, Any], metadata: Any) -> str | None:
    """The language a message tells: its own, else the one chosen with it."""
    # Keyboard mash (the NLU found no words in it) has no language of its own.
    mash = (parsed.get("understanding") or {}).get("made_of_words") is False
    return (None if mash else identify(text or "")) or chosen(metadata)


Events = list[dict[str, Any]]


class VisitorAction(Action, ABC):
    """One of the assistant's actions, known to Rasa as ``action_name``: its replies are put
    in the visitor's language after it answers.

    The actions compose their replies from the knowledge file's English; here each turn's
    messages get the Welsh of every text when the visitor writes Welsh (bot.actions.in_welsh),
    and the turn's `custom` payload says which language its text is in.
    """

    action_name: ClassVar[str]

    def name(self) -> str:
        return self.action_name

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> Events:
        events = await self.respond(dispatcher, tracker)
        welsh_replies().render(dispatcher.messages, reply_language(tracker))
        return events

    @abstractmethod
    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> Events:
        """Send this turn's replies, in English; the events for the tracker."""
