"""The pathway finder's custom actions, run as the action server runs them."""

from __future__ import annotations

import pytest
import yaml
from pathway_trackers import action_event, form_tracker, slot_events, user_event

from bot.actions.pathway import (
    ASKED_SLOT,
    CONTROL_INTENTS,
    FORM,
    NOTES_SLOT,
    REPLY_INTENTS,
    RETRY_SLOT,
    SIDE_CONVERSATION_INTENTS,
    SIGNPOSTING,
    SLOTS,
    TOPIC,
    YEARS_SLOT,
    ActionPathwayDecline,
    ActionPathwayOffer,
    ActionPathwayRecommend,
    ActionPathwayStart,
    ActionPathwayStop,
    AskPathwayAdvocacy,
    AskPathwayExperience,
    AskPathwayQuestion,
    AskPathwayRightToWork,
    ValidatePathwayForm,
    side_intents,
)
from bot.actions.pathway_turns import SKIPPED, UNDERSTOOD
from bot.actions.replies import offer_button
from bot.knowledge import load_knowledge
from bot.ops import PROJECT_ROOT

KB = load_knowledge()
PATHWAY = KB.pathway
DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())


async def validate(tracker, dispatcher):
    return slot_events(await ValidatePathwayForm().run(dispatcher, tracker, DOMAIN))


def only_message(dispatcher):
    assert len(dispatcher.messages) == 1, dispatcher.messages
    return dispatcher.messages[0]


def _slots(answers: dict, asked: tuple = ()) -> dict:
    slots = {SLOTS[question]: value for question, value in answers.items()}
    return {**slots, ASKED_SLOT: list(asked)} if asked else slots


def rejected(events: dict) -> bool:
    """Only `requested_slot` comes back: Rasa rejects the form and a rule takes the turn."""
    return set(events) == {"requested_slot"}


# ---------------------------------------------------------------- validate_pathway_form

# (question asked, what the visitor typed, answers so far, value expected)
ANSWERS = [
    ("stage", "i'm doing the sqe", {}, "vocational"),
    ("stage", "At school or college", {}, "school"),
    ("stage", "im at collage", {}, "school"),
    ("stage", "Returning to law after a career break", {}, "returner"),
    ("course", "the bar", {"stage": "vocational"}, "barrister"),
    ("course", "LPC or SQE (solicitor)", {"stage": "vocational"}, "solicitor"),
    ("profession", "barister", {"stage": "qualified"}, "barrister"),
    ("profession", "Chartered legal executive", {"stage": "qualified"}, "cilex"),
    ("experience", "none yet", {"stage": "qualified", "profession": "solicitor"}, "under-2"),
    ("experience", "3", {"stage": "qualified", "profession": "solicitor"}, "2-plus"),
    (
        "experience",
        "Less than 2 years",
        {"stage": "qualified", "profession": "solicitor"},
        "under-2",
    ),
    (
        "advocacy",
        "No, I prefer casework and advice",
        {"stage": "qualified", "profession": "solicitor", "experience": "2-plus"},
        "no",
    ),
    ("at_cps", "at a law firm", {"stage": "paralegal"}, "no"),
    ("right_to_work", "nope", {"stage": "school"}, "no"),
]


@pytest.mark.parametrize(("question", "text", "answers", "expected"), ANSWERS)
async def test_each_question_is_answered_by_free_text_or_a_button(
    dispatcher, question, text, answers, expected
):
    tracker = form_tracker(text, requested=SLOTS[question], slots=_slots(answers, (question,)))
    events = await validate(tracker, dispatcher)
    assert events[SLOTS[question]] == expected
    assert events[RETRY_SLOT] is None
    assert dispatcher.messages == []  # the ask action speaks, not the validation


async def test_a_button_is_taken_as_its_own_answer_and_nothing_else(dispatcher):
    # "casework" is close to a CPS-staff word, but the advocacy button says only "no".
    answers = {"stage": "qualified", "profession": "solicitor", "experience": "2-plus"}
    tracker = form_tracker(
        "No, I prefer casework and advice",
        requested=SLOTS["advocacy"],
        slots=_slots(answers, ("advocacy",)),
    )
    events = await validate(tracker, dispatcher)
    assert events[SLOTS["stage"]] == "qualified" and events[SLOTS["advocacy"]] == "no"


