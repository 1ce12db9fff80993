"""Replies in the visitor's language: which language, and the Welsh from the knowledge file."""

import pytest
from rasa_sdk import Tracker

from bot.actions.conversation import ActionConverse
from bot.actions.fallback import ActionSuggestTopics
from bot.actions.identify_language import identify
from bot.actions.in_welsh import welsh_replies
from bot.actions.knowledge_answers import ActionAnswerKnowledge
from bot.actions.language import reply_language
from bot.actions.signposting import safety_lead
from bot.channels.metadata import kept_metadata
from bot.knowledge import load_knowledge
from tests.actions.trackers import entity, make_tracker


def with_history(latest: Tracker, earlier: list[tuple[str, dict | None]]) -> Tracker:
    latest.events = [
        {"event": "user", "text": text, "metadata": metadata or {}} for text, metadata in earlier
    ] + [{"event": "user", **latest.latest_message}]
    return latest


@pytest.mark.parametrize(
    "text",
    [
        "Faint mae erlynydd y Goron yn ei ennill?",
        "oes swyddi i bobl ifanc yng Nghaerdydd",
        "dw i'n meddwl am neud cais am y training contract",  # Welsh with an English term
        "helo, bore da",  # too few letters for the detector: a Welsh-only greeting
        "Helo",
        "prynhawn da",
        # Words only the Welsh training examples use count as Welsh: the detector alone
        # scores these English, or cannot tell.
        "pa mor hir ydy'r training contract yn y cps",
        "Iawn, grêt. A be am y pupillage te?",
    ],
)
def test_welsh_messages_are_welsh(text):
    assert identify(text) == "cy"


@pytest.mark.parametrize(
    "text",
    [
        "How much does a crown prosecutor earn?",
        "is there a CPS office in Cardiff",
        "hello, good morning",
    ],
)
def test_english_messages_are_english(text):
    assert identify(text) == "en"


def test_english_text_speak_is_not_taken_for_welsh():
    # The detector scores "hw" and "wrk" Welsh; the English examples use them.
    assert identify("hw many ppl wrk 4 the cps") != "cy"


@pytest.mark.parametrize("text", ["ok", "/salary", "Rhys", "", "123"])
def test_short_names_and_buttons_cannot_tell(text):
    assert identify(text) is None


def test_a_message_is_answered_in_its_own_language_whatever_came_before():
    english_now = with_history(
        make_tracker("salary", "what does it pay?"), [("Shwmae, sut mae?", None)]
    )
    assert reply_language(english_now) == "en"
    welsh_now = with_history(
        make_tracker("salary", "Faint yw'r cyflog?"), [("what do crown prosecutors do", None)]
    )
    assert reply_language(welsh_now) == "cy"


def test_a_message_that_cannot_tell_keeps_the_conversation_language():
    tracker = with_history(
        make_tracker("thanks", "ok"), [("Beth yw'r cynllun hyfforddeion?", None)]
    )
    assert reply_language(tracker) == "cy"
    assert reply_language(make_tracker("thanks", "ok")) == "en"


def test_the_chosen_language_is_used_until_a_message_can_tell():
    tracker = make_tracker("tell-me-more", "/tell-me-more")
    tracker.latest_message["metadata"] = {"lang": "cy"}
    assert reply_language(tracker) == "cy"
    tracker.latest_message["text"] = "tell me more please"
    assert reply_language(tracker) == "en"


def test_only_the_chosen_language_is_kept_from_client_metadata():
    assert kept_metadata({"lang": "cy", "name": "Rhys"}) == {"lang": "cy"}
    assert kept_metadata({"lang": "fr"}) is None
    assert kept_metadata("cy") is None


async def test_a_welsh_question_gets_the_welsh_answer_with_its_source(dispatcher):
    kb = load_knowledge()
    tracker = make_tracker("pension", "Sut mae'r pensiwn yn gweithio?")
    await ActionAnswerKnowledge().run(dispatcher, tracker, {})
    [answer] = [m for m in dispatcher.messages if m.get("custom")]
    entry = kb.entries["pension"]
    assert answer["text"] == entry.text("answer", "cy").text
    assert answer["custom"]["lang"] == "cy"
    assert answer["custom"]["title"] == entry.text("title", "cy").text
    source = entry.source_in("cy")
    assert answer["custom"]["source"] == source.url
    if source.in_english:
        assert answer["custom"]["source_note"] == kb.label("source-in-english", "cy").text
    titles = {b["title"] for b in answer["buttons"]}
    assert kb.label("tell-me-more", "cy").text in titles
    assert {kb.entries[r].text("title", "cy").text for r in entry.related} <= titles


