"""The widget's transcript rebuilt from stored event rows (web/transcript.py), without servers."""

import json
from types import SimpleNamespace

from web.transcript import MAX_TURNS, widget_turns


def user(text, intent="salary", entities=()):
    data = {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}
    data["parse_data"]["entities"] = [{"entity": k, "value": v} for k, v in entities]
    return SimpleNamespace(type_name="user", data=json.dumps(data))


def bot(text, topic=None, buttons=None, rateable=False):
    custom = {"topic": topic, **({"rateable": True} if rateable else {})} if topic else None
    body = {"buttons": buttons, "custom": custom}
    return SimpleNamespace(
        type_name="bot", data=json.dumps({"event": "bot", "text": text, "data": body})
    )


TELL_ME_MORE = [{"title": "Tell me more", "payload": "/tell-me-more"}]


def test_turns_as_the_widget_shows_them():
    rows = [
        user("/greeting", "greeting"),
        bot("Hello.", "greeting"),
        user("my name is [name], what is the pay?"),
        bot("Pay is ...", "salary", TELL_ME_MORE, rateable=True),
        bot("There's no need to share personal details."),
        user("/tell-me-more", "tell-me-more"),
        bot("More about pay.", "salary", rateable=True),
        user(
            '/feedback{"rating": "up", "rated_topic": "salary"}',
            "feedback",
            [("rating", "up"), ("rated_topic", "salary")],
        ),
        bot("Thank you for your feedback.", "salary"),
        user(
            '/feedback{"rating": "down", "rated_topic": "salary"}',
            "feedback",
            [("rating", "down"), ("rated_topic", "salary")],
        ),
        bot("Thank you for your feedback.", "salary"),
    ]
    greeting, typed, answer, pressed, more = widget_turns(rows)
    assert greeting == {
        "who": "bot",
        "messages": [{"text": "Hello.", "custom": {"topic": "greeting"}}],
        "rateable": False,
        "rating": None,
    }
    assert typed == {"who": "user", "text": "my name is [name], what is the pay?"}
    assert [m["text"] for m in answer["messages"]] == [
        "Pay is ...",
        "There's no need to share personal details.",
    ]
    assert answer["messages"][0]["buttons"] == TELL_ME_MORE
    assert answer["rating"] is None  # the rating went to the newest salary answer
    assert pressed == {"who": "user", "text": "Tell me more"}  # the title, not the payload
    assert more["rating"] == "down" and more["ack"] == "Thank you for your feedback."


def test_only_answers_can_be_rated():
    rows = [
        user("thanks", "thanks"),
        bot("You're welcome.", "thanks"),
        user("what is the pay?"),
        bot("Pay is ...", "salary", rateable=True),
    ]
    thanked, welcome, _, answer = widget_turns(rows)
    assert welcome["rateable"] is False and answer["rateable"] is True


def test_odd_rows_and_unknown_payloads_are_skipped():
    rows = [
        SimpleNamespace(type_name="user", data="not json"),
        user("/made-up-button", "salary"),
        user(
            '/feedback{"rating": "up", "rated_topic": "pension"}',
            "feedback",
            [("rating", "up"), ("rated_topic", "pension")],
        ),
        bot("Thank you for your feedback.", "pension"),
    ]
    assert widget_turns(rows) == []


def test_only_the_newest_turns_are_sent():
    rows = [row for n in range(MAX_TURNS) for row in (user(f"question {n}"), bot(f"answer {n}"))]
    turns = widget_turns(rows)
    assert len(turns) == MAX_TURNS and turns[-1]["messages"][0]["text"] == f"answer {MAX_TURNS - 1}"
