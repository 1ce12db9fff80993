"""The pathway finder in real conversations with the running Rasa and action servers.

The personas (tests/e2e/pathway_personas.py) each talk to it twice: pressing the
buttons, and typing every reply in their own words with no button pressed.
"""

from __future__ import annotations

from collections import Counter

import pytest
from assistant_client import buttons, contract_payload, new_sender, reply_text
from pathway_personas import PERSONAS, Persona, Typist

from bot.knowledge import load_knowledge

pytestmark = pytest.mark.e2e
KB = load_knowledge()
PATHWAY = KB.pathway
TOPIC = "pathway-finder"
MAX_TYPED_TURNS = 6  # after the opening message
MAX_ASKS = 2


def talk(assistant, sender: str, *messages: str) -> list:
    """Send each message; every turn must carry exactly one topic payload."""
    replies = []
    for message in messages:
        reply = assistant.send(sender, message)
        contract_payload(reply)
        replies.append(reply)
    return replies


def question(key: str) -> str:
    return PATHWAY.questions[key].ask


def button_for(reply, question_key: str, value: str) -> str:
    """The payload of the button that means `value`, as a visitor would press it."""
    title = next(c.title for c in PATHWAY.questions[question_key].choices if c.value == value)
    payloads = {b["title"]: b["payload"] for b in buttons(reply)}
    assert title in payloads, f"no button {title!r} in {list(payloads)}"
    return payloads[title]


def run_persona(assistant, persona: Persona, *, typed: bool) -> tuple[list[str], dict]:
    """The whole conversation: the questions asked, in order, and the recommendation."""
    sender = new_sender()
    (reply,) = talk(assistant, sender, persona.opening)
    turns = 0
    if persona.offered:
        payload = contract_payload(reply)
        assert payload == {"topic": TOPIC, "lang": "en"}, f"expected the offer, got {reply!r}"
        offer = {b["title"]: b["payload"] for b in buttons(reply)}[PATHWAY.offer.title]
        (reply,) = talk(assistant, sender, persona.accept if typed else offer)
        turns += 1
    typist = Typist(persona)
    asked: list[str] = []
    while "routes" not in (payload := contract_payload(reply)):
        assert payload.get("topic") == TOPIC and "question" in payload, reply
        key = payload["question"]
        asked.append(key)
        assert Counter(asked)[key] <= MAX_ASKS, f"{key} asked a third time: {asked}"
        knows = persona.says if typed else persona.truth
        assert key in knows, f"asked {key}, which {persona.name} did not expect"
        if typed:
            message = typist.reply(key)
        else:
            message = button_for(reply, key, persona.truth[key])
        (reply,) = talk(assistant, sender, message)
        turns += 1
        assert turns <= 10, f"no recommendation after {turns} turns: {asked}"
    recommendation = {"payload": payload, "text": reply_text(reply), "turns": turns}
    recommendation["buttons"] = {b["payload"] for b in buttons(reply)}
    return asked, recommendation


def check_recommendation(persona: Persona, recommendation: dict) -> None:
    payload = recommendation["payload"]
    assert payload["topic"] == TOPIC
    routes = payload["routes"]
    assert routes[: len(persona.routes)] == persona.routes, f"{persona.name}: {routes}"
    assert 1 <= len(routes) <= 3
    for route in routes:
        assert f"/{route}" in recommendation["buttons"]
    assert PATHWAY.disclaimer in recommendation["text"]


# Personas are held out (never copied into training): one the model misses is listed
# here by name with the reason, strict, so a change that fixes it must take it off.
KNOWN_MISSES = {
    "junior solicitor who wants court": "missed again with careers-5d432133fddf56a2 (it "
    "reached its route with careers-97ab70f2a3054858, and missed before: its opening sits "
    "near the threshold, so retrains move it); held out, not tuned on",
}
CASES = [
    pytest.param(
        persona,
        id=persona.name,
        marks=[pytest.mark.xfail(reason=KNOWN_MISSES[persona.name], strict=True)]
        if persona.name in KNOWN_MISSES
        else [],
    )
    for persona in PERSONAS
]


@pytest.mark.parametrize("persona", CASES)
def test_a_persona_pressing_buttons_gets_a_fitting_route(assistant, persona):
    asked, recommendation = run_persona(assistant, persona, typed=False)
    check_recommendation(persona, recommendation)
    assert max(Counter(asked).values(), default=0) <= MAX_ASKS


