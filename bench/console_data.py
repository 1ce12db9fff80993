"""Realistic conversation logs for the recruiter console's benchmark and tests.

:func:`conversations` yields conversations as the rows Rasa's ``events`` table holds
when :class:`bot.storage.tracker_store.RedactingSQLTrackerStore` writes them:
``sender_id``, ``type_name``, ``timestamp``, ``intent_name``, ``action_name`` and
``data``, the JSON of ``Event.as_dict()`` (tests/console/test_console_data.py checks
that Rasa reads every row back unchanged). What a conversation holds, seeded so
a run can be repeated:

* the session start (``action_session_start``, ``session_started``,
  ``action_listen``), then often the widget's ``/greeting`` payload;
* one to eight visitor turns: questions from the NLU training examples (sometimes
  with a typo, sometimes with a redaction placeholder where personal details were),
  questions the assistant cannot answer (``nlu_fallback``, grouped in families of
  wordings, as real unanswered questions are), presses of the buttons just offered,
  and thumbs up or down from the widget;
* each turn answered as the actions answer it: ``user_featurization``, the action,
  the ``last_topic``/``subject`` slots for knowledge answers, the reply composed by
  ``bot.actions.replies`` from the knowledge file with the answer contract's
  ``custom`` payload, then ``action_listen``.

Start times spread over ``days`` (default 120, so some are past the 90-day
retention), busier on weekdays and in office hours.
"""

from __future__ import annotations

import json
import random
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from bot.actions.replies import (
    FALLBACK,
    Reply,
    conversation_reply,
    fallback_reply,
    knowledge_reply,
)
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.privacy import PLACEHOLDERS
from web.console.conversations import GREETING_PAYLOAD
from web.validation import feedback_command

NLU_DIR = Path(__file__).resolve().parents[1] / "bot" / "data" / "nlu"
DAY = 86_400
TYPO = re.compile(r"[a-z]{4,}")

# Questions a careers assistant is asked and this one cannot answer: families of wordings,
# so the console's grouping of unanswered questions has real work to do.
UNANSWERED = [
    [
        "is there parking at the {office} office",
        "can I park at the {office} office",
        "is there a car park at {office}",
        "parking at the {office} office?",
    ],
    [
        "can I bring my dog to work",
        "are dogs allowed in the office",
        "can i bring my dog to the office please",
    ],
    [
        "do you sponsor visas",
        "will the cps sponsor my skilled worker visa",
        "visa sponsorship for lawyers?",
    ],
    ["is there a gym at the office", "do you have a gym", "gym membership discount?"],
    [
        "what time does the {office} office open",
        "opening hours of the {office} office",
        "when is the {office} office open",
    ],
    [
        "can I do my interview in welsh",
        "interviews in welsh language?",
        "can the interview be held in welsh",
    ],
    [
        "how do I reset my civil service jobs password",
        "forgot my password for civil service jobs",
        "cant log in to civil service jobs",
    ],
    ["do you have a canteen", "is there a staff canteen", "is lunch provided at the office"],
    ["can I wear jeans at work", "what is the dress code", "dress code for court?"],
    ["do you pay for relocation", "relocation package?", "will you pay my moving costs"],
    ["is there a christmas party", "do staff get a christmas bonus", "christmas bonus?"],
    [
        "how many people applied last year",
        "how competitive is the application",
        "what are my chances of getting in",
    ],
    [
        "can I job share as a prosecutor",
        "job share crown prosecutor?",
        "is job sharing possible for lawyers",
    ],
    ["do you have a nursery", "is there childcare at work", "workplace nursery?"],
    ["what laptop will I get", "do staff get a work phone", "what IT equipment do you provide"],
    ["can I work from spain", "can I work abroad for a few weeks", "working from overseas?"],
    [
        "when will I hear back about my application",
        "how long until I hear back",
        "my application status hasn't changed for weeks",
    ],
    [
        "can I appeal a rejected application",
        "I was rejected, can I appeal",
        "how do I complain about the sift result",
    ],
    [
        "is the {office} office accessible by tram",
        "how do I get to the {office} office",
        "nearest train station to the {office} office",
    ],
    [
        "do you do summer internships for year 10",
        "work experience for 15 year olds?",
        "can my son do a placement at the cps",
    ],
]
OFFICES = ["Leeds", "Bristol", "Cardiff", "Manchester", "Birmingham", "London", "York", "Hull"]
# Personal details visitors type, as they reach the database: already redacted.
WITH_DETAILS = [
    "my email is {email}, can you send me the details",
    "can someone call me on {phone}",
    "my NI number is {ni}, is that needed to apply?",
    "I live at {postcode}, which office is nearest",
    "my name is {name} and I want to apply",
    "I was born on {dob}, am I too old to apply?",
]
CONVERSATION_TOPICS = ("greeting", "goodbye", "thanks", "bot-identity", "human-handoff")


