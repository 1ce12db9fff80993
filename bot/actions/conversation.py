"""Greeting, goodbye, thanks, "are you a bot?", a human contact route, out of scope.

The wording is in the knowledge file's `conversation` section; the topic id of
each reply is the intent's name. A question about a job or help outside the CPS
("how do I become a magistrate?") is out of scope, and its reply is the knowledge
file's `elsewhere` pointer to the right place, with that page as its source.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.context import latest_intent, mentioned_elsewhere
from bot.actions.fallback import suggest_topics
from bot.actions.replies import Reply, conversation_reply
from bot.knowledge import KnowledgeBase, Pointer, load_knowledge

OUT_OF_SCOPE = "out-of-scope"


class ActionConverse(Action):
    def name(self) -> str:
        return "action_converse"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[dict[str, Any]]:
        kb = load_knowledge()
        intent = latest_intent(tracker)
        if intent not in kb.conversation:
            return suggest_topics(dispatcher, tracker)
        pointer = elsewhere_pointer(kb, tracker) if intent == OUT_OF_SCOPE else None
        if pointer is not None:
            reply = Reply(pointer.answer, OUT_OF_SCOPE, source=pointer.source, title=pointer.title)
        else:
            reply = conversation_reply(kb, intent)
        reply.send(dispatcher, tracker)
        return []


def elsewhere_pointer(kb: KnowledgeBase, tracker: Tracker) -> Pointer | None:
    """The pointer to the job or help outside the CPS that the message names, if any."""
    pointers = {pointer.id: pointer for pointer in kb.elsewhere}
    for value in mentioned_elsewhere(tracker):
        if value in pointers:
            return pointers[value]
    return None