PENDING = {
    "stage": {},
    "course": {"stage": "vocational"},
    "at_cps": {"stage": "paralegal"},
    "right_to_work": {"stage": "school"},
    "profession": {"stage": "qualified"},
    "experience": {"stage": "qualified", "profession": "solicitor"},
    "advocacy": {"stage": "qualified", "profession": "solicitor", "experience": "2-plus"},
}


@pytest.mark.parametrize("question", list(SLOTS))
async def test_nonsense_is_asked_again_once_then_the_finder_goes_on_not_sure(dispatcher, question):
    slot, answers = SLOTS[question], PENDING[question]
    once = form_tracker("zxqv blorp", requested=slot, slots=_slots(answers, (question,)))
    first = await validate(once, dispatcher)
    assert first[slot] is None and first[RETRY_SLOT] == slot
    assert first["requested_slot"] == slot

    twice = form_tracker(
        "still blorp",
        requested=slot,
        slots={**_slots(answers, (question, question)), RETRY_SLOT: slot},
    )
    second = await validate(twice, dispatcher)
    assert second[slot] == (PATHWAY.questions[question].default or "unknown")
    assert second[RETRY_SLOT] is None and second[NOTES_SLOT] == [SKIPPED]
    assert second["requested_slot"] != slot


async def test_a_stage_not_understood_twice_ends_with_the_main_routes(dispatcher):
    tracker = form_tracker("blorp", slots={**_slots({}, ("stage", "stage")), RETRY_SLOT: "x"})
    events = await validate(tracker, dispatcher)
    assert events[SLOTS["stage"]] == "unknown"
    assert events["requested_slot"] is None  # nothing more to ask: the form ends


async def test_a_reply_fills_every_question_it_answers(dispatcher):
    tracker = form_tracker("I'm a solicitor, 4 years in crime", slots=_slots({}, ("stage",)))
    events = await validate(tracker, dispatcher)
    assert events[SLOTS["stage"]] == "qualified"
    assert events[SLOTS["profession"]] == "solicitor"
    assert events[SLOTS["experience"]] == "2-plus"
    assert events[YEARS_SLOT] == 4
    assert events["requested_slot"] == SLOTS["advocacy"]
    assert events[NOTES_SLOT] == [UNDERSTOOD]  # the next question says what was understood


async def test_a_wrong_guess_is_corrected_and_the_question_asked_again(dispatcher):
    answers = {"stage": "qualified", "profession": "solicitor"}
    tracker = form_tracker(
        "no, I'm a barrister", requested=SLOTS["experience"], slots=_slots(answers, ("experience",))
    )
    events = await validate(tracker, dispatcher)
    assert events[SLOTS["profession"]] == "barrister"
    assert events[SLOTS["experience"]] is None
    assert events["requested_slot"] == SLOTS["experience"]
    assert events[NOTES_SLOT] == [UNDERSTOOD] and events[RETRY_SLOT] is None


async def test_a_leading_no_that_answers_the_question_is_an_answer(dispatcher):
    tracker = form_tracker(
        "no, I'm at a law firm",
        intent="describe-situation",
        requested=SLOTS["at_cps"],
        slots=_slots({"stage": "paralegal"}, ("at_cps",)),
    )
    events = await validate(tracker, dispatcher)
    assert events[SLOTS["at_cps"]] == "no"
    assert events["requested_slot"] == SLOTS["right_to_work"]


async def test_a_reply_fills_what_is_missing_but_corrects_nothing(dispatcher):
    # "at the CPS" could also mean CPS staff; as a reply it only answers the question.
    tracker = form_tracker(
        "yes, I'm at the CPS",
        requested=SLOTS["at_cps"],
        slots=_slots({"stage": "paralegal"}, ("at_cps",)),
    )
    events = await validate(tracker, dispatcher)
    assert events[SLOTS["stage"]] == "paralegal" and events[SLOTS["at_cps"]] == "yes"


