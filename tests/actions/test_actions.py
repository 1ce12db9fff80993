"""Unit tests of the custom actions: context, fallback search and contract fields."""

import pytest
from trackers import entity, make_tracker

from bot.actions.conversation import ActionConverse
from bot.actions.fallback import ActionSuggestTopics
from bot.actions.feedback import ActionRecordFeedback
from bot.actions.knowledge_answers import ActionAnswerKnowledge
from bot.knowledge import load_knowledge

KB = load_knowledge()


def only_reply(dispatcher):
    assert len(dispatcher.messages) == 1, dispatcher.messages
    message = dispatcher.messages[0]
    assert message["custom"]["topic"], message
    return message


def slots(events):
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}


async def answer(dispatcher, tracker):
    return await ActionAnswerKnowledge().run(dispatcher, tracker, {})


SIGNPOSTING = ("report-a-crime", "victims-and-witnesses", "case-enquiry-or-complaint")


def safety_first(dispatcher):
    """The signposting message, then the reply: the one with the topic payload."""
    assert len(dispatcher.messages) == 2, dispatcher.messages
    lead, reply = dispatcher.messages
    assert "999" in lead["text"] and "Victim Support" in lead["text"]
    assert not lead.get("custom") and not lead.get("buttons")
    assert reply["custom"]["safety"] is True
    return reply


@pytest.mark.parametrize("topic", [t for t in KB.entries if t not in SIGNPOSTING])
async def test_each_entry_is_answered_with_the_contract_fields(dispatcher, topic):
    events = await answer(dispatcher, make_tracker(topic))
    message = only_reply(dispatcher)
    entry = KB.entries[topic]
    if topic in ("salary", "how-to-apply"):
        assert message["custom"]["topic"] == topic
    else:
        assert message["text"] == entry.answer
        assert message["custom"] == {
            "topic": topic,
            "source": entry.source,
            "reviewed": entry.reviewed.isoformat(),
            "title": entry.title,
            **({"subject": topic} if entry.kind else {}),
            "rateable": True,  # an answer: the widget asks for a rating
            "lang": "en",  # the language of its text
        }
    assert slots(events)["last_topic"] == topic


@pytest.mark.parametrize("topic", SIGNPOSTING)
async def test_each_signposting_answer_leads_with_the_safety_signposting(dispatcher, topic):
    await answer(dispatcher, make_tracker(topic))
    reply = safety_first(dispatcher)
    entry = KB.entries[topic]
    assert reply["text"] == entry.answer
    assert reply["custom"]["topic"] == topic and reply["custom"]["source"] == entry.source
    assert {b["payload"] for b in reply["buttons"]} == {f"/{r}" for r in entry.related}


async def test_a_decision_to_challenge_adds_the_victims_right_to_review(dispatcher):
    tracker = make_tracker(
        "case-enquiry-or-complaint",
        text="they let him off, can I challenge it",
        understanding={"safety": ["crime", "decision"]},
    )
    await answer(dispatcher, tracker)
    lead = dispatcher.messages[0]["text"]
    assert KB.safety.review.answer in lead
    assert KB.safety.distress.answer not in lead


async def test_distress_adds_the_samaritans(dispatcher):
    tracker = make_tracker(
        "report-a-crime", text="i can't cope", understanding={"safety": ["distress"]}
    )
    await answer(dispatcher, tracker)
    assert KB.safety.distress.answer in dispatcher.messages[0]["text"]


async def test_a_careers_question_from_someone_in_danger_is_answered_after_the_signposting(
    dispatcher,
):
    tracker = make_tracker(
        "security-checks",
        text="i was assaulted last year, would that affect my vetting",
        understanding={"safety": ["crime"]},
    )
    await answer(dispatcher, tracker)
    reply = safety_first(dispatcher)
    assert reply["custom"]["topic"] == "security-checks"
    assert reply["text"] == KB.entries["security-checks"].answer
    assert not reply.get("buttons")  # no careers buttons for someone describing a crime


async def test_pay_question_answers_for_the_subject_in_context(dispatcher):
    scheme = KB.entries["legal-trainee-scheme"]
    events = await answer(dispatcher, make_tracker("salary", slots={"subject": scheme.id}))
    message = only_reply(dispatcher)
    assert message["text"] == scheme.pay.answer
    assert message["custom"]["topic"] == "salary"
    assert message["custom"]["source"] == scheme.pay.source
    assert slots(events) == {"last_topic": "salary", "subject": scheme.id}


async def test_a_named_subject_beats_the_one_in_context(dispatcher):
    role = KB.entries["crown-advocate"]
    tracker = make_tracker(
        "salary", entities=[entity("role", role.id)], slots={"subject": "legal-trainee-scheme"}
    )
    await answer(dispatcher, tracker)
    assert only_reply(dispatcher)["text"] == role.pay.answer


