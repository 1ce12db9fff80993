"""The pathway finder's custom actions, run as the action server runs them."""

from __future__ import annotations

import pytest
import yaml
from pathway_trackers import form_tracker, slot_events

from bot.actions.pathway import (
    CONTROL_INTENTS,
    FORM,
    RETRY_SLOT,
    SIDE_CONVERSATION_INTENTS,
    SLOTS,
    TOPIC,
    ActionPathwayRecommend,
    ActionPathwayReset,
    ActionPathwayStop,
    AskPathwayExperience,
    AskPathwayQuestion,
    AskPathwayRightToWork,
    ValidatePathwayForm,
    side_intents,
)
from bot.actions.replies import offer_button
from bot.knowledge import load_knowledge
from bot.ops import PROJECT_ROOT

KB = load_knowledge()
PATHWAY = KB.pathway


async def validate(tracker, dispatcher):
    return slot_events(await ValidatePathwayForm().run(dispatcher, tracker, {}))


def only_message(dispatcher):
    assert len(dispatcher.messages) == 1, dispatcher.messages
    return dispatcher.messages[0]


# ---------------------------------------------------------------- validate_pathway_form, per slot

# (slot asked, what the visitor typed, answers so far, slot value expected)
ANSWERS = [
    ("stage", "i'm doing the sqe", {}, "vocational"),
    ("stage", "At school or college", {}, "school"),
    ("stage", "im at collage", {}, "school"),
    ("stage", "Returning to law after a career break", {}, "returner"),
    ("course", "the bar", {"stage": "vocational"}, "barrister"),
    ("course", "LPC or SQE (solicitor)", {"stage": "vocational"}, "solicitor"),
    ("profession", "barister", {"stage": "qualified"}, "barrister"),
    ("profession", "Chartered legal executive", {"stage": "qualified"}, "cilex"),
    (
        "experience",
        "2 yrs criminal practice",
        {"stage": "qualified", "profession": "solicitor"},
        "2-plus",
    ),
    ("experience", "none yet", {"stage": "qualified", "profession": "solicitor"}, "under-2"),
    ("experience", "3", {"stage": "qualified", "profession": "solicitor"}, "2-plus"),
    (
        "advocacy",
        "yeah definitely",
        {"stage": "qualified", "profession": "solicitor", "experience": "2-plus"},
        "yes",
    ),
    (
        "advocacy",
        "not really",
        {"stage": "qualified", "profession": "solicitor", "experience": "2-plus"},
        "no",
    ),
    ("at_cps", "yep", {"stage": "paralegal"}, "yes"),
    ("at_cps", "at a law firm", {"stage": "paralegal"}, "no"),
    ("right_to_work", "Yes", {"stage": "school"}, "yes"),
    ("right_to_work", "nope", {"stage": "school"}, "no"),
    ("right_to_work", "not sure", {"stage": "school"}, "not-sure"),
]


def _slots(answers: dict) -> dict:
    return {SLOTS[question]: value for question, value in answers.items()}


@pytest.mark.parametrize(("question", "text", "answers", "expected"), ANSWERS)
async def test_each_slot_is_filled_from_free_text_or_a_button(
    dispatcher, question, text, answers, expected
):
    tracker = form_tracker(text, requested=SLOTS[question], slots=_slots(answers))
    events = await validate(tracker, dispatcher)
    assert events[SLOTS[question]] == expected
    assert RETRY_SLOT not in events
    assert dispatcher.messages == []  # the ask action speaks, not the validation


@pytest.mark.parametrize("question", list(SLOTS))
async def test_nonsense_is_asked_again_once_then_gets_the_default(dispatcher, question):
    slot = SLOTS[question]
    answers = {
        "stage": {},
        "course": {"stage": "vocational"},
        "at_cps": {"stage": "paralegal"},
        "right_to_work": {"stage": "school"},
    }.get(question, {"stage": "qualified", "profession": "solicitor", "experience": "2-plus"})
    answers.pop(question, None)
    first = await validate(form_tracker("zxqv blorp", requested=slot, slots=_slots(answers)), {})
    assert first[slot] is None and first[RETRY_SLOT] == slot

    second_tracker = form_tracker(
        "still blorp", requested=slot, slots={**_slots(answers), RETRY_SLOT: slot}
    )
    second = await validate(second_tracker, dispatcher)
    default = PATHWAY.questions[question].default or "unknown"
    assert second[slot] == default
    assert second[RETRY_SLOT] is None


async def test_a_stage_not_understood_twice_ends_with_the_main_routes(dispatcher):
    tracker = form_tracker("blorp", requested=SLOTS["stage"], slots={RETRY_SLOT: SLOTS["stage"]})
    events = await validate(tracker, dispatcher)
    assert events[SLOTS["stage"]] == "unknown"
    assert events["requested_slot"] is None  # nothing more to ask: the form ends


