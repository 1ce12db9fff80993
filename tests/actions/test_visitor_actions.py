"""Unit tests of what visitors met: the subject asked about, repeats, ratings, old buttons.

The same behaviour is tested through the real servers in tests/e2e/test_visitor_replies.py;
these pin the rules down without a model.
"""

import pytest
from rasa_sdk import Tracker
from trackers import entity, make_tracker

from bot.actions.finder_buttons import old_answers, old_choice
from bot.actions.knowledge_answers import ActionAnswerKnowledge
from bot.actions.pathway import RUN_BOUNDARIES
from bot.actions.ratings import valid_rating
from bot.actions.repetition import without_repetition
from bot.actions.replies import knowledge_reply
from bot.actions.terms import knowledge_terms
from bot.knowledge import load_knowledge
from bot.language.subjects import subject_names

KB = load_knowledge()
PATHWAY = KB.pathway
SAID = KB.conversation


def tracker_with(intent: str, text: str, events: list, entities=(), active_loop=None) -> Tracker:
    base = make_tracker(intent, text=text, entities=entities)
    return Tracker(
        sender_id="unit-test",
        slots={},
        latest_message=base.latest_message,
        events=events,
        paused=False,
        followup_action=None,
        active_loop=active_loop or {},
        latest_action_name="action_listen",
    )


def bot_event(text: str, buttons=(), custom=None) -> dict:
    return {"event": "bot", "text": text, "data": {"buttons": list(buttons), "custom": custom}}


def choice_buttons(question: str) -> list[dict]:
    return [{"title": c.title, "payload": c.title} for c in PATHWAY.questions[question].choices]


# ---------------------------------------------------------------- subjects


def test_a_misspelt_name_of_a_role_names_it_and_english_words_do_not():
    names = subject_names()
    assert names.misspelt("yo wats the pay like 4 a paralegel") == ["paralegal-officer"]
    assert names.misspelt("what does a paralegal earn") == []  # the entity ruler reads it
    assert names.misspelt("can I work from home most of the week") == []


async def test_pay_for_a_scheme_without_pay_details_says_so(dispatcher):
    tracker = make_tracker(
        "salary", text="do apprentices get paid?", entities=[entity("scheme", "apprenticeships")]
    )
    await ActionAnswerKnowledge().run(dispatcher, tracker, {})
    (message,) = dispatcher.messages
    scheme = KB.entries["apprenticeships"]
    assert message["text"] == SAID["not-covered"].answer.replace("{subject}", scheme.title)
    assert message["custom"]["topic"] == "salary"
    assert message["custom"]["source"] == scheme.source
    assert [b["payload"] for b in message["buttons"]] == [
        "/apprenticeships",
        "/salary",
        "/human-handoff",
    ]


def test_terms_are_the_knowledge_files_particular_abbreviations():
    terms = knowledge_terms()
    assert terms.named("does the cps pay for the lpc") == ["LPC"]
    assert terms.named("is the pay different in the UK or for CPS staff?") == []  # too general
    assert terms.named("what does an SQE cost") == []  # a phrase: the entity ruler finds it


async def test_pay_for_a_course_the_general_answer_does_not_mention_says_so(dispatcher):
    tracker = make_tracker("salary", text="does the cps pay for the lpc")
    await ActionAnswerKnowledge().run(dispatcher, tracker, {})
    (message,) = dispatcher.messages
    assert message["text"] == SAID["not-covered"].answer.replace("{subject}", "LPC")
    assert message["custom"]["topic"] == "salary" and "subject" not in message["custom"]
    pages = knowledge_terms().entries["LPC"][:2]
    assert message["custom"]["source"] == KB.entries[pages[0]].source
    assert [b["payload"] for b in message["buttons"]] == [
        *(f"/{page}" for page in pages),
        "/salary",
        "/human-handoff",
    ]


async def test_pay_in_context_without_a_name_keeps_the_general_answer(dispatcher):
    # The subject comes from an earlier turn, not this question: the general answer stands.
    tracker = make_tracker("salary", text="what's the pay?", slots={"subject": "apprenticeships"})
    await ActionAnswerKnowledge().run(dispatcher, tracker, {})
    (message,) = dispatcher.messages
    assert message["text"] == KB.entries["salary"].answer