async def test_an_english_question_is_answered_in_english_and_says_so(dispatcher):
    tracker = make_tracker("pension", "how does the pension work?")
    await ActionAnswerKnowledge().run(dispatcher, tracker, {})
    [answer] = [m for m in dispatcher.messages if m.get("custom")]
    assert answer["text"] == load_knowledge().entries["pension"].answer
    assert answer["custom"]["lang"] == "en"
    assert "source_note" not in answer["custom"]


async def test_welsh_pay_for_a_named_role(dispatcher):
    kb = load_knowledge()
    tracker = make_tracker(
        "salary", "Faint mae erlynydd cyswllt yn ei gael?", [entity("role", "associate-prosecutor")]
    )
    await ActionAnswerKnowledge().run(dispatcher, tracker, {})
    [answer] = [m for m in dispatcher.messages if m.get("custom")]
    assert answer["custom"]["lang"] == "cy"
    assert answer["text"] == kb.entries["associate-prosecutor"].text("pay.answer", "cy").text


async def test_safety_signposting_comes_first_in_welsh(dispatcher):
    kb = load_knowledge()
    tracker = make_tracker(
        "report-a-crime",
        "Mae rhywun wedi torri i mewn i'r tŷ",
        understanding={"safety": ["danger"]},
    )
    await ActionAnswerKnowledge().run(dispatcher, tracker, {})
    first, *_ = dispatcher.messages
    assert first["text"].startswith(kb.safety.emergency.text("answer", "cy").text)
    assert kb.safety.emergency.answer not in first["text"]
    answer = next(m for m in dispatcher.messages if m.get("custom"))
    assert answer["custom"]["safety"] is True and answer["custom"]["lang"] == "cy"


async def test_welsh_fallback_offers_welsh_suggestions(dispatcher):
    kb = load_knowledge()
    tracker = make_tracker(
        "nlu_fallback",
        "dw i ddim yn siŵr am y pensiwn a'r gwyliau",
        ranking=[
            {"name": "pension", "confidence": 0.3},
            {"name": "annual-leave", "confidence": 0.2},
        ],
    )
    await ActionSuggestTopics().run(dispatcher, tracker, {})
    reply = next(m for m in dispatcher.messages if m.get("custom"))
    assert reply["custom"]["topic"] == "fallback" and reply["custom"]["lang"] == "cy"
    assert reply["text"] == kb.conversation_text("fallback", "cy").text
    welsh_titles = {kb.entries[t].text("title", "cy").text for t in reply["custom"]["suggestions"]}
    assert {b["title"] for b in reply["buttons"]} == welsh_titles


async def test_welsh_greeting(dispatcher):
    await ActionConverse().run(dispatcher, make_tracker("greeting", "Shwmae, bore da i chi"), {})
    reply = next(m for m in dispatcher.messages if m.get("custom"))
    assert reply["text"] == load_knowledge().conversation_text("greeting", "cy").text


def test_a_filled_template_is_said_in_welsh():
    kb = load_knowledge()
    title = kb.entries["pupillage"]
    english = kb.conversation["not-covered"].answer.replace("{subject}", title.title)
    welsh = kb.conversation_text("not-covered", "cy").text.replace(
        "{subject}", title.text("title", "cy").text
    )
    assert welsh_replies(kb).text(english) == welsh


def test_a_lead_and_an_answer_are_both_said_in_welsh():
    kb = load_knowledge()
    lead = safety_lead(kb, "victims-and-witnesses", ["victim"])
    welsh = welsh_replies(kb).text(f"{lead}\n\n{kb.entries['victims-and-witnesses'].answer}")
    assert welsh is not None
    assert kb.safety.support.text("answer", "cy").text in welsh
    assert kb.entries["victims-and-witnesses"].text("answer", "cy").text in welsh


def test_text_with_no_welsh_is_kept_whole_in_english():
    kb = load_knowledge()
    replies = welsh_replies(kb)
    mixed = f"{kb.entries['pension'].answer} And something nobody translated."
    assert replies.text(mixed) is None
    messages = [{"text": mixed, "custom": {"topic": "pension"}}]
    replies.render(messages, "cy")
    assert messages[0]["text"] == mixed and messages[0]["custom"]["lang"] == "en"


def test_a_pressed_button_is_answered_in_the_chosen_language_not_its_payload_s():
    tracker = make_tracker("nlu_fallback", "I'm still at school or college")
    tracker.latest_message["metadata"] = {"lang": "cy"}
    offered = {"title": "Rydw i yn yr ysgol", "payload": "I'm still at school or college"}
    tracker.events = [
        {"event": "bot", "text": "Ble ydych chi arni?", "data": {"buttons": [offered]}},
        {"event": "user", **tracker.latest_message},
    ]
    assert reply_language(tracker) == "cy"
    tracker.events[0]["data"]["buttons"] = []
    assert reply_language(tracker) == "en"  # typed, in English
