"""When the assistant is not confident: say so and offer the likeliest topics.

Candidates come from two places that fail differently: the classifier's own
ranking, and a lexical search of the knowledge file (spaCy lemmas and the
entries' visitor phrases). Their reciprocal-rank merge is offered as buttons.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.finder_buttons import answer_old_choice
from bot.actions.handoff import second_miss_in_a_row, send_offer
from bot.actions.language import Events, VisitorAction
from bot.actions.replies import fallback_reply
from bot.actions.signposting import understanding
from bot.knowledge import load_knowledge
from bot.language import PIPELINE_DIR
from bot.language.search import default_search, merge_rankings

MAX_SUGGESTIONS = 3
MIN_CLASSIFIER_CONFIDENCE = 0.05  # below this a guess is noise, not a suggestion

# Load the search's spaCy pipeline when the action server starts: loading it on the first
# unclear question takes seconds, longer than Rasa waits for an action (ACTION_TIMEOUT).
# `make run` builds the pipeline before it starts the action server; a test importing this
# module on a fresh clone may come first, and then the search loads on first use.
if (PIPELINE_DIR / "config.cfg").exists():
    default_search()


def classifier_ranking(tracker: Tracker) -> list[tuple]:
    kb = load_knowledge()
    return [
        (item["name"], item.get("confidence") or 0.0)
        for item in tracker.latest_message.get("intent_ranking") or []
        if item.get("name") in kb.entries
        and (item.get("confidence") or 0.0) >= MIN_CLASSIFIER_CONFIDENCE
    ]


def suggest_topics(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    kb = load_knowledge()
    text = tracker.latest_message.get("text") or ""
    if understanding(tracker).get("made_of_words") is False:
        text = ""  # keyboard mash: any topic it resembles would be noise, not a suggestion
    search_ranking = default_search().rank(text, limit=MAX_SUGGESTIONS) if text else []
    ranking = classifier_ranking(tracker)[:MAX_SUGGESTIONS] if text else []
    suggestions = merge_rankings(ranking, search_ranking, limit=MAX_SUGGESTIONS)
    fallback_reply(kb, suggestions).send(dispatcher, tracker)
    if second_miss_in_a_row(tracker):
        send_offer(dispatcher, kb, tracker)
    return []


class ActionSuggestTopics(VisitorAction):
    action_name = "action_suggest_topics"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> Events:
        if answer_old_choice(dispatcher, tracker):
            return []
        return suggest_topics(dispatcher, tracker)


class ActionDefaultFallback(ActionSuggestTopics):
    """Rasa's core fallback (no rule applied) answers the same way."""

    action_name = "action_default_fallback"
