"""A Welsh conversation with the running Rasa and action servers, over the REST channel.

Questions, a follow-up, the route finder, a fallback and a signposting case in Welsh,
then a switch to English and back: each reply is in the language of its message, its
text is the knowledge file's Welsh, and its payload says `"lang"`.
"""

from __future__ import annotations

import pytest
from assistant_client import buttons, contract_payload, new_sender, reply_text

from bot.knowledge import load_knowledge

pytestmark = pytest.mark.e2e
KB = load_knowledge()
WELSH = {"lang": "cy"}  # the widget's metadata when the visitor chose Cymraeg


def welsh(entry_id: str, field: str = "answer") -> str:
    return KB.entries[entry_id].text(field, "cy").text


def test_a_welsh_conversation_is_answered_in_welsh_and_follows_a_switch(assistant):
    sender = new_sender()

    first = assistant.send(
        sender, "Sut mae'r cynllun hyfforddeion cyfreithiol yn gweithio i raddedigion?"
    )
    payload = contract_payload(first)
    assert payload["topic"] == "legal-trainee-scheme" and payload["lang"] == "cy"
    assert reply_text(first) == welsh("legal-trainee-scheme")
    assert payload["title"] == welsh("legal-trainee-scheme", "title")
    more_button = KB.label("tell-me-more", "cy").text
    assert more_button in {b["title"] for b in buttons(first)}

    more = assistant.send(sender, "Dywedwch ragor wrtha i")
    assert contract_payload(more)["lang"] == "cy"
    assert reply_text(more) == welsh("legal-trainee-scheme", "detail")

    pay = assistant.send(sender, "A faint mae'r hyfforddeion yn ei ennill?")
    payload = contract_payload(pay)
    assert payload["topic"] == "salary" and payload["lang"] == "cy"
    assert reply_text(pay) == welsh("legal-trainee-scheme", "pay.answer")

    # A switch to English is answered in English, and back in Welsh.
    english = assistant.send(sender, "and how much annual leave would I get?")
    payload = contract_payload(english)
    assert payload["topic"] == "annual-leave" and payload["lang"] == "en"
    assert reply_text(english) == KB.entries["annual-leave"].answer

    back = assistant.send(sender, "Oes pensiwn da gyda'r swydd hefyd?")
    payload = contract_payload(back)
    assert payload["topic"] == "pension" and payload["lang"] == "cy"
    assert reply_text(back) == welsh("pension")

    # "ok" cannot tell: it keeps the conversation's language (Welsh, the last that could).
    thanks = assistant.send(sender, "diolch yn fawr i chi am hynny")
    assert contract_payload(thanks)["lang"] == "cy"
    assert reply_text(thanks) == KB.conversation_text("thanks", "cy").text


def test_the_route_finder_asks_and_offers_its_choices_in_welsh(assistant):
    pathway = KB.pathway
    sender = new_sender()
    start = assistant.send(sender, "/pathway-finder", metadata=WELSH)
    payload = contract_payload(start)
    assert payload["topic"] == "pathway-finder" and payload["lang"] == "cy"
    stage = pathway.questions[payload["question"]]
    text = reply_text(start)
    assert stage.text("ask", "cy").text in text
    assert stage.ask not in text
    titles = {b["title"] for b in buttons(start)}
    assert {choice.text("title", "cy").text for choice in stage.choices} <= titles

    choice = stage.choices[0]
    button = next(b for b in buttons(start) if b["title"] == choice.text("title", "cy").text)
    after = assistant.send(sender, button["payload"], metadata=WELSH)
    payload = contract_payload(after)
    assert payload["topic"] == "pathway-finder" and payload["lang"] == "cy", after


def test_an_unclear_welsh_message_gets_the_welsh_fallback(assistant):
    # "And what about that?", with nothing before it to be about.
    messages = assistant.send(new_sender(), "A beth am hynny, te?")
    payload = contract_payload(messages)
    assert payload["topic"] == "fallback" and payload["lang"] == "cy"
    said = {KB.conversation_text(key, "cy").text for key in ("fallback", "fallback-no-suggestions")}
    assert reply_text(messages).split("\n")[0] in said or reply_text(messages) in said
    suggested = {KB.entries[t].text("title", "cy").text for t in payload["suggestions"]}
    assert {b["title"] for b in buttons(messages)} >= suggested


def test_a_welsh_visitor_in_danger_is_signposted_first_in_welsh(assistant):
    messages = assistant.send(new_sender(), "Mae fy nghyn-bartner wedi bygwth fy lladd i neithiwr")
    payload = contract_payload(messages)
    assert payload["safety"] is True or payload["topic"] == "report-a-crime", messages
    assert payload["lang"] == "cy"
    first = messages[0]["text"]
    assert first.startswith(KB.safety.emergency.text("answer", "cy").text)
    assert "999" in first


def test_a_chosen_language_answers_a_button_in_welsh(assistant):
    messages = assistant.send(new_sender(), "/pension", metadata=WELSH)
    payload = contract_payload(messages)
    assert payload["topic"] == "pension" and payload["lang"] == "cy"
    assert reply_text(messages) == welsh("pension")
    english = assistant.send(new_sender(), "/pension")
    assert contract_payload(english)["lang"] == "en"
