"""The measurement sets have the size and spread the evaluation relies on."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from bot.evaluation.heldout import KINDS, SETS, load_questions
from bot.evaluation.scoring import SIGNPOSTING_TOPICS

TOPICS_FILE = Path(__file__).resolve().parents[2].parent / "shared" / "topics.yml"
GROUPS = yaml.safe_load(TOPICS_FILE.read_text(encoding="utf-8"))["groups"]
KNOWLEDGE_TOPICS = {t for g in GROUPS.values() if g.get("knowledge") for t in g["topics"]}
ALL_TOPICS = {t for g in GROUPS.values() for t in g["topics"]}
CONVERSATION_TOPICS = {
    "greeting", "goodbye", "thanks", "bot-identity", "human-handoff", "pathway-finder",
    "out-of-scope",
}
ENGLISH_KIND_MINIMUMS = {
    "safety": 40, "typos": 40, "long": 40, "self-description": 40, "negation": 25,
    "other-employer": 30, "nonsense": 25, "chit-chat": 25,
}


@pytest.mark.parametrize("name", ["heldout", "heldout-cy", "safety"])
def test_every_question_has_a_known_topic_and_kind_and_appears_once(name):
    questions = load_questions(SETS[name])
    assert {q.topic for q in questions} <= ALL_TOPICS
    assert {q.kind for q in questions} <= set(KINDS)
    repeated = [t for t, n in Counter(q.text.lower() for q in questions).items() if n > 1]
    assert not repeated


@pytest.mark.parametrize("name", ["heldout", "heldout-cy"])
def test_kinds_have_the_topic_they_stand_for(name):
    for q in load_questions(SETS[name]):
        if q.kind == "nonsense":
            assert q.topic == "fallback", q
        if q.kind == "other-employer":
            assert q.topic == "out-of-scope", q
        if q.kind == "safety":
            assert q.topic in SIGNPOSTING_TOPICS, q


def test_the_english_held_out_set_covers_every_topic_and_kind():
    questions = load_questions(SETS["heldout"])
    topics = Counter(q.topic for q in questions)
    kinds = Counter(q.kind for q in questions)
    assert len(questions) >= 520
    assert {t: n for t, n in topics.items() if t in KNOWLEDGE_TOPICS and n < 6} == {}
    assert KNOWLEDGE_TOPICS | CONVERSATION_TOPICS | {"fallback"} <= set(topics)
    short = {k: kinds[k] for k, least in ENGLISH_KIND_MINIMUMS.items() if kinds[k] < least}
    assert not short, f"kinds below their minimum: {short}"


def test_the_welsh_held_out_set_covers_every_knowledge_topic_and_kind():
    questions = load_questions(SETS["heldout-cy"])
    assert len(questions) >= 150
    assert KNOWLEDGE_TOPICS <= {q.topic for q in questions}
    assert set(KINDS) == {q.kind for q in questions}


def test_the_safety_set_expects_only_signposting_topics():
    questions = load_questions(SETS["safety"])
    assert len(questions) >= 45
    assert {q.topic for q in questions} == set(SIGNPOSTING_TOPICS)
