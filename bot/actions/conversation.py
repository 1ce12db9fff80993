"""Greeting, goodbye, thanks, "are you a bot?", "what do you do with my data?", a human
contact route (with the offer to send the question to the recruitment team), out of scope.

The wording is in the knowledge file's `conversation` section; the topic id of
each reply is the intent's name, except for the privacy question, which is a question
about the assistant itself (`bot-identity`: the topics the answer contract allows). A
question about a job or help outside the CPS ("how do I become a magistrate?") is out of
scope, and its reply is the knowledge file's `elsewhere` pointer to the right place, with
that page as its source.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.context import latest_intent, mentioned_elsewhere
from bot.actions.fallback import suggest_topics
from bot.actions.finder_buttons import answer_old_choice
from bot.actions.handoff import handoff_button
from bot.actions.language import Events, VisitorAction
from bot.actions.replies import Reply, conversation_reply
from bot.knowledge import KnowledgeBase, Pointer, load_knowledge

OUT_OF_SCOPE = "out-of-scope"
PRIVACY = "privacy"
HUMAN = "human-handoff"
TOPICS = {PRIVACY: "bot-identity"}
# Replies that answer a question, which the visitor may rate (not a greeting or thanks).
ANSWERS = frozenset({"bot-identity", PRIVACY, "human-handoff"})

logger = logging.getLogger(__name__)


def privacy_notice_url(kb: KnowledgeBase, env: Mapping[str, str] | None = None) -> str | None:
    """Where the assistant's privacy notice is published (``PRIVACY_NOTICE_URL``, https only);
    otherwise the knowledge file's source for the privacy reply."""
    env = os.environ if env is None else env
    url = (env.get("PRIVACY_NOTICE_URL") or "").strip()
    if url.startswith("https://"):
        return url
    if url:
        logger.warning("PRIVACY_NOTICE_URL is not an https address; using the knowledge file's")
    return kb.conversation[PRIVACY].source


class ActionConverse(VisitorAction):
    action_name = "action_converse"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> Events:
        if answer_old_choice(dispatcher, tracker):
            return []
        kb = load_knowledge()
        intent = latest_intent(tracker)
        if intent not in kb.conversation:
            return suggest_topics(dispatcher, tracker)
        pointer = elsewhere_pointer(kb, tracker) if intent == OUT_OF_SCOPE else None
        if pointer is not None:
            reply = Reply(
                pointer.answer,
                OUT_OF_SCOPE,
                source=pointer.source,
                title=pointer.title,
                rateable=True,
            )
        else:
            reply = conversation_reply(kb, intent, topic=TOPICS.get(intent))
            reply.rateable = intent in ANSWERS
        if intent == PRIVACY:
            reply.source = privacy_notice_url(kb)
        if intent == HUMAN:
            reply.buttons = [handoff_button(kb, tracker)]
        reply.send(dispatcher, tracker)
        return []


def elsewhere_pointer(kb: KnowledgeBase, tracker: Tracker) -> Pointer | None:
    """The pointer to the job or help outside the CPS that the message names, if any."""
    pointers = {pointer.id: pointer for pointer in kb.elsewhere}
    for value in mentioned_elsewhere(tracker):
        if value in pointers:
            return pointers[value]
    return None