async def test_a_statement_about_the_person_is_never_a_side_topic(dispatcher):
    # The classifier thinks it is about joining as a qualified lawyer; it does not answer
    # the question, and nothing in it is new: it is asked again, not answered as a topic.
    tracker = form_tracker(
        "I'm a paralegal, not qualified",
        intent="qualified-lawyer-entry",
        requested=SLOTS["at_cps"],
        slots=_slots({"stage": "paralegal"}, ("at_cps",)),
    )
    events = await validate(tracker, dispatcher)
    assert not rejected(events)
    assert events[RETRY_SLOT] == SLOTS["at_cps"]


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("what does it pay?", "salary"),
        ("how much does a paralegal earn?", "salary"),
        ("pensions", "pension"),
        ("are you a bot?", "bot-identity"),
        ("stop", "stop"),
        ("start again", "start-again"),
        ("which route is right for me?", "pathway-finder"),
        ("/pension", "pension"),
        ("someone is following me home", "report-a-crime"),
        ("a new intent the form does not know", "some-new-intent"),
    ],
)
async def test_a_side_question_command_or_call_for_help_is_not_an_answer(dispatcher, text, intent):
    tracker = form_tracker(text, intent=intent, slots=_slots({}, ("stage",)))
    assert rejected(await validate(tracker, dispatcher))


@pytest.mark.parametrize(
    ("question", "text", "confidence", "signposted"),
    [
        ("advocacy", "yes and someone at work assaulted me", 0.95, True),
        ("experience", "none in crime yet", 0.52, False),  # a plain reply, the classifier unsure
        ("experience", "my neighbour keeps threatening me", 0.52, True),  # no reply at all
    ],
)
async def test_a_call_for_help_is_signposted_unless_it_is_a_plain_reply_and_unsure(
    dispatcher, question, text, confidence, signposted
):
    tracker = form_tracker(
        text,
        intent="report-a-crime",
        confidence=confidence,
        requested=SLOTS[question],
        slots=_slots(PENDING[question], (question,)),
    )
    events = await validate(tracker, dispatcher)
    assert rejected(events) == signposted


async def test_a_description_that_sounds_like_a_route_request_is_a_reply(dispatcher):
    tracker = form_tracker("I'm a trainee solicitor", intent=TOPIC, slots=_slots({}, ("stage",)))
    events = await validate(tracker, dispatcher)
    assert events[SLOTS["stage"]] == "vocational" and events[SLOTS["course"]] == "solicitor"


async def test_an_answer_is_read_even_if_the_classifier_guessed_a_topic(dispatcher):
    tracker = form_tracker("Working as a paralegal", intent="paralegal-officer")
    events = await validate(tracker, dispatcher)
    assert events[SLOTS["stage"]] == "paralegal"


async def test_resuming_after_a_side_answer_does_not_reread_the_message(dispatcher):
    tracker = form_tracker("banana", after="action_answer_knowledge", slots=_slots({}, ("stage",)))
    events = await validate(tracker, dispatcher)
    assert events[SLOTS["stage"]] is None
    assert events["requested_slot"] == SLOTS["stage"]


async def test_what_a_side_question_says_about_the_person_still_counts(dispatcher):
    tracker = form_tracker(
        "I'm a law student, what do trainees earn?",
        "salary",
        after="action_answer_knowledge",
        slots=_slots({}, ("stage",)),
    )
    events = await validate(tracker, dispatcher)
    assert events[SLOTS["stage"]] == "university-law"
    assert events["requested_slot"] == SLOTS["right_to_work"]


async def test_after_a_side_answer_a_question_asked_twice_is_not_asked_again(dispatcher):
    tracker = form_tracker(
        "what about the pension?",
        "pension",
        requested=SLOTS["at_cps"],
        after="action_answer_knowledge",
        slots=_slots({"stage": "paralegal"}, ("stage", "at_cps", "at_cps")),
    )
    events = await validate(tracker, dispatcher)
    assert events[SLOTS["at_cps"]] == "unknown"
    assert events[NOTES_SLOT] == [SKIPPED]
    assert events["requested_slot"] == SLOTS["right_to_work"]


