"""The pathway finder: a Rasa form that recommends a route into a legal career.

It starts on the `pathway-finder` intent ("which route is right for me?") or the
offer button of a routes answer, asks only the questions a visitor's stage needs
(`bot.actions.pathway_routes.required_questions`), one at a time with buttons,
and ends with one to three routes from the knowledge file.

- Every answer is read from the visitor's own words (buttons send their titles as
  text), so "i'm doing the sqe" and a click on "Taking or passed the LPC, SQE or
  Bar course" are understood the same way.
- A side question ("what does it pay?") is not an answer: the form rejects the
  turn, a rule answers it and resumes the form, which asks the same question again.
- An answer that is not understood gets the question once more, rephrased; a
  second one takes the question's default (for the stage: the main routes).
- Every answer, including the right to work, is cleared when the form ends.

Each turn carries exactly one `custom` payload (the answer contract): topic
`pathway-finder`, unless a side answer in the same turn already carried its own.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.actions.context import latest_intent
from bot.actions.pathway_routes import (
    QUESTIONS,
    UNKNOWN,
    extras_from_stage,
    recommend,
    recommendation_text,
    required_questions,
    understand,
)
from bot.actions.replies import conversation_reply
from bot.knowledge import KnowledgeBase, Pathway, load_knowledge

FORM = "pathway_form"
TOPIC = "pathway-finder"
REQUESTED_SLOT = "requested_slot"
RETRY_SLOT = "pathway_retry"  # the question already asked again after a misunderstood answer
SLOTS = {question: f"pathway_{question}" for question in QUESTIONS}
START_PAYLOAD = f"/{TOPIC}"
START_AGAIN_PAYLOAD = "/start-again"
STOP_PAYLOAD = "/stop"

# Intents that control the pathway finder itself; rules handle them at any point.
CONTROL_INTENTS = frozenset({"stop", "start-again", TOPIC, "goodbye"})
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
# Actions that run between a visitor's message and the form when it is an answer.
_ANSWER_PATH = frozenset({"action_listen", "action_extract_slots", FORM, f"validate_{FORM}"})
_QUESTION_WORDS = frozenset(
    "what how why when where which who whats hows can could do does did is are will would "
    "should tell".split()
)


def side_intents(kb: KnowledgeBase) -> frozenset[str]:
    """Intents that ask something else: answered, then the form asks its question again."""
    return frozenset(kb.entries) | SIDE_CONVERSATION_INTENTS


def _pathway(kb: KnowledgeBase) -> Pathway:
    if kb.pathway is None:
        raise LookupError(f"{kb.path.name} has no `pathway` section")
    return kb.pathway


def answers_from(tracker: Tracker) -> dict[str, str | None]:
    return {question: tracker.get_slot(slot) for question, slot in SLOTS.items()}


def cleared_answers() -> list[dict[str, Any]]:
    """Forget every answer: the right to work is never kept beyond the pathway finder."""
    return [SlotSet(slot, None) for slot in SLOTS.values()] + [SlotSet(RETRY_SLOT, None)]


def is_fresh_answer(tracker: Tracker) -> bool:
    """True if the latest message reached the form straight away.

    False when the form resumes after a side answer, a restart or at activation:
    then the latest message was something else and must not be read as an answer.
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


def looks_like_question(text: str) -> bool:
    first = text.strip().lower().split(maxsplit=1)
    return text.strip().endswith("?") or bool(first and first[0] in _QUESTION_WORDS)


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