async def test_answers_given_early_are_not_asked_again(dispatcher):
    tracker = form_tracker("I'm a newly qualified barrister", requested=SLOTS["stage"])
    events = await validate(tracker, dispatcher)
    assert events[SLOTS["stage"]] == "qualified"
    assert events[SLOTS["profession"]] == "barrister"
    assert events[SLOTS["experience"]] == "under-2"
    assert events["requested_slot"] == SLOTS["right_to_work"]


@pytest.mark.parametrize(
    ("answers", "next_slot"),
    [
        ({"stage": "school"}, "right_to_work"),
        ({"stage": "vocational"}, "course"),
        ({"stage": "qualified"}, "profession"),
        ({"stage": "paralegal"}, "at_cps"),
        ({"stage": "qualified", "profession": "solicitor"}, "experience"),
        ({"stage": "qualified", "profession": "cilex"}, "right_to_work"),
    ],
)
async def test_the_next_question_depends_on_the_stage(dispatcher, answers, next_slot):
    # The answer to the last question fills its slot; the form then asks `next_slot`.
    *earlier, (last, value) = answers.items()
    tracker = form_tracker(value, requested=SLOTS[last], slots=_slots(dict(earlier)))
    events = await validate(tracker, dispatcher)
    assert events["requested_slot"] == SLOTS[next_slot]


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("what does it pay?", "salary"),
        ("how much does a paralegal earn?", "salary"),
        ("are you a bot?", "bot-identity"),
        ("stop", "stop"),
        ("start again", "start-again"),
        ("which route is right for me?", "pathway-finder"),
        ("/pension", "pension"),
    ],
)
async def test_a_side_question_or_command_is_not_an_answer(dispatcher, text, intent):
    tracker = form_tracker(text, intent=intent, requested=SLOTS["stage"])
    events = await validate(tracker, dispatcher)
    # Only `requested_slot`: Rasa rejects the form and a rule takes the turn.
    assert set(events) == {"requested_slot"}


async def test_an_answer_is_read_even_if_the_classifier_guessed_a_topic(dispatcher):
    tracker = form_tracker("Working as a paralegal", intent="paralegal-officer")
    events = await validate(tracker, dispatcher)
    assert events[SLOTS["stage"]] == "paralegal"


async def test_resuming_after_a_side_answer_does_not_reread_the_message(dispatcher):
    tracker = form_tracker(
        "banana", requested=SLOTS["stage"], after="action_answer_knowledge", slots={}
    )
    events = await validate(tracker, dispatcher)
    assert set(events) == {"requested_slot"}
    assert events["requested_slot"] == SLOTS["stage"]


def test_every_message_the_form_rejects_has_a_rule_that_resumes_or_ends_it():
    rules = yaml.safe_load((PROJECT_ROOT / "bot" / "data" / "rules.yml").read_text())["rules"]
    handled = set()
    for rule in rules:
        if {"active_loop": FORM} not in rule.get("condition", []):
            continue
        for option in rule["steps"][0].get("or", [rule["steps"][0]]):
            handled.add(option.get("intent"))
    assert side_intents(KB) | CONTROL_INTENTS <= handled
    assert SIDE_CONVERSATION_INTENTS <= handled


# ---------------------------------------------------------------- asking the questions


async def test_the_first_question_introduces_the_pathway_finder(dispatcher):
    tracker = form_tracker("which route is right for me?", "pathway-finder", after="x")
    await AskPathwayQuestion().run(dispatcher, tracker, {})
    message = only_message(dispatcher)
    assert message["text"].startswith(PATHWAY.intro)
    assert message["text"].endswith(PATHWAY.questions["stage"].ask)
    assert message["custom"] == {"topic": TOPIC, "question": "stage"}
    titles = [choice.title for choice in PATHWAY.questions["stage"].choices]
    assert [b["title"] for b in message["buttons"]] == titles
    assert [b["payload"] for b in message["buttons"]] == titles


async def test_a_later_question_has_no_introduction(dispatcher):
    tracker = form_tracker("yes", slots={SLOTS["stage"]: "qualified"})
    await AskPathwayExperience().run(dispatcher, tracker, {})
    message = only_message(dispatcher)
    assert message["text"] == PATHWAY.questions["experience"].ask
    assert message["custom"]["topic"] == TOPIC


async def test_the_question_asked_again_is_rephrased_and_offers_a_way_out(dispatcher):
    tracker = form_tracker(
        "blorp", slots={SLOTS["stage"]: "school", RETRY_SLOT: SLOTS["right_to_work"]}
    )
    await AskPathwayRightToWork().run(dispatcher, tracker, {})
    message = only_message(dispatcher)
    assert message["text"] == PATHWAY.questions["right_to_work"].rephrase
    assert message["buttons"][-1] == {"title": PATHWAY.stop, "payload": "/stop"}


