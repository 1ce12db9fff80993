"""Greeting, goodbye, thanks, "are you a bot?", a human contact route, out of scope.

The wording is in the knowledge file's `conversation` section; the topic id of
each reply is the intent's name.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.context import latest_intent
from bot.actions.fallback import suggest_topics
from bot.actions.replies import conversation_reply
from bot.knowledge import load_knowledge


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
        conversation_reply(kb, intent).send(dispatcher, tracker)
        return []
