"""The pathway finder: a Rasa form that recommends a route into a legal career.

It starts on the `pathway-finder` intent ("which route would suit me? I'm a paralegal")
or the offer button of a routes answer; a visitor who only describes themselves
(`describe-situation`: "I'm a barrister, eight years in crime") is offered it first.
The logic is pure Python beside this module; this one connects it to Rasa:

- `bot.actions.situation` reads what visitors say about themselves;
- `bot.actions.pathway_turns` decides what each message does to the answers;
- `bot.actions.pathway_routes` decides which questions are needed and which routes fit.

How a run goes:

- At the start, everything the visitor has said since the last run is read, the
  answers it gives are filled, and the first question says in one line what was
  understood ("You're a solicitor with about four years of criminal practice").
  Only what is missing is asked, one question at a time, with buttons.
- Every reply is read from the visitor's own words (buttons send their titles as
  text). What a reply says about the person fills other questions too, or corrects
  an earlier answer ("no, I'm a barrister").
- A question about something else ("what does it pay?") is not a reply: the form
  rejects the turn, a rule answers it and resumes the form. A message about danger
  (a signposting topic) is answered first in the same way, unless it is a plain reply
  that the classifier only doubtfully took for one ("none in crime yet").
- A question is asked at most twice; then the finder goes on as "not sure" and says so.
- Every answer, including the right to work, is cleared when the form ends.

Each turn carries exactly one `custom` payload (the answer contract): topic
`pathway-finder`, unless a side answer in the same turn already carried its own.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.context import latest_intent
from bot.actions.finder_buttons import answer_old_choice, old_answers
from bot.actions.language import Events, VisitorAction
from bot.actions.pathway_routes import (
    QUESTIONS,
    pathway_of,
    recommend,
    recommendation_text,
    summary_line,
)
from bot.actions.pathway_turns import SKIPPED, UNDERSTOOD, State, Turn, resume, start, take_message
from bot.actions.replies import conversation_reply
from bot.actions.signposting import situations
from bot.actions.situation import looks_like_question, read_answer
from bot.knowledge import ROUTE_FINDER, KnowledgeBase, load_knowledge
from bot.language.safety import SIGNPOSTING_TOPICS, UNSURE

FORM = "pathway_form"
TOPIC = ROUTE_FINDER
DESCRIBE = "describe-situation"
START_AGAIN = "start-again"
REQUESTED_SLOT = "requested_slot"
SLOTS = {question: f"pathway_{question}" for question in QUESTIONS}
QUESTION_OF = {slot: question for question, slot in SLOTS.items()}
YEARS_SLOT = "pathway_years"  # years of criminal practice, for the summary
RETRY_SLOT = "pathway_retry"  # the question asked again after a reply it could not use
ASKED_SLOT = "pathway_asked"  # every question asked in this run, once per asking
NOTES_SLOT = "pathway_notes"  # what to say before the next question
START_PAYLOAD = f"/{TOPIC}"
START_AGAIN_PAYLOAD = f"/{START_AGAIN}"
STOP_PAYLOAD = "/stop"
DENY_PAYLOAD = "/deny"

# Intents that control the pathway finder itself; rules handle them at any point.
CONTROL_INTENTS = frozenset({"stop", START_AGAIN, TOPIC, "goodbye"})
# Topics that signpost people to help: answered first, even in the middle, unless the
# classifier is unsure and the message is a plain reply ("none in crime yet").
SIGNPOSTING = frozenset(SIGNPOSTING_TOPICS)
SIGNPOSTING_SURE = 0.8
# Conversation intents answered in the middle of the form, which then carries on.
SIDE_CONVERSATION_INTENTS = frozenset(
    {
        "tell-me-more",
        "what-about",
        "greeting",
        "thanks",
        "bot-identity",
        "privacy",
        "human-handoff",
        "feedback",
    }
)
# Intents whose messages the form reads as replies, whatever the classifier thought.
REPLY_INTENTS = frozenset({"nlu_fallback", "out-of-scope", DESCRIBE, "affirm", "deny"})
# Where the finder's memory starts afresh: the end or the start of a run.
RUN_BOUNDARIES = frozenset(
    {"action_pathway_recommend", "action_pathway_stop", "action_pathway_start"}
)
# Actions that run between a visitor's message and the form when it is a reply.
_ANSWER_PATH = frozenset({"action_listen", "action_extract_slots", FORM, f"validate_{FORM}"})


def side_intents(kb: KnowledgeBase) -> frozenset[str]:
    """Intents that ask something else: answered, then the form asks its question again."""
    return frozenset(kb.entries) | SIDE_CONVERSATION_INTENTS


def answers_from(tracker: Tracker) -> dict[str, str | None]:
    return {question: tracker.get_slot(slot) for question, slot in SLOTS.items()}


def state_from(tracker: Tracker) -> State:
    return State(
        answers=answers_from(tracker),
        years=tracker.get_slot(YEARS_SLOT),
        asked=tuple(tracker.get_slot(ASKED_SLOT) or ()),
        retry=QUESTION_OF.get(tracker.get_slot(RETRY_SLOT) or ""),
    )


def cleared_answers() -> list[dict[str, Any]]:
    """Forget every answer: the right to work is never kept beyond the pathway finder."""
    return [SlotSet(slot, None) for slot in SLOTS.values()] + [
        SlotSet(slot, None) for slot in (YEARS_SLOT, RETRY_SLOT, ASKED_SLOT, NOTES_SLOT)
    ]


def is_fresh_answer(tracker: Tracker) -> bool:
    """True if the latest message reached the form straight away.

    False when the form resumes after a side answer, a restart or at activation:
    then the latest message was something else and must not be read as a reply.
    """
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return True
        if event.get("event") == "action" and event.get("name") not in _ANSWER_PATH:
            return False
    return False


def topic_sent_this_turn(tracker: Tracker) -> bool:
    """Has a message with a topic payload already gone out for the latest visitor message?"""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        custom = (event.get("data") or {}).get("custom") if event.get("event") == "bot" else None
        if isinstance(custom, dict) and custom.get("topic"):
            return True
    return False


def messages_since_last_run(tracker: Tracker) -> list[tuple[str, bool]]:
    """The visitor's messages since the pathway finder last started or ended, oldest
    first, each with whether it was about them (a route request or a description)."""
    messages: list[tuple[str, bool]] = []
    for event in tracker.events:
        if event.get("event") == "action" and event.get("name") in RUN_BOUNDARIES:
            messages = []
        elif event.get("event") == "user":
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            messages.append((event.get("text") or "", intent in (TOPIC, DESCRIBE)))
    return messages


def send(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    text: str,
    buttons: list[dict[str, str]],
    **custom: Any,
) -> None:
    """One message; its topic payload is left off if this turn already has one."""
    payload = None if topic_sent_this_turn(tracker) else {"topic": TOPIC, **custom}
    dispatcher.utter_message(text=text, buttons=buttons or None, json_message=payload)


def turn_events(turn: Turn) -> list[dict[str, Any]]:
    """The slots a turn sets, and the question to ask next (None: recommend)."""
    events = [SlotSet(SLOTS[q], turn.answers.get(q)) for q in QUESTIONS]
    events += [
        SlotSet(YEARS_SLOT, turn.years),
        SlotSet(RETRY_SLOT, SLOTS[turn.retry] if turn.retry else None),
        SlotSet(NOTES_SLOT, turn.notes or None),
        SlotSet(REQUESTED_SLOT, SLOTS[turn.next] if turn.next else None),
    ]
    return events


def is_reply(kb: KnowledgeBase, tracker: Tracker, question: str, text: str) -> bool:
    """Can the message be a reply at all? Not a command, nor an intent the form does
    not know, nor a call for help; `take_message` then tells replies from side questions."""
    if set(situations(tracker)) - {UNSURE}:
        # The safety checks found danger, a crime or distress: signposting comes first,
        # even when the message also reads as a reply ("I'm a paralegal and he threatens me").
        # A message that was merely not understood may still be a typed answer.
        return False
    intent = latest_intent(tracker)
    if intent == TOPIC:
        # Only a question ("which route is right for me?") starts the finder again:
        # "I'm a trainee solicitor" or "either way" can sound like one, and are replies.
        return not looks_like_question(text)
    if intent in SIGNPOSTING:
        confidence = (tracker.latest_message.get("intent") or {}).get("confidence") or 0.0
        unsure = confidence < SIGNPOSTING_SURE
        return unsure and read_answer(pathway_of(kb), question, text) is not None
    return intent not in CONTROL_INTENTS and intent in side_intents(kb) | REPLY_INTENTS


class ValidatePathwayForm(VisitorAction):
    """Reads each message the form gets, and decides which question comes next."""

    action_name = f"validate_{FORM}"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> Events:
        kb = load_knowledge()
        pathway = pathway_of(kb)
        requested = tracker.get_slot(REQUESTED_SLOT)
        question = QUESTION_OF.get(requested or "")
        state = state_from(tracker)
        if question is None or not is_fresh_answer(tracker):
            text = tracker.latest_message.get("text") or ""
            return turn_events(resume(pathway, state, question, "" if question is None else text))
        text = tracker.latest_message.get("text") or ""
        if not is_reply(kb, tracker, question, text):
            # Rasa rejects the form, and a rule takes the turn.
            return [SlotSet(REQUESTED_SLOT, requested)]
        side = latest_intent(tracker) in side_intents(kb)
        turn = take_message(pathway, state, question, text, side_topic=side)
        if turn is None:
            return [SlotSet(REQUESTED_SLOT, requested)]
        return turn_events(turn)


class AskPathwayQuestion(VisitorAction):
    """Asks one question with a button per choice; first, what was understood."""

    question = "stage"

    def name(self) -> str:
        return f"action_ask_{SLOTS[self.question]}"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> Events:
        pathway = pathway_of(load_knowledge())
        spec = pathway.questions[self.question]
        state = state_from(tracker)
        notes = tracker.get_slot(NOTES_SLOT) or []
        again = state.retry == self.question
        starting = not state.asked
        paragraphs = []
        if starting and not topic_sent_this_turn(tracker):
            paragraphs.append(pathway.intro)
        said = []
        if SKIPPED in notes:
            said.append(pathway.skipped)
        understood = summary_line(pathway, state.answers, state.years)
        if understood and (starting or UNDERSTOOD in notes):
            said += [understood, pathway.correct_me]
        if said:
            paragraphs.append(" ".join(said))
        paragraphs.append(spec.rephrase if again else spec.ask)
        buttons = [{"title": choice.title, "payload": choice.title} for choice in spec.choices]
        if again:
            buttons.append({"title": pathway.stop, "payload": STOP_PAYLOAD})
        send(dispatcher, tracker, "\n\n".join(paragraphs), buttons, question=self.question)
        return [SlotSet(ASKED_SLOT, [*state.asked, self.question]), SlotSet(NOTES_SLOT, None)]


def ask_action(question: str) -> type[AskPathwayQuestion]:
    """The form's ask-action for one more question (Rasa calls action_ask_<its slot>)."""
    name = "AskPathway" + question.title().replace("_", "")
    return type(name, (AskPathwayQuestion,), {"question": question, "__module__": __name__})


