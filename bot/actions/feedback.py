"""Thumbs up or down from the widget, recorded in the conversation with its topic.

The widget sends `/feedback{"rating": "up", "rated_topic": "salary"}` for an answer
whose payload says `"rateable": true`, route-finder recommendations included; the
event stays in the tracker (and so in the conversation log), and the reply's topic is
the topic that was rated. A visitor who changes their mind sends a second rating for the
same answer: the console counts the last one only (web/console/conversations.py).
After "not helpful" the reply offers to send the question to the recruitment team.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.handoff import send_offer
from bot.actions.language import Events, VisitorAction
from bot.actions.ratings import valid_rating
from bot.actions.replies import FALLBACK, conversation_reply
from bot.knowledge import load_knowledge


class ActionRecordFeedback(VisitorAction):
    action_name = "action_record_feedback"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> Events:
        kb = load_knowledge()
        rating = next(tracker.get_latest_entity_values("rating"), None)
        topic = next(tracker.get_latest_entity_values("rated_topic"), None)
        if valid_rating(kb, rating, topic):
            reply = conversation_reply(kb, "feedback-thanks", topic=topic)
        else:
            reply = conversation_reply(kb, "feedback-invalid", topic=FALLBACK)
        reply.send(dispatcher, tracker)
        if rating == "down" and valid_rating(kb, rating, topic):
            send_offer(dispatcher, kb, tracker)
        return []