async def test_at_the_start_the_first_question_needed_is_chosen(dispatcher):
    answers = {"stage": "qualified", "profession": "barrister", "experience": "2-plus"}
    tracker = form_tracker("", requested=None, after="action_pathway_start", slots=_slots(answers))
    events = await validate(tracker, dispatcher)
    assert events["requested_slot"] == SLOTS["advocacy"]


def test_every_message_the_form_rejects_has_a_rule_that_resumes_or_ends_it():
    rules = yaml.safe_load((PROJECT_ROOT / "bot" / "data" / "rules.yml").read_text())["rules"]
    handled = set()
    for rule in rules:
        if {"active_loop": FORM} not in rule.get("condition", []):
            continue
        for option in rule["steps"][0].get("or", [rule["steps"][0]]):
            handled.add(option.get("intent"))
    assert side_intents(KB) | CONTROL_INTENTS | SIGNPOSTING <= handled
    assert SIDE_CONVERSATION_INTENTS <= handled


def test_every_intent_of_the_domain_is_a_reply_a_side_question_or_a_command():
    intents = set(DOMAIN["intents"])
    known = side_intents(KB) | CONTROL_INTENTS | SIGNPOSTING | REPLY_INTENTS
    assert intents <= known


# ---------------------------------------------------------------- asking the questions


async def test_the_first_question_introduces_the_pathway_finder(dispatcher):
    tracker = form_tracker("which route is right for me?", "pathway-finder", after="x")
    events = await AskPathwayQuestion().run(dispatcher, tracker, {})
    message = only_message(dispatcher)
    assert message["text"] == f"{PATHWAY.intro}\n\n{PATHWAY.questions['stage'].ask}"
    assert message["custom"] == {"topic": TOPIC, "question": "stage", "lang": "en"}
    titles = [choice.title for choice in PATHWAY.questions["stage"].choices]
    assert [b["title"] for b in message["buttons"]] == titles
    assert [b["payload"] for b in message["buttons"]] == titles
    assert slot_events(events) == {ASKED_SLOT: ["stage"], NOTES_SLOT: None}


async def test_the_first_question_says_what_was_understood(dispatcher):
    answers = {"stage": "qualified", "profession": "solicitor", "experience": "2-plus"}
    tracker = form_tracker(
        "I'm a solicitor with four years in crime, which route suits me?",
        "pathway-finder",
        after="x",
        slots={**_slots(answers), YEARS_SLOT: 4.0},
    )
    await AskPathwayAdvocacy().run(dispatcher, tracker, {})
    intro, understood, asked = only_message(dispatcher)["text"].split("\n\n")
    assert intro == PATHWAY.intro
    assert understood == (
        "You're a solicitor with about four years of criminal practice. " + PATHWAY.correct_me
    )
    assert asked == PATHWAY.questions["advocacy"].ask


async def test_a_later_question_has_no_introduction(dispatcher):
    tracker = form_tracker("yes", slots=_slots({"stage": "qualified"}, ("stage",)))
    events = await AskPathwayExperience().run(dispatcher, tracker, {})
    message = only_message(dispatcher)
    assert message["text"] == PATHWAY.questions["experience"].ask
    assert message["custom"]["topic"] == TOPIC
    assert slot_events(events)[ASKED_SLOT] == ["stage", "experience"]


async def test_after_a_correction_the_question_says_what_is_now_understood(dispatcher):
    slots = {**_slots({"stage": "qualified", "profession": "barrister"}, ("experience",))}
    tracker = form_tracker("no, I'm a barrister", slots={**slots, NOTES_SLOT: [UNDERSTOOD]})
    await AskPathwayExperience().run(dispatcher, tracker, {})
    understood, asked = only_message(dispatcher)["text"].split("\n\n")
    assert understood == f"You're a barrister. {PATHWAY.correct_me}"
    assert asked == PATHWAY.questions["experience"].ask


