"""The simulated visitors' conversations: realistic shapes, drawn from the held-out questions."""

import json
import random

import pytest

from bench.conversations import (
    FOLLOW_UPS,
    ClickButton,
    Mix,
    Pools,
    Rate,
    Say,
    message_for,
    plan,
)
from bot.evaluation.heldout import Question, load_questions

POOLS = Pools(greetings=("hi",), goodbyes=("bye",), questions=("q1", "q2", "q3"))
ANSWER = [
    {"text": "Pay depends on the role.", "buttons": [{"title": "Tell me more", "payload": "/x"}]},
    {"custom": {"topic": "salary", "source": "https://example.org", "reviewed": "2026-01-01"}},
]


def test_pools_come_from_the_held_out_questions():
    questions = load_questions()
    pools = Pools.from_questions(questions)
    by_text = {q.text: q.topic for q in questions}
    assert {by_text[t] for t in pools.greetings} == {"greeting"}
    assert {by_text[t] for t in pools.goodbyes} <= {"goodbye", "thanks"}
    assert not {by_text[t] for t in pools.questions} & {"greeting", "goodbye", "thanks"}
    assert len(pools.greetings) + len(pools.goodbyes) + len(pools.questions) == len(questions)


def test_pools_refuse_questions_that_cannot_make_a_conversation():
    with pytest.raises(ValueError, match="greetings"):
        Pools.from_questions([Question("what does it pay", "salary"), Question("bye", "goodbye")])


def test_every_conversation_asks_two_to_four_questions_in_order():
    rng = random.Random(7)
    for _ in range(300):
        turns = plan(rng, POOLS)
        questions = [t for t in turns if isinstance(t, Say) and t.text in POOLS.questions]
        assert 2 <= len(questions) <= 4
        first_question = turns.index(questions[0])
        # Only a greeting may come before the first question; a goodbye only at the end.
        assert all(t == Say("hi") for t in turns[:first_question])
        assert Say("bye") not in turns[:-1]
        assert turns[first_question + 1 :].count(Say("hi")) == 0


def test_the_mix_has_every_kind_of_turn_at_about_its_rate():
    rng = random.Random(3)
    conversations = [plan(rng, POOLS) for _ in range(2000)]

    def share(found) -> float:
        return sum(map(found, conversations)) / len(conversations)

    assert share(lambda c: c[0] == Say("hi")) == pytest.approx(Mix.greeting, abs=0.04)
    assert share(lambda c: c[-1] == Say("bye")) == pytest.approx(Mix.goodbye, abs=0.04)
    assert share(lambda c: any(isinstance(t, Rate) for t in c)) == pytest.approx(
        Mix.rating, abs=0.04
    )
    assert share(lambda c: any(isinstance(t, ClickButton) for t in c)) > 0.2
    assert share(lambda c: any(isinstance(t, Say) and t.text in FOLLOW_UPS for t in c)) > 0.5


def test_follow_ups_and_clicks_come_right_after_the_question_they_refer_to():
    rng = random.Random(11)
    follow_ups = [Say(text) for text in FOLLOW_UPS]
    questions = [Say(text) for text in POOLS.questions]
    for _ in range(300):
        turns = plan(rng, POOLS)
        for before, turn in zip(turns, turns[1:], strict=False):
            if turn in follow_ups:
                assert before in questions
            if isinstance(turn, ClickButton):
                assert before in questions + follow_ups


def test_a_conversation_stays_under_the_per_conversation_rate_limit():
    # The channel's guard allows 20 messages a minute per conversation (bot/limits); a
    # closed-loop visitor can send a whole conversation within a minute.
    rng = random.Random(13)
    assert max(len(plan(rng, POOLS)) for _ in range(3000)) <= 15


def test_the_same_seed_plans_the_same_conversations():
    assert [plan(random.Random(5), POOLS) for _ in range(3)] == [
        plan(random.Random(5), POOLS) for _ in range(3)
    ]


def test_said_text_is_sent_as_it_is():
    assert message_for(Say("what does it pay?"), [], random.Random(0)) == "what does it pay?"


def test_a_click_sends_the_payload_of_a_button_the_reply_offered():
    reply = [
        {"text": "a", "buttons": [{"title": "A", "payload": "/pupillage"}]},
        {"text": "b", "buttons": [{"title": "B", "payload": "/tell-me-more"}]},
    ]
    sent = {message_for(ClickButton(), reply, random.Random(seed)) for seed in range(20)}
    assert sent == {"/pupillage", "/tell-me-more"}


def test_a_click_or_rating_with_nothing_to_act_on_is_skipped():
    assert message_for(ClickButton(), [{"text": "no buttons"}], random.Random(0)) is None
    assert message_for(Rate("up"), [{"text": "no topic"}], random.Random(0)) is None


def test_a_rating_sends_the_widgets_feedback_payload_for_the_topic_just_answered():
    sent = message_for(Rate("down"), ANSWER, random.Random(0))
    intent, entities = sent.split("{", 1)
    assert intent == "/feedback"
    assert json.loads("{" + entities) == {"rating": "down", "rated_topic": "salary"}