def _examples() -> dict[str, list[str]]:
    """Training examples by intent, from bot/data/nlu."""
    examples: dict[str, list[str]] = {}
    for path in sorted(NLU_DIR.glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
            if "intent" in block:
                lines = block["examples"].splitlines()
                examples.setdefault(block["intent"], []).extend(
                    line.strip()[2:] for line in lines if line.strip().startswith("- ")
                )
    return examples


def _rasa_id() -> str:
    return uuid.uuid4().hex


@dataclass
class Vocabulary:
    """What visitors ask and how the assistant answers, from the project's own files."""

    kb: KnowledgeBase
    questions: dict[str, list[str]]  # topic id -> training examples

    @classmethod
    def load(cls) -> Vocabulary:
        kb = load_knowledge()
        topics = set(kb.entries) | set(CONVERSATION_TOPICS)
        questions = {intent: texts for intent, texts in _examples().items() if intent in topics}
        return cls(kb, questions)

    @cached_property
    def knowledge_topics(self) -> list[str]:
        return [topic for topic in self.questions if topic in self.kb.entries]

    def reply(self, topic: str, suggestions: list[str] | None = None) -> Reply:
        if topic == FALLBACK:
            return fallback_reply(self.kb, suggestions or [])
        if topic in self.kb.entries:
            return knowledge_reply(self.kb, self.kb.entries[topic])
        return conversation_reply(self.kb, topic)


class Conversation:
    """Builds one conversation's rows, turn by turn."""

    def __init__(self, vocabulary: Vocabulary, rng: random.Random, sender_id: str, start: float):
        self.vocabulary, self.rng = vocabulary, rng
        self.sender_id, self.at = sender_id, start
        self.channel = "rest" if rng.random() < 0.8 else "socketio"
        self.rows: list[dict[str, Any]] = []
        self.last: Reply | None = None
        self._action("action_session_start", policy=None)
        self._event({"event": "session_started"})
        self._action("action_listen", policy=None)

    def _event(self, data: dict[str, Any]) -> None:
        data = {"event": data["event"], "timestamp": self.at, **data}
        intent = (data.get("parse_data") or {}).get("intent") or {}
        self.rows.append(
            {
                "sender_id": self.sender_id,
                "type_name": data["event"],
                "timestamp": self.at,
                "intent_name": intent.get("name"),
                "action_name": data.get("name"),
                "data": json.dumps(data),
            }
        )

    def _action(self, name: str, policy: str | None = "RulePolicy") -> None:
        """An action, predicted by ``policy`` (None: run by Rasa itself)."""
        self._event(
            {
                "event": "action",
                "name": name,
                "policy": policy,
                "confidence": None if policy is None else 1.0,
                "action_text": None,
                "hide_rule_turn": policy is not None,
            }
        )

    def _ranking(self, intent: str, confidence: float) -> list[dict[str, Any]]:
        others = self.rng.sample(self.vocabulary.knowledge_topics, 4)
        rest = 1 - confidence
        ranking = [{"name": intent, "confidence": confidence}]
        for other in others:
            share = round(rest * self.rng.uniform(0.2, 0.6), 6)
            rest -= share
            ranking.append({"name": other, "confidence": share})
        return ranking

    def say(self, text: str, intent: str, confidence: float, entities=None) -> None:
        self.at += self.rng.uniform(4, 90)
        message_id = _rasa_id()
        entities = entities or []
        ranking = self._ranking(intent, confidence)
        self._event(
            {
                "event": "user",
                "text": text,
                "parse_data": {
                    "intent": {"name": intent, "confidence": confidence},
                    "entities": entities,
                    "text": text,
                    "message_id": message_id,
                    "metadata": {},
                    "intent_ranking": ranking,
                },
                "input_channel": self.channel,
                "message_id": message_id,
                "metadata": {},
            }
        )
        self._event({"event": "user_featurization", "use_text_for_featurization": False})

    def answer(self, action: str, reply: Reply, slots: bool) -> None:
        self.at += self.rng.uniform(0.05, 0.6)
        self._action(action)
        if slots:
            self._event({"event": "slot", "name": "last_topic", "value": reply.topic})
            self._event({"event": "slot", "name": "subject", "value": reply.subject})
        self._event(
            {
                "event": "bot",
                "metadata": {},
                "text": reply.text,
                "data": {
                    "elements": None,
                    "quick_replies": None,
                    "buttons": reply.buttons or None,
                    "attachment": None,
                    "image": None,
                    "custom": reply.custom(),
                },
            }
        )
        self._action("action_listen")
        self.last = reply


class Generator:
    """Seeded conversations ending before ``now``, over the ``days`` before it."""

    def __init__(self, now: float, days: int = 120, seed: int = 1):
        self.now, self.days = now, days
        self.rng = random.Random(seed)  # noqa: S311 - repeatable test data, not secrets
        self.vocabulary = Vocabulary.load()

    def start(self) -> float:
        """A start time: weekdays and office hours are busier."""
        while True:
            at = self.now - self.rng.uniform(0.01, self.days) * DAY
            hour, weekday = (at % DAY) / 3600, int(at // DAY + 3) % 7  # 1970-01-01 was Thursday
            busy = (0.4 if weekday >= 5 else 1.0) * (1.0 if 8 <= hour < 20 else 0.25)
            if self.rng.random() < busy:
                return at

    def _typo(self, text: str) -> str:
        words = TYPO.findall(text)
        if not words:
            return text
        word = self.rng.choice(words)
        cut = self.rng.randrange(1, len(word) - 1)
        return text.replace(word, word[:cut] + word[cut + 1 :], 1)

    def _question(self, conversation: Conversation) -> None:
        rng, vocabulary = self.rng, self.vocabulary
        roll = rng.random()
        if roll < 0.12:
            family = rng.randrange(len(UNANSWERED))
            text = rng.choice(UNANSWERED[family]).format(office=rng.choice(OFFICES))
            text = self._typo(text) if rng.random() < 0.2 else text
            suggestions = rng.sample(vocabulary.knowledge_topics, rng.randint(0, 3))
            conversation.say(text, "nlu_fallback", round(rng.uniform(0.2, 0.55), 6))
            conversation.answer(
                "action_default_fallback", vocabulary.reply(FALLBACK, suggestions), slots=False
            )
            return
        if roll < 0.15:
            details = {kind.replace("-", "_"): text for kind, text in PLACEHOLDERS.items()}
            details["dob"], details["ni"] = details["date_of_birth"], details["national_insurance"]
            text = rng.choice(WITH_DETAILS).format(**details)
            topic = rng.choice(vocabulary.knowledge_topics)
        else:
            topic = rng.choice(list(vocabulary.questions))
            text = rng.choice(vocabulary.questions[topic])
            text = self._typo(text) if rng.random() < 0.15 else text
        text = text.capitalize() if rng.random() < 0.3 else text
        conversation.say(text, topic, round(rng.uniform(0.6, 0.999), 6))
        self._answer(conversation, topic)

    def _answer(self, conversation: Conversation, topic: str) -> None:
        knowledge = topic in self.vocabulary.kb.entries
        action = "action_answer_knowledge" if knowledge else f"action_{topic.replace('-', '_')}"
        conversation.answer(action, self.vocabulary.reply(topic), slots=knowledge)

    def _press(self, conversation: Conversation) -> bool:
        buttons = conversation.last.buttons if conversation.last else []
        topics = [
            b["payload"][1:] for b in buttons if b["payload"][1:] in self.vocabulary.kb.entries
        ]
        if not topics:
            return False
        topic = self.rng.choice(topics)
        conversation.say(f"/{topic}", topic, 1.0)
        self._answer(conversation, topic)
        return True

    def _rate(self, conversation: Conversation) -> None:
        rated = conversation.last.topic
        down = 0.7 if rated == FALLBACK else 0.2
        rating = "down" if self.rng.random() < down else "up"
        entities = [
            {
                "entity": "rating",
                "start": 10,
                "end": 14,
                "value": rating,
                "extractor": "RegexEntityExtractor",
            },
            {
                "entity": "rated_topic",
                "start": 30,
                "end": 40,
                "value": rated,
                "extractor": "RegexEntityExtractor",
            },
        ]
        payload = feedback_command({"rating": rating, "topic": rated})
        conversation.say(payload, "feedback", 1.0, entities)
        conversation.answer(
            "action_record_feedback",
            conversation_reply(self.vocabulary.kb, "feedback-thanks", topic=rated),
            slots=False,
        )

    def conversation(self, start: float) -> Conversation:
        rng = self.rng
        sender_id = uuid.UUID(int=rng.getrandbits(128), version=4).hex
        conversation = Conversation(self.vocabulary, rng, sender_id, start)
        if rng.random() < 0.6:
            conversation.say(GREETING_PAYLOAD, "greeting", 1.0)
            self._answer(conversation, "greeting")
        for _ in range(min(8, 1 + int(rng.expovariate(1 / 1.6)))):
            if not (rng.random() < 0.2 and self._press(conversation)):
                self._question(conversation)
            if rng.random() < 0.15:
                self._rate(conversation)
        return conversation


def conversations(count: int, now: float, days: int = 120, seed: int = 1) -> Iterator[list[dict]]:
    """``count`` conversations, each as its list of event rows, oldest first (as Rasa
    would have written them, so event ids follow time)."""
    generator = Generator(now, days, seed)
    for start in sorted(generator.start() for _ in range(count)):
        yield generator.conversation(start).rows
