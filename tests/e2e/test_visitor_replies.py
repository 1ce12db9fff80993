"""What visitors met in real use, over HTTP with the real Rasa and action servers.

- A question names a role or thing the answer for its topic does not cover: say so and
  where to find out, or answer for the thing named; never a neighbouring answer.
- The best answer was just given: say what more there is, not the same text again.
- Ratings: offered on answers only (route-finder recommendations included), recorded
  for a recommendation, and a changed rating counts once in the console.
- The route finder's own buttons, pressed after it has finished, are recognised.

Expected texts come from the knowledge file, as the actions compose them.
"""

from __future__ import annotations

import sqlite3
from collections import namedtuple

import pytest
from assistant_client import buttons, contract_payload, new_sender, reply_text

from bot.knowledge import load_knowledge
from web.console.conversations import summarise

pytestmark = pytest.mark.e2e
KB = load_knowledge()
PATHWAY = KB.pathway
SAID = KB.conversation
TOPIC = "pathway-finder"
CONTACT = "/human-handoff"


def not_covered(name: str) -> str:
    return SAID["not-covered"].answer.replace("{subject}", name)


def payloads(messages) -> list[str]:
    return [b["payload"] for b in buttons(messages)]


# ---------------------------------------------------------------- the subject asked about


def test_pay_for_a_misspelt_role_is_that_roles_pay(assistant):
    reply = assistant.send(new_sender(), "yo wats the pay like 4 a paralegel")
    payload = contract_payload(reply)
    assert payload["topic"] == "salary"
    assert payload["subject"] == "paralegal-officer"
    assert reply_text(reply) == KB.entries["paralegal-officer"].pay.answer


def test_pay_for_something_without_pay_details_says_so_and_where_to_find_out(assistant):
    named = "apprenticeships"
    assert KB.entries[named].pay is None  # the knowledge file has nothing on its pay
    reply = assistant.send(new_sender(), "do apprentices get paid?")
    payload = contract_payload(reply)
    assert payload["topic"] == "salary"
    assert payload["subject"] == named
    assert payload["source"] == KB.entries[named].source  # where to find out
    assert reply_text(reply) == not_covered(KB.entries[named].title)
    # Not the neighbouring answer: no crown prosecutor figures.
    assert KB.entries["salary"].answer not in reply_text(reply)
    assert "£" not in reply_text(reply)
    # What there is on the subject, the general answer, and a person, as buttons.
    assert payloads(reply) == [f"/{named}", "/salary", CONTACT]
    assert payload["rateable"] is True


def test_pay_for_a_course_the_knowledge_file_only_mentions_says_so(assistant):
    reply = assistant.send(new_sender(), "does the cps pay for the lpc")
    payload = contract_payload(reply)
    assert payload["topic"] == "salary"
    assert reply_text(reply) == not_covered("LPC")
    assert "£" not in reply_text(reply)
    assert CONTACT in payloads(reply) and "/salary" in payloads(reply)


def test_a_question_about_two_courses_never_gets_the_general_pay_answer(assistant):
    reply = assistant.send(new_sender(), "does the CPS pay for the SQE or LPC?")
    payload = contract_payload(reply)
    # Not understood with suggestions, or said not to be covered: never a neighbouring answer.
    assert payload["topic"] in ("fallback", "salary")
    assert "£" not in reply_text(reply)
    assert KB.entries["salary"].answer not in reply_text(reply)


@pytest.mark.xfail(
    strict=True,
    reason="'crown prosecutor job share?' falls back with the bilingual model (below 0.5); "
    "job-share examples in other words did not lift it",
)
def test_a_benefit_asked_about_in_a_role_is_answered_from_the_benefit(assistant):
    # The classifier takes this for the role; the job share named in it is the subject.
    reply = assistant.send(new_sender(), "crown prosecutor job share?")
    payload = contract_payload(reply)
    assert payload["topic"] == "flexible-working"
    assert payload["subject"] == "crown-prosecutor"  # "what does it pay?" stays on the role
    assert reply_text(reply) == KB.entries["flexible-working"].answer


def test_a_job_share_question_never_gets_the_role_description(assistant):
    reply = assistant.send(new_sender(), "could I do a job share as a crown prosecutor")
    payload = contract_payload(reply)
    assert KB.entries["crown-prosecutor"].answer not in reply_text(reply)
    if payload["topic"] == "fallback":  # unsure: flexible working is offered
        assert "flexible-working" in payload["suggestions"]
    else:
        assert payload["topic"] == "flexible-working", payload


# ---------------------------------------------------------------- no word-for-word repeats


def test_asked_again_the_detail_comes_next_then_what_else_there_is(assistant):
    sender = new_sender()
    entry = KB.entries["flexible-working"]
    assert entry.detail
    first = assistant.send(sender, "do you offer flexible working?")
    assert contract_payload(first)["topic"] == entry.id
    assert reply_text(first) == entry.answer

    second = assistant.send(sender, "can I work from home most of the week?")
    payload = contract_payload(second)
    assert payload["topic"] == entry.id
    assert reply_text(second) == f"{SAID['repeat-more'].answer}\n\n{entry.detail}"
    assert payload["source"] == entry.source and payload["rateable"] is True
    assert CONTACT in payloads(second)

    third = assistant.send(sender, "is hybrid working possible?")
    payload = contract_payload(third)
    assert payload["topic"] == entry.id
    assert reply_text(third) == SAID["repeat-nothing-more"].answer.replace(
        "{subject}", entry.title
    )
    assert payloads(third) == [f"/{r}" for r in entry.related] + [CONTACT]
    assert "rateable" not in payload  # nothing new to rate


