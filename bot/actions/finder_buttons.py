"""The route finder's own buttons, pressed after the finder has finished.

Its choice buttons send their titles as text, so an old one ("Barrister", "2 years or
more") pressed once the run is over would be read as a new question and not understood.
The assistant knows its own buttons: a message that is the title of a choice it showed
earlier in this conversation gets an offer to start the finder again with that answer,
and the run that starts next takes it as the answer to that question.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.pathway_routes import pathway_of
from bot.actions.pathway_turns import button_value
from bot.actions.replies import PATHWAY_PAYLOAD, conversation_reply
from bot.actions.signposting import situations
from bot.actions.situation import words
from bot.knowledge import ROUTE_FINDER, KnowledgeBase, Pathway, load_knowledge

TOPIC = ROUTE_FINDER
FINDER_ANSWER_AGAIN = "finder-answer-again"
BUTTON_FIELD = "{button}"

Choice = tuple[str, str]  # (question, value)


def _typed(text: str) -> str:
    return " ".join(words(text))


def question_of(pathway: Pathway, titles: set[str]) -> str | None:
    """The finder's question whose buttons these are (its choices, and perhaps "Stop")."""
    for name, spec in pathway.questions.items():
        choices = {choice.title for choice in spec.choices}
        if titles & choices and titles <= choices | {pathway.stop}:
            return name
    return None


def offered(pathway: Pathway, event: dict[str, Any]) -> dict[str, Choice]:
    """{a choice's title as typed words: (question, value)} for the buttons of a bot event."""
    buttons = (event.get("data") or {}).get("buttons") or []
    titles = {str(b.get("title")) for b in buttons if isinstance(b, dict)}
    question = question_of(pathway, titles)
    if question is None:
        return {}
    return {
        _typed(title): (question, value)
        for title in titles
        if (value := button_value(pathway, question, title)) is not None
    }


def old_choice(kb: KnowledgeBase, tracker: Tracker) -> Choice | None:
    """The choice whose button the latest message pressed, when no finder is running."""
    text = tracker.latest_message.get("text") or ""
    if tracker.active_loop_name or not text or text.startswith("/") or situations(tracker):
        return None
    pathway = pathway_of(kb)
    shown: dict[str, Choice] = {}
    for event in tracker.events:
        if event.get("event") == "bot":
            shown.update(offered(pathway, event))
    return shown.get(_typed(text))


def answer_old_choice(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """Offer to start the finder again with the old button's answer; False if the
    message is not one of its buttons."""
    kb = load_knowledge()
    if old_choice(kb, tracker) is None:
        return False
    offer = pathway_of(kb).offer
    reply = conversation_reply(kb, FINDER_ANSWER_AGAIN, topic=TOPIC)
    reply.text = reply.text.replace(BUTTON_FIELD, offer.title)
    reply.buttons = [{"title": offer.title, "payload": PATHWAY_PAYLOAD}]
    reply.send(dispatcher, tracker)
    return True


def old_answers(kb: KnowledgeBase, events: Iterable[dict[str, Any]], boundaries: frozenset) -> dict:
    """{question: value} given with old buttons since the finder last started or ended:
    each message the assistant answered with its offer to start again."""
    pathway = pathway_of(kb)
    offer_starts = kb.conversation[FINDER_ANSWER_AGAIN].answer.split(BUTTON_FIELD)[0]
    shown: dict[str, Choice] = {}
    answers: dict[str, str] = {}
    pressed: Choice | None = None
    for event in events:
        kind = event.get("event")
        if kind == "action" and event.get("name") in boundaries:
            answers = {}
        elif kind == "user":
            pressed = shown.get(_typed(event.get("text") or ""))
        elif kind == "bot":
            if pressed and (event.get("text") or "").startswith(offer_starts):
                answers[pressed[0]] = pressed[1]
            pressed = None
            shown.update(offered(pathway, event))
    return answers