# rasa_sdk registers every Action subclass it finds, these among them.
AskPathwayCourse = ask_action("course")
AskPathwayProfession = ask_action("profession")
AskPathwayExperience = ask_action("experience")
AskPathwayAdvocacy = ask_action("advocacy")
AskPathwayAtCps = ask_action("at_cps")
AskPathwayRightToWork = ask_action("right_to_work")


class ActionPathwayRecommend(VisitorAction):
    """The routes, best first, each with its reason, source and a button for more."""

    action_name = "action_pathway_recommend"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> Events:
        kb = load_knowledge()
        pathway = pathway_of(kb)
        state = state_from(tracker)
        recommendation = recommend(kb, state.answers)
        understood = summary_line(pathway, state.answers, state.years)
        text = recommendation_text(kb, recommendation, understood)
        if SKIPPED in (tracker.get_slot(NOTES_SLOT) or []):
            text = f"{pathway.skipped}\n\n{text}"
        more = list(recommendation.route_ids)
        if recommendation.check_eligibility and "eligibility-nationality" not in more:
            more.append("eligibility-nationality")
        buttons = [{"title": kb.entries[r].title, "payload": f"/{r}"} for r in more]
        buttons.append({"title": pathway.start_again, "payload": START_AGAIN_PAYLOAD})
        # The recommendation is an answer: the visitor may rate it, once.
        send(dispatcher, tracker, text, buttons, routes=recommendation.route_ids, rateable=True)
        return cleared_answers()


