"""The offer to send the question to the recruitment team: when a visitor asks for a person,
after two turns in a row that were not understood, and after a "not helpful" rating; a
button with the standard title and payload and a link to the form page."""

from __future__ import annotations

from rasa_sdk import Tracker
from trackers import entity, make_tracker

from bot.actions.conversation import ActionConverse
from bot.actions.fallback import ActionSuggestTopics
from bot.actions.feedback import ActionRecordFeedback
from bot.actions.handoff import form_url
from bot.knowledge import load_knowledge

TITLE = "Send your question to the recruitment team"
CONTACT = "https://www.cps.gov.uk/contact-us"


def offers(messages: list[dict]) -> list[dict]:
    return [b for m in messages for b in m.get("buttons") or [] if b["title"] == TITLE]


def with_history(tracker: Tracker, *turns: tuple[str, dict]) -> Tracker:
    """``tracker`` after earlier turns: (visitor text, the reply's custom payload)."""
    events = []
    for text, custom in turns:
        events += [{"event": "user", "text": text},
                   {"event": "bot", "text": "...", "data": {"custom": custom}}]
    events.append({"event": "user", "text": tracker.latest_message["text"]})
    tracker.events = events
    return tracker


def test_the_form_link_carries_the_conversation_in_the_fragment():
    assert form_url("abc123", {"PUBLIC_WEB_URL": "https://careers.example/"}) == (
        "https://careers.example/ask-the-recruitment-team#conversation=abc123"
    )
    assert form_url("a b/c", {"WEB_PORT": "8123"}) == (
        "http://localhost:8123/ask-the-recruitment-team#conversation=a%20b%2Fc"
    )
    assert form_url("abc123", {"PUBLIC_WEB_URL": "https://careers.example"}, lang="cy") == (
        "https://careers.example/cy/ask-the-recruitment-team#conversation=abc123"
    )


async def test_asking_for_a_person_offers_the_form_beside_the_contact_page(dispatcher):
    tracker = make_tracker("human-handoff", "can I talk to a real person")
    await ActionConverse().run(dispatcher, tracker, {})
    reply = next(m for m in dispatcher.messages if m.get("custom"))
    assert reply["custom"]["topic"] == "human-handoff"
    assert CONTACT in reply["text"]
    [button] = offers([reply])
    assert button["payload"] == "/human-handoff"
    assert button["url"].endswith("/ask-the-recruitment-team#conversation=unit-test")
    assert "/cy/" not in button["url"]


async def test_a_welsh_visitor_is_offered_the_welsh_form_page(dispatcher):
    tracker = make_tracker("human-handoff", "ga i siarad efo person go iawn plis")
    await ActionConverse().run(dispatcher, tracker, {})
    [button] = [b for m in dispatcher.messages for b in m.get("buttons") or []]
    assert button["title"] == "Anfonwch eich cwestiwn at y tîm recriwtio"
    assert button["url"].endswith("/cy/ask-the-recruitment-team#conversation=unit-test")


async def test_one_turn_not_understood_makes_no_offer(dispatcher):
    tracker = with_history(make_tracker("nlu_fallback", "blorp the wibble"),
                           ("what does a paralegal earn", {"topic": "salary"}))
    await ActionSuggestTopics().run(dispatcher, tracker, {})
    assert offers(dispatcher.messages) == []


async def test_two_turns_in_a_row_not_understood_offer_the_form(dispatcher):
    tracker = with_history(make_tracker("nlu_fallback", "blorp the wibble again"),
                           ("hmm the flibber", {"topic": "fallback"}))
    await ActionSuggestTopics().run(dispatcher, tracker, {})
    contract = [m for m in dispatcher.messages if m.get("custom")]
    assert len(contract) == 1 and contract[0]["custom"]["topic"] == "fallback"
    offer = dispatcher.messages[-1]
    assert offers([offer]) and CONTACT in offer["text"] and not offer.get("custom")


async def test_a_not_helpful_rating_offers_the_form_and_a_helpful_one_does_not(dispatcher):
    kb = load_knowledge()
    topic = next(iter(kb.entries))
    for rating, offered in (("up", False), ("down", True)):
        dispatcher.messages.clear()
        tracker = make_tracker("feedback", "", [entity("rating", rating),
                                                entity("rated_topic", topic)])
        await ActionRecordFeedback().run(dispatcher, tracker, {})
        assert bool(offers(dispatcher.messages)) is offered
        assert [m["custom"]["topic"] for m in dispatcher.messages if m.get("custom")] == [topic]