async def test_the_question_asked_again_is_rephrased_and_offers_a_way_out(dispatcher):
    slots = _slots({"stage": "school"}, ("stage", "right_to_work"))
    tracker = form_tracker("blorp", slots={**slots, RETRY_SLOT: SLOTS["right_to_work"]})
    await AskPathwayRightToWork().run(dispatcher, tracker, {})
    message = only_message(dispatcher)
    assert message["text"] == PATHWAY.questions["right_to_work"].rephrase
    assert message["buttons"][-1] == {"title": PATHWAY.stop, "payload": "/stop"}


async def test_going_on_without_an_answer_is_said(dispatcher):
    slots = _slots({"stage": "paralegal", "at_cps": "unknown"}, ("stage", "at_cps", "at_cps"))
    tracker = form_tracker("blorp", slots={**slots, NOTES_SLOT: [SKIPPED]})
    await AskPathwayRightToWork().run(dispatcher, tracker, {})
    skipped, asked = only_message(dispatcher)["text"].split("\n\n")
    assert skipped == PATHWAY.skipped
    assert asked == PATHWAY.questions["right_to_work"].ask


async def test_after_a_side_answer_the_question_has_no_second_topic(dispatcher):
    side_answer = {"event": "bot", "text": "Pay...", "data": {"custom": {"topic": "salary"}}}
    tracker = form_tracker(
        "what does it pay?",
        "salary",
        after="action_answer_knowledge",
        bot_events=[side_answer],
        slots=_slots({}, ("stage",)),
    )
    await AskPathwayQuestion().run(dispatcher, tracker, {})
    message = only_message(dispatcher)
    assert message["text"] == PATHWAY.questions["stage"].ask
    assert not message.get("custom")


# ---------------------------------------------------------------- recommendation


async def test_the_recommendation_lists_routes_and_clears_every_answer(dispatcher):
    answers = {
        "stage": "qualified",
        "profession": "solicitor",
        "experience": "2-plus",
        "advocacy": "yes",
        "right_to_work": "yes",
    }
    slots = {**_slots(answers), YEARS_SLOT: 4.0}
    tracker = form_tracker("yes", requested=None, slots=slots, active=False)
    events = await ActionPathwayRecommend().run(dispatcher, tracker, {})
    message = only_message(dispatcher)
    assert message["custom"] == {
        "topic": TOPIC,
        "routes": ["crown-advocate", "senior-crown-prosecutor"],
        "rateable": True,  # a recommendation is an answer, and can be rated
        "lang": "en",
    }
    payloads = [b["payload"] for b in message["buttons"]]
    assert payloads == ["/crown-advocate", "/senior-crown-prosecutor", "/start-again"]
    assert message["text"].startswith(
        "You're a solicitor with about four years of criminal practice, interested in court "
        "advocacy. " + PATHWAY.heading
    )
    assert KB.entries["crown-advocate"].source in message["text"]
    assert PATHWAY.disclaimer in message["text"]
    cleared = slot_events(events)
    assert set(cleared) == set(SLOTS.values()) | {YEARS_SLOT, RETRY_SLOT, ASKED_SLOT, NOTES_SLOT}
    assert all(value is None for value in cleared.values())


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


async def test_a_recommendation_after_going_on_without_an_answer_says_so(dispatcher):
    slots = {**_slots({"stage": "unknown"}), NOTES_SLOT: [SKIPPED]}
    tracker = form_tracker("blorp", requested=None, slots=slots, active=False)
    await ActionPathwayRecommend().run(dispatcher, tracker, {})
    message = only_message(dispatcher)
    assert message["text"].startswith(f"{PATHWAY.skipped}\n\n{PATHWAY.profiles['unknown'].lead}")
    assert message["custom"]["routes"][0] == "prosecutor-pathways"


# ---------------------------------------------------------------- starting, offering, stopping


def _conversation(*turns: tuple[str, str]) -> list[dict]:
    events = []
    for text, intent in turns:
        events += [action_event("action_listen"), user_event(text, intent)]
        events.append(action_event("action_answer_knowledge"))
    return events


