"""The pathway finder in real conversations with the running Rasa and action servers."""

from __future__ import annotations

import pytest
from assistant_client import buttons, contract_payload, new_sender, reply_text

from bot.knowledge import load_knowledge

pytestmark = pytest.mark.e2e
KB = load_knowledge()
PATHWAY = KB.pathway
TOPIC = "pathway-finder"


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


# (what the visitor says after "which route is right for me?", the routes expected, best first)
STARTING_POINTS = {
    "school pupil": (["I'm in year 12", "yes"], ["solicitor-apprenticeship"]),
    "law student": (["Studying law at university", "Yes"], ["legal-trainee-scheme"]),
    "non-law student": (
        ["I'm studying history at uni", "yeah"],
        ["legal-trainee-scheme", "paralegal-officer"],
    ),
    "bar course": (["I'm doing the bar course", "yes"], ["legal-trainee-scheme", "pupillage"]),
    "sqe, course asked": (
        ["Taking or passed the LPC, SQE or Bar course", "i'm doing the sqe", "yes"],
        ["legal-trainee-scheme", "training-contract"],
    ),
    "newly qualified solicitor": (
        ["I'm a qualified solicitor", "none yet", "No, I prefer casework and advice", "yes"],
        ["crown-prosecutor"],
    ),
    "experienced solicitor": (
        ["I'm a qualified solicitor", "2 yrs criminal practice", "not really", "yes"],
        ["senior-crown-prosecutor"],
    ),
    "experienced advocate": (
        ["barrister", "8 years", "yes definitely", "yes"],
        ["crown-advocate", "senior-crown-prosecutor"],
    ),
    "newly qualified barrister": (["I'm a newly qualified barrister", "yes"], ["go-prosecute"]),
    "chartered legal executive": (
        ["I'm a chartered legal executive", "yes"],
        ["associate-prosecutor"],
    ),
    "paralegal at the cps": (["I'm a paralegal at the cps", "yes"], ["associate-prosecutor"]),
    "paralegal elsewhere": (
        ["Working as a paralegal", "no, at a law firm", "yes"],
        ["paralegal-officer"],
    ),
    "cps staff": (["Working at the CPS in another role", "yes"], ["solicitor-apprenticeship"]),
    "returner": (["Returning to law after a career break", "yes"], ["go-prosecute"]),
    "no right to work": (["I have a law degree", "no"], ["eligibility-nationality"]),
}


@pytest.mark.parametrize("starting_point", list(STARTING_POINTS))
def test_each_starting_point_gets_its_route(assistant, starting_point):
    answers, expected = STARTING_POINTS[starting_point]
    sender = new_sender()
    first, *turns = talk(assistant, sender, "which route is right for me?", *answers)
    assert contract_payload(first) == {"topic": TOPIC, "question": "stage"}
    assert question("stage") in reply_text(first)
    for turn in turns[:-1]:  # every question is asked under the pathway finder's topic
        assert contract_payload(turn)["topic"] == TOPIC
    payload = contract_payload(turns[-1])
    assert payload["topic"] == TOPIC
    assert payload["routes"][: len(expected)] == expected
    assert 1 <= len(payload["routes"]) <= 3
    text = reply_text(turns[-1])
    for route in payload["routes"]:
        assert KB.entries[route].source in text
        assert f"/{route}" in {b["payload"] for b in buttons(turns[-1])}
    assert PATHWAY.disclaimer in text


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
    assert contract_payload(reply)["topic"] == TOPIC
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


def test_stop_ends_it_and_nothing_is_asked_afterwards(assistant):
    sender = new_sender()
    talk(assistant, sender, "which route is right for me?", "law student")
    stopped = assistant.send(sender, "cancel")
    assert contract_payload(stopped) == {"topic": TOPIC}
    assert reply_text(stopped) == PATHWAY.cancelled
    after = assistant.send(sender, "what does it pay?")
    assert contract_payload(after)["topic"] == "salary"
    assert question("right_to_work") not in reply_text(after)


def test_start_again_part_way_through_and_run_again_with_different_answers(assistant):
    sender = new_sender()
    talk(assistant, sender, "which route is right for me?", "I'm at school")
    again = assistant.send(sender, "start again")
    assert contract_payload(again) == {"topic": TOPIC, "question": "stage"}
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
    assert contract_payload(again) == {"topic": TOPIC, "question": "stage"}
    assert reply_text(again) == PATHWAY.questions["stage"].rephrase
    assert {"title": PATHWAY.stop, "payload": "/stop"} in buttons(again)
    last = assistant.send(sender, "blorp zxqv")
    assert contract_payload(last)["routes"][0] == "prosecutor-pathways"


def test_stop_when_nothing_is_running(assistant):
    reply = assistant.send(new_sender(), "stop")
    assert contract_payload(reply)["topic"] == TOPIC
    assert reply_text(reply) == PATHWAY.nothing_to_stop