@pytest.mark.parametrize(
    "runners_up",
    [
        [("flexible-working", 0.16)],
        [("senior-crown-prosecutor", 0.093), ("flexible-working", 0.093)],  # a tie
    ],
)
async def test_a_benefit_named_with_a_role_is_the_subject(dispatcher, runners_up):
    tracker = make_tracker(
        "crown-prosecutor",
        text="crown prosecutor job share?",
        entities=[entity("role", "crown-prosecutor"), entity("benefit", "flexible-working")],
        ranking=[
            {"name": name, "confidence": confidence}
            for name, confidence in [("crown-prosecutor", 0.54), *runners_up]
        ],
    )
    await ActionAnswerKnowledge().run(dispatcher, tracker, {})
    (message,) = dispatcher.messages
    assert message["text"] == KB.entries["flexible-working"].answer
    assert message["custom"]["topic"] == "flexible-working"
    assert message["custom"]["subject"] == "crown-prosecutor"


async def test_a_benefit_word_in_passing_leaves_the_roles_answer(dispatcher):
    tracker = make_tracker(
        "paralegal-officer",
        text="is there training when you start as a paralegal officer?",
        entities=[
            entity("benefit", "learning-and-development"),
            entity("role", "paralegal-officer"),
        ],
        ranking=[
            {"name": "paralegal-officer", "confidence": 0.93},
            {"name": "associate-prosecutor", "confidence": 0.01},
            {"name": "learning-and-development", "confidence": 0.01},
        ],
    )
    await ActionAnswerKnowledge().run(dispatcher, tracker, {})
    (message,) = dispatcher.messages
    assert message["text"] == KB.entries["paralegal-officer"].answer


# ---------------------------------------------------------------- repeats


def test_an_answer_given_before_becomes_its_detail_then_a_pointer_onwards():
    entry = KB.entries["pupillage"]
    reply = knowledge_reply(KB, entry)
    fresh = without_repetition(KB, reply, tracker_with("pupillage", "pupillage?", []))
    assert fresh is reply

    once = tracker_with("pupillage", "again?", [bot_event(entry.answer)])
    more = without_repetition(KB, knowledge_reply(KB, entry), once)
    assert more.text == f"{SAID['repeat-more'].answer}\n\n{entry.detail}"
    assert more.rateable

    twice = tracker_with("pupillage", "and again?", [bot_event(entry.answer), bot_event(more.text)])
    onwards = without_repetition(KB, knowledge_reply(KB, entry), twice)
    assert onwards.text == SAID["repeat-nothing-more"].answer.replace("{subject}", entry.title)
    assert [b["payload"] for b in onwards.buttons][-1] == "/human-handoff"
    assert not onwards.rateable


def test_a_new_session_may_hear_the_answer_again():
    entry = KB.entries["pupillage"]
    events = [bot_event(entry.answer), {"event": "session_started"}]
    reply = knowledge_reply(KB, entry)
    assert without_repetition(KB, reply, tracker_with("pupillage", "pupillage?", events)) is reply


# ---------------------------------------------------------------- ratings


def test_recommendations_can_be_rated_and_made_up_topics_cannot():
    assert valid_rating(KB, "up", "pathway-finder")
    assert valid_rating(KB, "down", "salary")
    assert not valid_rating(KB, "up", "made-up")
    assert not valid_rating(KB, "sideways", "salary")


# ---------------------------------------------------------------- old route-finder buttons


def finished_run(question: str) -> list[dict]:
    return [
        bot_event(
            PATHWAY.questions[question].ask, choice_buttons(question), {"question": question}
        ),
        {"event": "user", "text": PATHWAY.questions[question].choices[0].title},
        {"event": "action", "name": "action_pathway_recommend"},
        bot_event("Based on your answers ..."),
    ]


def test_an_old_finder_button_is_recognised_only_when_the_finder_has_finished():
    events = finished_run("profession")
    title = PATHWAY.questions["profession"].choices[1].title  # "Barrister"
    assert old_choice(KB, tracker_with("describe-situation", title, events)) == (
        "profession",
        "barrister",
    )
    running = {"name": "pathway_form"}
    assert old_choice(KB, tracker_with("nlu_fallback", title, events, active_loop=running)) is None
    # Words the finder never offered are not its buttons.
    assert old_choice(KB, tracker_with("nlu_fallback", "Barristers earn?", events)) is None
    assert old_choice(KB, tracker_with("nlu_fallback", title, [])) is None


def test_the_next_run_starts_with_the_old_buttons_answer():
    title = PATHWAY.questions["profession"].choices[1].title
    offer = SAID["finder-answer-again"].answer.replace("{button}", PATHWAY.offer.title)
    events = finished_run("profession") + [
        {"event": "user", "text": title},
        bot_event(offer, [{"title": PATHWAY.offer.title, "payload": "/pathway-finder"}]),
    ]
    assert old_answers(KB, events, RUN_BOUNDARIES) == {"profession": "barrister"}
    # A button pressed in an earlier run, before the finder last ended, is not carried over.
    later = events + [{"event": "action", "name": "action_pathway_stop"}]
    assert old_answers(KB, later, RUN_BOUNDARIES) == {}