@pytest.mark.parametrize("persona", CASES)
def test_a_persona_typing_every_reply_gets_a_fitting_route(assistant, persona):
    asked, recommendation = run_persona(assistant, persona, typed=True)
    check_recommendation(persona, recommendation)
    # Asked only what the opening did not say, never a question three times, and quickly.
    assert tuple(asked) == persona.asks
    assert recommendation["turns"] <= MAX_TYPED_TURNS


def test_there_are_at_least_thirty_personas():
    assert len(PERSONAS) >= 30
    assert len({p.opening for p in PERSONAS}) == len(PERSONAS)


# ---------------------------------------------------------------- what it says


def test_a_description_in_the_request_is_said_back_and_not_asked(assistant):
    opening = "I'm a solicitor with four years in crime, which route suits me?"
    reply = assistant.send(new_sender(), opening)
    payload = contract_payload(reply)
    assert payload == {"topic": TOPIC, "question": "advocacy", "lang": "en"}
    text = reply_text(reply)
    assert text.startswith(PATHWAY.intro)
    assert "You're a solicitor with about four years of criminal practice." in text
    assert PATHWAY.correct_me in text
    assert text.endswith(question("advocacy"))


def test_a_bare_description_is_offered_the_finder_with_what_was_understood(assistant):
    sender = new_sender()
    offer = assistant.send(sender, "I'm a barrister, eight years in crime")
    assert contract_payload(offer) == {"topic": TOPIC, "lang": "en"}
    assert reply_text(offer) == (
        "You're a barrister with about eight years of criminal practice. " + PATHWAY.offer.ask
    )
    declined = assistant.send(sender, "/deny")
    assert contract_payload(declined) == {"topic": TOPIC, "lang": "en"}
    assert reply_text(declined) == PATHWAY.offer.declined
    # What was said earlier still counts when the visitor asks later.
    later = assistant.send(sender, "/pathway-finder")
    assert contract_payload(later)["question"] == "advocacy"


def test_what_was_said_before_the_request_fills_the_answers(assistant):
    sender = new_sender()
    question_first = "I'm a paralegal at the CPS, how much do associate prosecutors earn?"
    side = assistant.send(sender, question_first)
    assert contract_payload(side)["topic"] != TOPIC
    start = assistant.send(sender, "/pathway-finder")
    payload = contract_payload(start)
    assert payload["question"] == "right_to_work"
    assert "You're a paralegal at the CPS." in reply_text(start)


def test_a_wrong_guess_is_corrected(assistant):
    sender = new_sender()
    talk(assistant, sender, "I'm a solicitor, which route suits me?")
    corrected = assistant.send(sender, "no, I'm a barrister")
    payload = contract_payload(corrected)
    assert payload == {"topic": TOPIC, "question": "experience", "lang": "en"}
    assert "You're a barrister." in reply_text(corrected)


def test_a_statement_that_does_not_answer_is_asked_again_once_then_not_sure(assistant):
    sender = new_sender()
    talk(assistant, sender, "which route is best for someone like me", "I work as a paralegal")
    again = assistant.send(sender, "I'm a paralegal, not qualified")
    assert contract_payload(again) == {"topic": TOPIC, "question": "at_cps", "lang": "en"}
    assert reply_text(again).endswith(PATHWAY.questions["at_cps"].rephrase)
    on = assistant.send(sender, "I'm a paralegal, not qualified")
    assert contract_payload(on) == {"topic": TOPIC, "question": "right_to_work", "lang": "en"}
    assert reply_text(on).startswith(PATHWAY.skipped)


# ---------------------------------------------------------------- starting, stopping, side turns


@pytest.mark.parametrize(
    "opening",
    [
        "can you help me work out how to become a prosecutor?",
        "which route is right for me",
        "/pathway-finder",
    ],
)
def test_it_starts_when_asked(assistant, opening):
    reply = assistant.send(new_sender(), opening)
    assert contract_payload(reply) == {"topic": TOPIC, "question": "stage", "lang": "en"}
    assert reply_text(reply).startswith(PATHWAY.intro)


