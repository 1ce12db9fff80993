"""Real conversations with the running Rasa and action servers, over HTTP."""

from __future__ import annotations

import re

import pytest
import requests
from assistant_client import buttons, contract_payload, new_sender, reply_text

from bot.knowledge import load_knowledge

pytestmark = pytest.mark.e2e
KB = load_knowledge()
SIGNPOSTING = ("report-a-crime", "victims-and-witnesses", "case-enquiry-or-complaint")


@pytest.mark.parametrize("topic", list(KB.entries))
def test_every_topic_is_reachable_with_its_source_and_review_date(assistant, topic):
    messages = assistant.send(new_sender(), f"/{topic}")
    payload = contract_payload(messages)
    entry = KB.entries[topic]
    assert payload["topic"] == topic
    assert payload["source"] == entry.source and payload["source"].startswith("https://")
    assert payload["reviewed"] == entry.reviewed.isoformat()
    texts = [m["text"] for m in messages if m.get("text")]
    assert texts[-1] == entry.answer
    if topic in SIGNPOSTING:  # safety first: the signposting, then the answer
        assert "999" in messages[0]["text"] and payload["safety"] is True
    else:
        assert reply_text(messages) == entry.answer
    related_payloads = {b["payload"] for b in buttons(messages)}
    assert {f"/{r}" for r in entry.related} <= related_payloads


def test_context_carries_the_subject_across_turns(assistant):
    sender = new_sender()
    scheme = KB.entries["legal-trainee-scheme"]

    first = assistant.send(sender, "tell me about the Legal Trainee Scheme")
    assert contract_payload(first)["topic"] == "legal-trainee-scheme"

    apply = assistant.send(sender, "how do I apply for it?")
    payload = contract_payload(apply)
    assert payload["topic"] == "how-to-apply"
    assert payload["subject"] == "legal-trainee-scheme"
    assert reply_text(apply) == scheme.apply.answer

    pay = assistant.send(sender, "what does it pay?")
    payload = contract_payload(pay)
    assert payload["topic"] == "salary"
    assert payload["subject"] == "legal-trainee-scheme"
    assert payload["source"] == scheme.pay.source
    assert reply_text(pay) == scheme.pay.answer

    london = assistant.send(sender, "what about London?")
    assert contract_payload(london)["topic"] == "salary"
    assert reply_text(london) == (scheme.pay.london or KB.entries["salary"].pay.london)


def test_london_pay_follows_a_salary_answer(assistant):
    sender = new_sender()
    first = assistant.send(sender, "how much does a crown prosecutor earn?")
    assert contract_payload(first)["topic"] == "salary"
    london = assistant.send(sender, "what about London?")
    payload = contract_payload(london)
    assert payload["topic"] == "salary"
    assert re.search(r"London", reply_text(london))
    assert "£" in reply_text(london)


def test_tell_me_more_gives_the_detail_of_the_last_answer(assistant):
    sender = new_sender()
    assistant.send(sender, "/pupillage")
    more = assistant.send(sender, "/tell-me-more")
    payload = contract_payload(more)
    assert payload["topic"] == "pupillage"
    assert reply_text(more) == (
        KB.entries["pupillage"].detail or KB.conversation["more-unavailable"].answer
    )


def test_greeting_says_it_is_automated_and_asks_for_no_personal_details(assistant):
    messages = assistant.send(new_sender(), "hello")
    assert contract_payload(messages)["topic"] == "greeting"
    text = reply_text(messages).lower()
    assert "automated" in text
    assert "personal" in text


def test_bot_identity_is_always_truthful(assistant):
    messages = assistant.send(new_sender(), "am I talking to a real person?")
    assert contract_payload(messages)["topic"] == "bot-identity"
    assert "automated" in reply_text(messages).lower()


@pytest.mark.parametrize(
    "message",
    ["I want to report a crime", "someone is attacking me right now", "I'm in danger"],
)
def test_reporting_a_crime_gets_999_first(assistant, message):
    messages = assistant.send(new_sender(), message)
    assert contract_payload(messages)["topic"] == "report-a-crime"
    text = reply_text(messages)
    assert "999" in text and "101" in text
    assert text.index("999") < text.index("101")


def test_human_handoff_gives_a_contact_route(assistant):
    messages = assistant.send(new_sender(), "can I speak to a human please")
    payload = contract_payload(messages)
    assert payload["topic"] == "human-handoff"
    assert reply_text(messages) == KB.conversation["human-handoff"].answer


def test_an_unclear_question_gets_suggestions_and_nonsense_gets_none(assistant):
    messages = assistant.send(new_sender(), "pension money for my retirement, how does that work")
    payload = contract_payload(messages)
    if payload["topic"] != "pension":  # understood outright is fine; otherwise it must offer it
        assert payload["topic"] == "fallback"
        assert "pension" in payload["suggestions"]
    gibberish = assistant.send(new_sender(), "zxqv blorp snarf")
    payload = contract_payload(gibberish)
    assert payload == {
        "topic": "fallback",
        "suggestions": [],
        "lang": "en",
    }  # no guesses from noise
    assert not buttons(gibberish)


def test_feedback_is_acknowledged_with_the_rated_topic(assistant):
    sender = new_sender()
    assistant.send(sender, "/pension")
    messages = assistant.send(sender, '/feedback{"rating": "down", "rated_topic": "pension"}')
    assert contract_payload(messages)["topic"] == "pension"
    # Thanks first; after "not helpful", the offer of the recruitment team follows it.
    assert reply_text(messages).startswith(KB.conversation["feedback-thanks"].answer)


def test_a_conversation_survives_a_rasa_restart(assistant):
    sender = new_sender()
    assistant.send(sender, "tell me about pupillage")
    assistant.restart_rasa()
    messages = assistant.send(sender, "tell me more")
    assert contract_payload(messages)["topic"] == "pupillage"


def test_rasa_http_api_is_not_served_without_a_token(assistant):
    for path in ["/status", "/conversations/someone/tracker", "/model"]:
        response = requests.get(assistant.rasa_url + path, timeout=10)
        assert response.status_code in (404, 405), (path, response.status_code)
