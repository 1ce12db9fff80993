"""The route finder in Welsh: its questions, choices and recommendation from the cy blocks."""

from __future__ import annotations

from pathway_trackers import form_tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.pathway import ActionPathwayRecommend, AskPathwayQuestion
from bot.actions.situation import read_answer
from bot.knowledge import load_knowledge

KB = load_knowledge()
PATHWAY = KB.pathway


def payload_message(dispatcher: CollectingDispatcher) -> dict:
    return next(m for m in dispatcher.messages if m.get("custom"))


async def test_a_welsh_visitor_is_asked_in_welsh_with_welsh_choices():
    dispatcher = CollectingDispatcher()
    tracker = form_tracker("Pa lwybr sy'n addas i mi?", intent="pathway-finder", requested=None)
    tracker.latest_message["text"] = "Pa lwybr sy'n addas i mi?"
    await AskPathwayQuestion().run(dispatcher, tracker, {})
    message = payload_message(dispatcher)
    stage = PATHWAY.questions["stage"]
    assert message["custom"]["lang"] == "cy"
    assert stage.text("ask", "cy").text in message["text"]
    assert PATHWAY.text("intro", "cy").text in message["text"]
    titles = [b["title"] for b in message["buttons"]]
    assert [c.text("title", "cy").text for c in stage.choices] == titles[: len(stage.choices)]


async def test_a_welsh_recommendation_gives_its_routes_and_reasons_in_welsh():
    dispatcher = CollectingDispatcher()
    answers = {
        "pathway_stage": "qualified",
        "pathway_profession": "solicitor",
        "pathway_experience": "2-plus",
        "pathway_advocacy": "yes",
        "pathway_right_to_work": "yes",
    }
    tracker = form_tracker("ydw", requested=None, slots=answers, active=False)
    tracker.latest_message["metadata"] = {"lang": "cy"}
    await ActionPathwayRecommend().run(dispatcher, tracker, {})
    message = payload_message(dispatcher)
    assert message["custom"]["lang"] == "cy", message["text"]
    assert PATHWAY.text("disclaimer", "cy").text in message["text"]
    for route in message["custom"]["routes"]:
        assert KB.entries[route].text("title", "cy").text in message["text"]


def test_a_typed_welsh_answer_is_read_from_the_welsh_phrases():
    stage = PATHWAY.questions["stage"]
    choice = next(c for c in stage.choices if c.words("phrases", "cy"))
    phrase = choice.words("phrases", "cy")[0]
    assert read_answer(PATHWAY, "stage", f"wel, {phrase} dwi'n meddwl") == choice.value