async def test_what_about_london_after_pay_gives_the_london_figure(dispatcher):
    role = KB.entries["crown-prosecutor"]
    tracker = make_tracker(
        "what-about",
        entities=[entity("place", "London")],
        slots={"subject": role.id, "last_topic": "salary"},
    )
    await answer(dispatcher, tracker)
    message = only_reply(dispatcher)
    assert message["custom"]["topic"] == "salary"
    assert message["text"] == role.pay.london


async def test_what_about_another_role_after_pay_gives_its_pay(dispatcher):
    tracker = make_tracker(
        "what-about",
        entities=[entity("role", "senior-crown-prosecutor")],
        slots={"subject": "crown-prosecutor", "last_topic": "salary"},
    )
    events = await answer(dispatcher, tracker)
    assert only_reply(dispatcher)["text"] == KB.entries["senior-crown-prosecutor"].pay.answer
    assert slots(events)["subject"] == "senior-crown-prosecutor"


async def test_apply_question_uses_the_subject_apply_block(dispatcher):
    scheme = KB.entries["legal-trainee-scheme"]
    await answer(dispatcher, make_tracker("how-to-apply", slots={"subject": scheme.id}))
    message = only_reply(dispatcher)
    assert message["text"] == scheme.apply.answer
    assert message["custom"]["topic"] == "how-to-apply"


async def test_apply_question_without_context_gives_the_general_answer(dispatcher):
    await answer(dispatcher, make_tracker("how-to-apply"))
    assert only_reply(dispatcher)["text"] == KB.entries["how-to-apply"].answer


async def test_a_named_role_corrects_a_close_classification(dispatcher):
    ranking = [
        {"name": "crown-prosecutor", "confidence": 0.3},
        {"name": "senior-crown-prosecutor", "confidence": 0.25},
    ]
    tracker = make_tracker(
        "crown-prosecutor", entities=[entity("role", "senior-crown-prosecutor")], ranking=ranking
    )
    await answer(dispatcher, tracker)
    assert only_reply(dispatcher)["custom"]["topic"] == "senior-crown-prosecutor"


async def test_a_general_name_does_not_override_a_confident_specific_topic(dispatcher):
    ranking = [
        {"name": "network-race-equality", "confidence": 0.9},
        {"name": "staff-networks", "confidence": 0.03},
    ]
    tracker = make_tracker(
        "network-race-equality",
        text="do black employees have a staff network",
        entities=[entity("network", "staff-networks")],
        ranking=ranking,
    )
    await answer(dispatcher, tracker)
    assert only_reply(dispatcher)["custom"]["topic"] == "network-race-equality"


async def test_a_named_subject_the_classifier_did_not_consider_is_ignored(dispatcher):
    ranking = [
        {"name": "network-lgbt", "confidence": 0.9},
        {"name": "network-carers", "confidence": 0.05},
    ]
    tracker = make_tracker(
        "network-lgbt", entities=[entity("network", "staff-networks")], ranking=ranking
    )
    await answer(dispatcher, tracker)
    assert only_reply(dispatcher)["custom"]["topic"] == "network-lgbt"


async def test_tell_me_more_without_context_falls_back(dispatcher):
    await answer(dispatcher, make_tracker("tell-me-more", text="tell me more"))
    assert only_reply(dispatcher)["custom"]["topic"] == "fallback"


async def test_fallback_offers_classifier_and_search_guesses(dispatcher):
    ranking = [{"name": "pension", "confidence": 0.3}, {"name": "salary", "confidence": 0.2}]
    tracker = make_tracker(
        "nlu_fallback", text="what happens with my retirement savings", ranking=ranking
    )
    await ActionSuggestTopics().run(dispatcher, tracker, {})
    message = only_reply(dispatcher)
    suggestions = message["custom"]["suggestions"]
    assert message["custom"]["topic"] == "fallback"
    assert suggestions[0] == "pension" and 1 <= len(suggestions) <= 3
    assert [b["payload"] for b in message["buttons"]] == [f"/{s}" for s in suggestions]


async def test_keyboard_mash_gets_no_suggestions(dispatcher):
    ranking = [{"name": "security-checks", "confidence": 0.4}]
    tracker = make_tracker(
        "nlu_fallback", text="asdf pension", ranking=ranking, understanding={"made_of_words": False}
    )
    await ActionSuggestTopics().run(dispatcher, tracker, {})
    message = only_reply(dispatcher)
    assert message["custom"] == {"topic": "fallback", "suggestions": [], "lang": "en"}
    assert message["text"] == KB.conversation["fallback-no-suggestions"].answer
    assert not message.get("buttons")