class ValidatePathwayForm(FormValidationAction):
    """Reads each answer, decides which questions are still needed, and asks once more."""

    def name(self) -> str:
        return f"validate_{FORM}"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        return [SLOTS[question] for question in required_questions(answers_from(tracker))]

    # -- extraction: is the latest message an answer to the question asked?

    def extract(self, question: str, tracker: Tracker) -> dict[str, Any]:
        slot = SLOTS[question]
        if tracker.get_slot(REQUESTED_SLOT) != slot or not is_fresh_answer(tracker):
            return {}
        kb = load_knowledge()
        text = tracker.latest_message.get("text") or ""
        intent = latest_intent(tracker)
        side = intent in side_intents(kb)
        value = understand(_pathway(kb), question, text)
        if value is not None and not (side and looks_like_question(text)):
            found = {slot: value}
            if question == "stage":
                extras = extras_from_stage(_pathway(kb), value, text)
                found.update({SLOTS[q]: v for q, v in extras.items()})
            return found
        if side or intent in CONTROL_INTENTS:
            return {}  # not an answer: the form is rejected and a rule takes the turn
        return {slot: text}  # an answer that was not understood: see validate()

    async def extract_pathway_stage(self, dispatcher, tracker, domain) -> dict[str, Any]:
        return self.extract("stage", tracker)

    async def extract_pathway_course(self, dispatcher, tracker, domain) -> dict[str, Any]:
        return self.extract("course", tracker)

    async def extract_pathway_profession(self, dispatcher, tracker, domain) -> dict[str, Any]:
        return self.extract("profession", tracker)

    async def extract_pathway_experience(self, dispatcher, tracker, domain) -> dict[str, Any]:
        return self.extract("experience", tracker)

    async def extract_pathway_advocacy(self, dispatcher, tracker, domain) -> dict[str, Any]:
        return self.extract("advocacy", tracker)

    async def extract_pathway_at_cps(self, dispatcher, tracker, domain) -> dict[str, Any]:
        return self.extract("at_cps", tracker)

    async def extract_pathway_right_to_work(self, dispatcher, tracker, domain) -> dict[str, Any]:
        return self.extract("right_to_work", tracker)

    # -- validation: map the answer to a choice, or ask once more, then use the default

    def validate(self, question: str, value: Any, tracker: Tracker) -> dict[str, Any]:
        slot = SLOTS[question]
        if value is None:
            return {slot: None}
        spec = _pathway(load_knowledge()).questions[question]
        if value in {choice.value for choice in spec.choices}:
            return {slot: value}
        if question == "stage" and value == UNKNOWN:
            return {slot: value}
        understood = understand(_pathway(load_knowledge()), question, str(value))
        if understood is not None:
            return {slot: understood}
        if tracker.get_slot(RETRY_SLOT) != slot:
            return {slot: None, RETRY_SLOT: slot}  # ask again, rephrased, with buttons
        # Never a loop: the second answer not understood takes the default.
        return {slot: spec.default or UNKNOWN, RETRY_SLOT: None}

    async def validate_pathway_stage(self, slot_value, dispatcher, tracker, domain):
        return self.validate("stage", slot_value, tracker)

    async def validate_pathway_course(self, slot_value, dispatcher, tracker, domain):
        return self.validate("course", slot_value, tracker)

    async def validate_pathway_profession(self, slot_value, dispatcher, tracker, domain):
        return self.validate("profession", slot_value, tracker)

    async def validate_pathway_experience(self, slot_value, dispatcher, tracker, domain):
        return self.validate("experience", slot_value, tracker)

    async def validate_pathway_advocacy(self, slot_value, dispatcher, tracker, domain):
        return self.validate("advocacy", slot_value, tracker)

    async def validate_pathway_at_cps(self, slot_value, dispatcher, tracker, domain):
        return self.validate("at_cps", slot_value, tracker)

    async def validate_pathway_right_to_work(self, slot_value, dispatcher, tracker, domain):
        return self.validate("right_to_work", slot_value, tracker)


class AskPathwayQuestion(Action):
    """Asks one question with a button per choice (the rephrased one after a misunderstanding)."""

    question = "stage"

    def name(self) -> str:
        return f"action_ask_{SLOTS[self.question]}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        pathway = _pathway(load_knowledge())
        spec = pathway.questions[self.question]
        again = tracker.get_slot(RETRY_SLOT) == SLOTS[self.question]
        text = spec.rephrase if again else spec.ask
        starting = not any(answers_from(tracker).values()) and not topic_sent_this_turn(tracker)
        if self.question == "stage" and not again and starting:
            text = f"{pathway.intro}\n\n{text}"
        buttons = [{"title": choice.title, "payload": choice.title} for choice in spec.choices]
        if again:
            buttons.append({"title": pathway.stop, "payload": STOP_PAYLOAD})
        send(dispatcher, tracker, text, buttons, question=self.question)
        return []


class AskPathwayCourse(AskPathwayQuestion):
    question = "course"


class AskPathwayProfession(AskPathwayQuestion):
    question = "profession"


class AskPathwayExperience(AskPathwayQuestion):
    question = "experience"


class AskPathwayAdvocacy(AskPathwayQuestion):
    question = "advocacy"


class AskPathwayAtCps(AskPathwayQuestion):
    question = "at_cps"


class AskPathwayRightToWork(AskPathwayQuestion):
    question = "right_to_work"


class ActionPathwayRecommend(Action):
    """The routes, best first, each with its reason, source and a button for more."""

    def name(self) -> str:
        return "action_pathway_recommend"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        kb = load_knowledge()
        pathway = _pathway(kb)
        recommendation = recommend(kb, answers_from(tracker))
        more = list(recommendation.route_ids)
        if recommendation.check_eligibility and "eligibility-nationality" not in more:
            more.append("eligibility-nationality")
        buttons = [{"title": kb.entries[r].title, "payload": f"/{r}"} for r in more]
        buttons.append({"title": pathway.start_again, "payload": START_AGAIN_PAYLOAD})
        send(
            dispatcher,
            tracker,
            recommendation_text(kb, recommendation),
            buttons,
            routes=recommendation.route_ids,
        )
        return cleared_answers()


class ActionPathwayReset(Action):
    """Clears the answers before the form starts (again); sends nothing."""

    def name(self) -> str:
        return "action_pathway_reset"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        return cleared_answers() + [SlotSet(REQUESTED_SLOT, None)]


class ActionPathwayStop(Action):
    """'Stop', 'cancel' (or goodbye) part way through: end the form and forget the answers."""

    def name(self) -> str:
        return "action_pathway_stop"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        kb = load_knowledge()
        pathway = _pathway(kb)
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