async def test_after_a_side_answer_the_question_has_no_second_topic(dispatcher):
    side_answer = {"event": "bot", "text": "Pay...", "data": {"custom": {"topic": "salary"}}}
    tracker = form_tracker(
        "what does it pay?", "salary", after="action_answer_knowledge", bot_events=[side_answer]
    )
    await AskPathwayQuestion().run(dispatcher, tracker, {})
    message = only_message(dispatcher)
    assert message["text"] == PATHWAY.questions["stage"].ask
    assert not message.get("custom")


# ---------------------------------------------------------------- recommendation, stop, reset


async def test_the_recommendation_lists_routes_and_clears_every_answer(dispatcher):
    answers = {
        "stage": "qualified",
        "profession": "solicitor",
        "experience": "2-plus",
        "advocacy": "yes",
        "right_to_work": "yes",
    }
    tracker = form_tracker("yes", requested=None, slots=_slots(answers), active=False)
    events = await ActionPathwayRecommend().run(dispatcher, tracker, {})
    message = only_message(dispatcher)
    assert message["custom"] == {
        "topic": TOPIC,
        "routes": ["crown-advocate", "senior-crown-prosecutor"],
    }
    payloads = [b["payload"] for b in message["buttons"]]
    assert payloads == ["/crown-advocate", "/senior-crown-prosecutor", "/start-again"]
    assert KB.entries["crown-advocate"].source in message["text"]
    assert PATHWAY.disclaimer in message["text"]
    assert slot_events(events) == {**{slot: None for slot in SLOTS.values()}, RETRY_SLOT: None}


async def test_an_unsure_right_to_work_offers_the_eligibility_answer(dispatcher):
    tracker = form_tracker(
        "not sure",
        requested=None,
        slots=_slots({"stage": "cps-staff", "right_to_work": "not-sure"}),
        active=False,
    )
    await ActionPathwayRecommend().run(dispatcher, tracker, {})
    message = only_message(dispatcher)
    assert message["custom"]["routes"] == ["solicitor-apprenticeship", "associate-prosecutor"]
    assert "/eligibility-nationality" in [b["payload"] for b in message["buttons"]]
    assert PATHWAY.right_to_work_notes["not-sure"] in message["text"]


async def test_stop_part_way_through_ends_the_form_and_forgets_the_answers(dispatcher):
    tracker = form_tracker("stop", "stop", slots=_slots({"stage": "school"}))
    events = await ActionPathwayStop().run(dispatcher, tracker, {})
    message = only_message(dispatcher)
    assert message["text"] == PATHWAY.cancelled
    assert message["custom"] == {"topic": TOPIC}
    assert {"event": "active_loop", "name": None} in [
        {"event": e["event"], "name": e.get("name")} for e in events if e["event"] == "active_loop"
    ]
    assert slot_events(events)[SLOTS["right_to_work"]] is None
    assert slot_events(events)["requested_slot"] is None


async def test_stop_with_nothing_running_offers_the_pathway_finder(dispatcher):
    tracker = form_tracker("stop", "stop", active=False)
    events = await ActionPathwayStop().run(dispatcher, tracker, {})
    message = only_message(dispatcher)
    assert message["text"] == PATHWAY.nothing_to_stop
    assert message["buttons"] == [{"title": PATHWAY.offer.title, "payload": "/pathway-finder"}]
    assert slot_events(events)[SLOTS["stage"]] is None


async def test_goodbye_part_way_through_says_goodbye_and_stops(dispatcher):
    tracker = form_tracker("bye", "goodbye")
    events = await ActionPathwayStop().run(dispatcher, tracker, {})
    assert only_message(dispatcher)["custom"]["topic"] == "goodbye"
    assert any(e["event"] == "active_loop" for e in events)


async def test_reset_clears_the_answers_and_says_nothing(dispatcher):
    tracker = form_tracker("start again", "start-again", slots=_slots({"stage": "school"}))
    events = await ActionPathwayReset().run(dispatcher, tracker, {})
    assert dispatcher.messages == []
    assert all(value is None for value in slot_events(events).values())
    assert set(SLOTS.values()) | {RETRY_SLOT, "requested_slot"} == set(slot_events(events))


def test_the_offer_button_is_for_the_routes_answers_only():
    assert offer_button(KB, "prosecutor-pathways") == {
        "title": PATHWAY.offer.title,
        "payload": "/pathway-finder",
    }
    assert offer_button(KB, "pension") is None