class ActionPathwayStart(VisitorAction):
    """Starts (or restarts) a run: forgets the last one, and fills in what the visitor
    has already said about themselves since then. Sends nothing: the form asks."""

    action_name = "action_pathway_start"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> Events:
        kb = load_knowledge()
        pathway = pathway_of(kb)
        pressed: dict[str, str] = {}
        if latest_intent(tracker) == START_AGAIN:
            # Starting again means new answers: only this message counts.
            messages = [(tracker.latest_message.get("text") or "", True)]
        else:
            messages = messages_since_last_run(tracker)
            # Buttons of an earlier run pressed since, which the visitor chose to start with.
            pressed = old_answers(kb, tracker.events, RUN_BOUNDARIES)
        told = start(pathway, messages)
        answers = {**told.answers, **pressed}
        filled = [SlotSet(SLOTS[q], value) for q, value in answers.items()]
        said = [SlotSet(YEARS_SLOT, told.years), SlotSet(REQUESTED_SLOT, None)]
        return cleared_answers() + filled + said


class ActionPathwayOffer(VisitorAction):
    """To a visitor who described themselves: what was understood, and an offer to
    find their route."""

    action_name = "action_pathway_offer"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> Events:
        if answer_old_choice(dispatcher, tracker):
            return []
        pathway = pathway_of(load_knowledge())
        told = start(pathway, messages_since_last_run(tracker))
        understood = summary_line(pathway, told.answers, told.years)
        text = f"{understood} {pathway.offer.ask}" if understood else pathway.offer.ask
        buttons = [
            {"title": pathway.offer.title, "payload": START_PAYLOAD},
            {"title": pathway.offer.no_thanks, "payload": DENY_PAYLOAD},
        ]
        send(dispatcher, tracker, text, buttons)
        return []


class ActionPathwayDecline(VisitorAction):
    """The visitor turned the offer down: fine, and the button stays within reach."""

    action_name = "action_pathway_decline"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> Events:
        offer = pathway_of(load_knowledge()).offer
        start_button = {"title": offer.title, "payload": START_PAYLOAD}
        send(dispatcher, tracker, offer.declined, [start_button])
        return []


class ActionPathwayStop(VisitorAction):
    """'Stop', 'cancel' (or goodbye) part way through: end the form and forget the answers."""

    action_name = "action_pathway_stop"

    async def respond(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> Events:
        kb = load_knowledge()
        pathway = pathway_of(kb)
        running = tracker.active_loop_name == FORM
        if latest_intent(tracker) == "goodbye":
            conversation_reply(kb, "goodbye").send(dispatcher)
        elif running:
            start_again = {"title": pathway.start_again, "payload": START_AGAIN_PAYLOAD}
            send(dispatcher, tracker, pathway.cancelled, [start_again])
        else:
            offer = {"title": pathway.offer.title, "payload": START_PAYLOAD}
            send(dispatcher, tracker, pathway.nothing_to_stop, [offer])
        # Always: the rules say this action leaves no active loop.
        return cleared_answers() + [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None)]
