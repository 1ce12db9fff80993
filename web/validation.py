"""What the API accepts from a browser. Pure functions, so they are easy to test."""

from __future__ import annotations

import re
from typing import Any

from bot.knowledge.welsh import LANGUAGES  # the languages the widget speaks; "cy" is Welsh
from bot.ratings import RATINGS

# 128 random bits from the browser are 32 hex characters; allow some room for other clients.
CONVERSATION_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
# A button payload or the opening message: an intent with no entities, e.g. "/pupillage".
INTENT_PAYLOAD = re.compile(r"^/[a-z0-9_-]{1,64}$")
TOPIC_ID = re.compile(r"^[a-z0-9_-]{1,64}$")


class InvalidRequest(Exception):
    """The request cannot be served as it is. `status`, `code` and the message go to the widget."""

    def __init__(self, code: str, reason: str, status: int = 400, **details: int):
        super().__init__(reason)
        self.code = code
        self.status = status
        self.details = details  # numbers the widget puts in its own words (the limit)


def conversation_id(value: Any) -> str:
    if not isinstance(value, str) or not CONVERSATION_ID.match(value):
        raise InvalidRequest(
            "bad_conversation_id",
            "'conversation' must be the conversation id (16-64 of A-Z a-z 0-9 _ -).",
        )
    return value


def json_object(body: Any) -> dict:
    if not isinstance(body, dict):
        raise InvalidRequest("bad_json", "The request body must be a JSON object.")
    return body


def message(body: Any, max_chars: int) -> str:
    text = json_object(body).get("message")
    if not isinstance(text, str):
        raise InvalidRequest("bad_message", "'message' must be a string.")
    text = text.strip()
    if not text:
        raise InvalidRequest("empty_message", "The message is empty.")
    if len(text) > max_chars:
        raise InvalidRequest(
            "message_too_long",
            f"The message is longer than {max_chars} characters.",
            status=413,
            limit=max_chars,
        )
    # Rasa reads "/intent{...}" as a command with entities; only bare intents (buttons) may
    # pass, so a visitor cannot forge feedback or set entities by typing.
    if text.startswith("/") and not INTENT_PAYLOAD.match(text):
        raise InvalidRequest("bad_command", "Messages cannot start with '/'.")
    return text


def opening(body: dict) -> str:
    """The payload the widget opens a conversation with (its ``data-greeting``)."""
    value = body.get("opening", "/greeting")
    if not isinstance(value, str) or not INTENT_PAYLOAD.match(value):
        raise InvalidRequest("bad_opening", "'opening' must be an intent such as /greeting.")
    return value


def feedback_command(body: Any) -> str:
    """The message the bot's `feedback` intent expects, built from checked values only."""
    body = json_object(body)
    rating, topic = body.get("rating"), body.get("topic")
    if rating not in RATINGS:
        raise InvalidRequest("bad_rating", "'rating' must be 'up' or 'down'.")
    if not isinstance(topic, str) or not TOPIC_ID.match(topic):
        raise InvalidRequest("bad_topic", "'topic' must be a topic id.")
    return f'/feedback{{"rating": "{rating}", "rated_topic": "{topic}"}}'


def metadata(body: dict) -> dict[str, str]:
    """The message metadata Rasa receives: the visitor's chosen language and nothing else.

    Absent is fine (an older widget, another client): the assistant then goes by the message.
    """
    value = body.get("metadata")
    if value is None:
        return {}
    lang = value.get("lang") if isinstance(value, dict) else None
    if not isinstance(value, dict) or set(value) - {"lang"} or lang not in LANGUAGES:
        raise InvalidRequest(
            "bad_metadata", '\'metadata\' may only be {"lang": "en"} or {"lang": "cy"}.'
        )
    return {"lang": lang}