async def test_the_start_fills_in_what_the_visitor_said_since_the_last_run(dispatcher):
    history = [
        *_conversation(("I'm a law student", "describe-situation")),
        action_event("action_pathway_recommend"),  # an earlier run ended here
        *_conversation(
            ("I'm a solicitor, how much would an SCP earn?", "salary"),
            ("what does a crown advocate do?", "crown-advocate"),
        ),
    ]
    tracker = form_tracker(
        "which route fits me? I've got 4 years in crime",
        "pathway-finder",
        requested=None,
        active=False,
        history=history,
    )
    events = slot_events(await ActionPathwayStart().run(dispatcher, tracker, {}))
    assert dispatcher.messages == []
    assert events[SLOTS["stage"]] == "qualified"
    assert events[SLOTS["profession"]] == "solicitor"
    assert events[SLOTS["experience"]] == "2-plus" and events[YEARS_SLOT] == 4
    assert events[SLOTS["advocacy"]] is None and events[ASKED_SLOT] is None
    assert events["requested_slot"] is None


async def test_start_again_forgets_everything_said_before(dispatcher):
    history = _conversation(("I'm a solicitor", "describe-situation"))
    tracker = form_tracker(
        "start again",
        "start-again",
        slots=_slots({"stage": "school"}, ("stage",)),
        history=history,
    )
    events = slot_events(await ActionPathwayStart().run(dispatcher, tracker, {}))
    assert dispatcher.messages == []
    assert all(value is None for value in events.values())


async def test_a_description_is_answered_with_what_was_understood_and_an_offer(dispatcher):
    tracker = form_tracker(
        "I'm a barrister, eight years in crime", "describe-situation", requested=None, active=False
    )
    assert await ActionPathwayOffer().run(dispatcher, tracker, {}) == []
    message = only_message(dispatcher)
    assert message["text"] == (
        "You're a barrister with about eight years of criminal practice. " + PATHWAY.offer.ask
    )
    assert message["custom"] == {"topic": TOPIC, "lang": "en"}
    assert message["buttons"] == [
        {"title": PATHWAY.offer.title, "payload": "/pathway-finder"},
        {"title": PATHWAY.offer.no_thanks, "payload": "/deny"},
    ]


async def test_a_description_with_nothing_understood_still_gets_the_offer(dispatcher):
    tracker = form_tracker("I work in retail", "describe-situation", requested=None, active=False)
    await ActionPathwayOffer().run(dispatcher, tracker, {})
    assert only_message(dispatcher)["text"] == PATHWAY.offer.ask


async def test_declining_the_offer_keeps_the_button_within_reach(dispatcher):
    tracker = form_tracker("no thanks", "deny", requested=None, active=False)
    await ActionPathwayDecline().run(dispatcher, tracker, {})
    message = only_message(dispatcher)
    assert message["text"] == PATHWAY.offer.declined
    assert message["custom"] == {"topic": TOPIC, "lang": "en"}
    assert message["buttons"] == [{"title": PATHWAY.offer.title, "payload": "/pathway-finder"}]


async def test_stop_part_way_through_ends_the_form_and_forgets_the_answers(dispatcher):
    tracker = form_tracker("stop", "stop", slots=_slots({"stage": "school"}, ("stage",)))
    events = await ActionPathwayStop().run(dispatcher, tracker, {})
    message = only_message(dispatcher)
    assert message["text"] == PATHWAY.cancelled
    assert message["custom"] == {"topic": TOPIC, "lang": "en"}
    assert {"event": "active_loop", "name": None} in [
        {"event": e["event"], "name": e.get("name")} for e in events if e["event"] == "active_loop"
    ]
    assert slot_events(events)[SLOTS["right_to_work"]] is None
    assert slot_events(events)[ASKED_SLOT] is None
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


def test_the_offer_button_is_for_the_routes_answers_only():
    assert offer_button(KB, "prosecutor-pathways") == {
        "title": PATHWAY.offer.title,
        "payload": "/pathway-finder",
    }
    assert offer_button(KB, "pension") is None