def test_without_detail_a_repeat_says_what_else_there_is_at_once(assistant):
    sender = new_sender()
    entry = KB.entries["reasonable-adjustments"]
    assert not entry.detail
    first = assistant.send(sender, "can I get adjustments for my interview?")
    assert reply_text(first) == entry.answer
    again = assistant.send(sender, "what reasonable adjustments can I ask for?")
    assert contract_payload(again)["topic"] == entry.id
    assert reply_text(again) != entry.answer
    assert reply_text(again).startswith(SAID["repeat-nothing-more"].answer.split("{")[0])
    assert CONTACT in payloads(again)


def test_safety_signposting_is_given_every_time(assistant):
    sender = new_sender()
    first = assistant.send(sender, "I want to report a crime")
    again = assistant.send(sender, "I want to report a crime")
    assert reply_text(first) == reply_text(again)
    assert "999" in reply_text(again)


# ---------------------------------------------------------------- ratings and old buttons


def finish_the_finder(assistant, sender: str, stage: str) -> tuple[dict, list[str]]:
    """Run the finder by pressing buttons (the `stage` choice, then each first choice)."""
    reply = assistant.send(sender, "/pathway-finder")
    asked = []
    while "routes" not in (payload := contract_payload(reply)):
        assert payload["topic"] == TOPIC and "rateable" not in payload, "no rating on questions"
        asked.append(payload["question"])
        choices = PATHWAY.questions[payload["question"]].choices
        title = stage if payload["question"] == "stage" else choices[0].title
        assert title in [b["title"] for b in buttons(reply)]
        reply = assistant.send(sender, title)  # choice buttons send their titles
        assert len(asked) < 10
    return payload, asked


def rows_of(assistant, sender: str) -> list:
    Row = namedtuple("Row", "id type_name data timestamp")
    with sqlite3.connect(assistant.rasa_service.env["TRACKER_DB"]) as connection:
        return [
            Row(*row)
            for row in connection.execute(
                "SELECT id, type_name, data, timestamp FROM events WHERE sender_id = ?"
                " ORDER BY id",
                (sender,),
            )
        ]


def test_ratings_are_asked_on_answers_only(assistant):
    sender = new_sender()
    assert "rateable" not in contract_payload(assistant.send(sender, "/greeting"))
    assert contract_payload(assistant.send(sender, "/pension"))["rateable"] is True
    assert "rateable" not in contract_payload(assistant.send(sender, "thank you"))
    assert "rateable" not in contract_payload(assistant.send(sender, "zxqv blorp snarf"))
    assert contract_payload(assistant.send(sender, "can I speak to a human"))["rateable"]


def test_a_recommendation_is_rated_once_and_a_changed_rating_replaces_the_first(assistant):
    sender = new_sender()
    recommendation, _ = finish_the_finder(assistant, sender, "Studying law at university")
    assert recommendation["rateable"] is True
    for rating in ("up", "down"):
        ack = assistant.send(sender, f'/feedback{{"rating": "{rating}", "rated_topic": "{TOPIC}"}}')
        assert contract_payload(ack)["topic"] == TOPIC
        # (after "not helpful", the offer of the recruitment team follows the thanks)
        assert reply_text(ack).startswith(SAID["feedback-thanks"].answer)
        assert SAID["feedback-invalid"].answer not in reply_text(ack)
    # And an answer rated up twice then down: one rating each, the last one given.
    assistant.send(sender, "/pension")
    for rating in ("up", "up", "down"):
        assistant.send(sender, f'/feedback{{"rating": "{rating}", "rated_topic": "pension"}}')
    summary, *_ = summarise(sender, rows_of(assistant, sender))
    assert (summary["feedback_up"], summary["feedback_down"]) == (0, 2)
    assert summary["fallbacks"] == 0  # no rating was taken as not understood


def test_an_old_finder_button_offers_to_start_again_with_that_answer(assistant):
    sender = new_sender()
    qualified = next(c for c in PATHWAY.questions["stage"].choices if c.value == "qualified")
    _, asked = finish_the_finder(assistant, sender, qualified.title)
    assert asked[0] == "stage"

    old = assistant.send(sender, qualified.title)  # pressed again, the finder has finished
    payload = contract_payload(old)
    assert payload["topic"] == TOPIC
    assert reply_text(old) == SAID["finder-answer-again"].answer.replace(
        "{button}", PATHWAY.offer.title
    )
    assert buttons(old) == [{"title": PATHWAY.offer.title, "payload": "/pathway-finder"}]

    again = assistant.send(sender, "/pathway-finder")
    payload = contract_payload(again)
    assert payload["topic"] == TOPIC
    assert payload["question"] != "stage"  # the old button's answer was kept
    assert "qualified" in reply_text(again).lower()  # and said back