async def test_a_job_elsewhere_is_pointed_to_the_right_place(dispatcher):
    tracker = make_tracker(
        "out-of-scope",
        text="how do I become a magistrate",
        entities=[entity("elsewhere", "magistrates")],
    )
    await ActionConverse().run(dispatcher, tracker, {})
    message = only_reply(dispatcher)
    pointer = next(p for p in KB.elsewhere if p.id == "magistrates")
    assert message["text"] == pointer.answer
    assert message["custom"] == {
        "topic": "out-of-scope",
        "source": pointer.source,
        "title": pointer.title,
        "rateable": True,
        "lang": "en",
    }


async def test_fallback_search_finds_an_entry_by_its_phrase(dispatcher):
    tracker = make_tracker("nlu_fallback", text="NBCPA")
    await ActionSuggestTopics().run(dispatcher, tracker, {})
    assert "network-race-equality" in only_reply(dispatcher)["custom"]["suggestions"]


@pytest.mark.parametrize(
    "intent", ["greeting", "goodbye", "thanks", "bot-identity", "human-handoff", "out-of-scope"]
)
async def test_conversation_replies_carry_their_topic(dispatcher, intent):
    await ActionConverse().run(dispatcher, make_tracker(intent), {})
    message = only_reply(dispatcher)
    assert message["custom"]["topic"] == intent
    assert message["text"] == KB.conversation[intent].answer


async def test_feedback_with_a_known_topic_is_acknowledged(dispatcher):
    tracker = make_tracker(
        "feedback", entities=[entity("rating", "up"), entity("rated_topic", "salary")]
    )
    await ActionRecordFeedback().run(dispatcher, tracker, {})
    assert only_reply(dispatcher)["custom"]["topic"] == "salary"


async def test_feedback_with_a_made_up_topic_is_refused(dispatcher):
    tracker = make_tracker(
        "feedback", entities=[entity("rating", "up"), entity("rated_topic", "<script>")]
    )
    await ActionRecordFeedback().run(dispatcher, tracker, {})
    assert only_reply(dispatcher)["custom"]["topic"] == "fallback"


NOTICE = KB.conversation["personal-details-removed"].answer


async def test_personal_details_get_a_removed_notice_after_the_answer(dispatcher):
    tracker = make_tracker("pension", text="my NI number is QQ 12 34 56 C, what pension do I get")
    await answer(dispatcher, tracker)
    reply, notice = dispatcher.messages
    assert reply["custom"]["topic"] == "pension"
    assert notice["text"] == NOTICE
    assert not notice.get("custom")


@pytest.mark.parametrize(
    "text",
    [
        "my case ref is 01AB1234567, what pension do I get",
        "im sarah jones, what pension do I get",
        "my address is 10 Downing Street, what pension do I get",
    ],
)
async def test_the_notice_is_for_every_kind_of_detail(dispatcher, text):
    await answer(dispatcher, make_tracker("pension", text=text))
    assert [m.get("text") for m in dispatcher.messages][-1] == NOTICE


async def test_the_notice_is_given_once_per_conversation(dispatcher):
    tracker = make_tracker("pension", text="my email is jane@example.com, what pension?")
    tracker.events = [{"event": "bot", "text": "Hello."}, {"event": "bot", "text": NOTICE}]
    await answer(dispatcher, tracker)
    assert [m.get("text") for m in dispatcher.messages].count(NOTICE) == 0
    assert only_reply(dispatcher)["custom"]["topic"] == "pension"


async def test_no_notice_without_personal_details(dispatcher):
    await answer(dispatcher, make_tracker("pension", text="what pension do I get?"))
    assert only_reply(dispatcher)["custom"]["topic"] == "pension"


async def test_the_privacy_question_is_answered_as_bot_identity_from_the_notice(
    dispatcher, monkeypatch
):
    monkeypatch.delenv("PRIVACY_NOTICE_URL", raising=False)
    await ActionConverse().run(dispatcher, make_tracker("privacy", text="what about my data?"), {})
    reply = only_reply(dispatcher)
    assert reply["text"] == KB.conversation["privacy"].answer
    assert reply["custom"] == {
        "topic": "bot-identity",
        "source": KB.conversation["privacy"].source,
        "rateable": True,
        "lang": "en",
    }
    dispatcher.messages.clear()
    monkeypatch.setenv("PRIVACY_NOTICE_URL", "https://careers.example.org/privacy")
    await ActionConverse().run(dispatcher, make_tracker("privacy", text="my data?"), {})
    assert only_reply(dispatcher)["custom"]["source"] == "https://careers.example.org/privacy"
    dispatcher.messages.clear()
    monkeypatch.setenv("PRIVACY_NOTICE_URL", "http://insecure.example.org/privacy")
    await ActionConverse().run(dispatcher, make_tracker("privacy", text="my data?"), {})
    assert only_reply(dispatcher)["custom"]["source"].startswith("https://")