def test_the_routes_answer_offers_it(assistant):
    sender = new_sender()
    answer = assistant.send(sender, "/prosecutor-pathways")
    assert "which route is right for me?" in reply_text(answer)
    start = assistant.send(sender, "/pathway-finder")
    assert contract_payload(start)["question"] == "stage"


def test_a_side_question_is_answered_and_the_question_asked_again(assistant):
    sender = new_sender()
    talk(assistant, sender, "which route is right for me?", "I'm a paralegal")
    side = assistant.send(sender, "what does it pay?")
    assert contract_payload(side)["topic"] == "salary"  # the side answer's own topic
    assert reply_text(side).endswith(question("at_cps"))
    *_, last = talk(assistant, sender, "yes", "yes")
    assert contract_payload(last)["routes"][0] == "associate-prosecutor"


def test_a_question_is_not_asked_a_third_time_after_side_questions(assistant):
    sender = new_sender()
    talk(assistant, sender, "which route is right for me?", "I'm a paralegal")
    talk(assistant, sender, "what does it pay?")  # at_cps asked for the second time
    side = assistant.send(sender, "and the pension?")
    assert contract_payload(side)["topic"] == "pension"
    text = reply_text(side)
    assert PATHWAY.skipped in text and text.endswith(question("right_to_work"))


def test_a_message_about_danger_is_signposted_in_the_middle(assistant):
    sender = new_sender()
    talk(assistant, sender, "which route is right for me?")
    reply = assistant.send(sender, "I need to report a crime")
    assert contract_payload(reply)["topic"] == "report-a-crime"
    assert reply_text(reply).endswith(question("stage"))


def test_stop_ends_it_and_nothing_is_asked_afterwards(assistant):
    sender = new_sender()
    talk(assistant, sender, "which route is right for me?", "law student")
    stopped = assistant.send(sender, "cancel")
    assert contract_payload(stopped) == {"topic": TOPIC, "lang": "en"}
    assert reply_text(stopped) == PATHWAY.cancelled
    after = assistant.send(sender, "what does it pay?")
    assert contract_payload(after)["topic"] == "salary"
    assert question("right_to_work") not in reply_text(after)


def test_start_again_part_way_through_and_run_again_with_different_answers(assistant):
    sender = new_sender()
    talk(assistant, sender, "which route is right for me?", "I'm at school")
    again = assistant.send(sender, "start again")
    assert contract_payload(again) == {"topic": TOPIC, "question": "stage", "lang": "en"}
    *_, first_result = talk(assistant, sender, "I'm a paralegal at the cps", "yes")
    assert contract_payload(first_result)["routes"][0] == "associate-prosecutor"
    *_, second_result = talk(
        assistant, sender, "/start-again", "Returning to law after a career break", "not sure"
    )
    payload = contract_payload(second_result)
    assert payload["routes"][0] == "go-prosecute"
    assert PATHWAY.right_to_work_notes["not-sure"] in reply_text(second_result)


def test_nonsense_is_asked_again_once_then_the_main_routes(assistant):
    sender = new_sender()
    talk(assistant, sender, "which route is right for me?")
    again = assistant.send(sender, "zxqv blorp")
    assert contract_payload(again) == {"topic": TOPIC, "question": "stage", "lang": "en"}
    assert reply_text(again) == PATHWAY.questions["stage"].rephrase
    assert {"title": PATHWAY.stop, "payload": "/stop"} in buttons(again)
    last = assistant.send(sender, "blorp zxqv")
    assert contract_payload(last)["routes"][0] == "prosecutor-pathways"
    assert reply_text(last).startswith(PATHWAY.skipped)


@pytest.mark.parametrize("reply", ["yes", "no thanks"])
def test_a_yes_or_no_that_answers_nothing_gets_one_fallback_and_the_talk_goes_on(assistant, reply):
    sender = new_sender()
    talk(assistant, sender, "what does a crown prosecutor earn?")
    answer = assistant.send(sender, reply)
    assert contract_payload(answer)["topic"] == "fallback"
    assert len([m for m in answer if m.get("text")]) == 1
    after = assistant.send(sender, "what about the pension?")
    assert contract_payload(after)["topic"] == "pension"


def test_stop_when_nothing_is_running(assistant):
    reply = assistant.send(new_sender(), "stop")
    assert contract_payload(reply)["topic"] == TOPIC
    assert reply_text(reply) == PATHWAY.nothing_to_stop
