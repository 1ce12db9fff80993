"""Rasa's REST channel (same URL, same replies) behind the guards of bot.channels.guard.

Differences from Rasa's `rest`, which credentials.yml replaces with this one:

- a request it cannot serve gets a 400 with {"error": code, "reason": text}: a body that
  is not UTF-8 or not a JSON object, a `sender` that is missing, not a short id or
  "default" (Rasa would put the message in one conversation shared by every such
  client), a `message` that is not a string;
- `input_channel` from the body is ignored: the channel name in the conversation log is
  always "rest"; of `metadata`, only the visitor's chosen language is kept
  (bot.channels.metadata), so nothing but the text and that choice is stored;
- no `?stream=true`: every reply comes in one JSON list;
- a fault is answered with the apology and logged without the visitor's text (Rasa's
  handler logs the text).
"""

from __future__ import annotations

import inspect
import json
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, Request
from sanic.response import HTTPResponse
from sanic.response import json as json_response

from bot.channels.guard import GuardedOutput, OnNewMessage, shared_guard, valid_sender
from bot.channels.headers import add_security_headers
from bot.channels.metadata import kept_metadata
from bot.limits.address import client_address

MAX_BODY_BYTES = 1024 * 1024  # far more than any message allowed; a bigger body is refused


class BadRequest(Exception):
    def __init__(self, code: str, reason: str, status: int = 400):
        super().__init__(reason)
        self.code = code
        self.status = status


class GuardedCollectingOutput(GuardedOutput, CollectingOutputChannel):
    pass


def read_request(body: bytes) -> tuple[str, str]:
    """(sender, message) from a request body, or BadRequest saying what is wrong."""
    data = read_body(body)
    return data["sender"], data["message"]


def read_body(body: bytes) -> dict[str, Any]:
    """The request body as a JSON object with a valid sender and message, or BadRequest."""
    if len(body) > MAX_BODY_BYTES:
        raise BadRequest("request_too_large", "The request body is larger than 1 MiB.", 413)
    try:
        data: Any = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise BadRequest("bad_encoding", "The request body is not valid UTF-8.") from None
    except (ValueError, RecursionError):
        raise BadRequest("bad_json", "The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise BadRequest("bad_json", "The request body must be a JSON object.")
    sender, message = data.get("sender"), data.get("message")
    if not valid_sender(sender):
        raise BadRequest(
            "bad_sender",
            "'sender' must be a conversation id of 1 to 128 letters, digits, '-', '_', '.' "
            "or ':' (and not 'default').",
        )
    if not isinstance(message, str):
        raise BadRequest("bad_message", "'message' must be a string.")
    return data


class GuardedRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"  # keeps the URL /webhooks/rest/webhook

    def __init__(self) -> None:
        self.guard = shared_guard()  # fails at start-up if a setting is wrong

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        module = inspect.getmodule(self)
        webhook = Blueprint(
            f"custom_webhook_{type(self).__name__}", module.__name__ if module else None
        )

        @webhook.route("/", methods=["GET"])
        async def health(_request: Request) -> HTTPResponse:
            return json_response({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                data = read_body(request.body or b"")
            except BadRequest as bad:
                return json_response({"error": bad.code, "reason": str(bad)}, status=bad.status)
            output = GuardedCollectingOutput()
            address = client_address(request)
            sender, text = data["sender"], data["message"]
            metadata = kept_metadata(data.get("metadata"))
            await self.guard.handle(
                on_new_message, output, sender, text, address, self.name(), metadata
            )
            return json_response(output.messages)

        @webhook.on_response
        async def headers(_request: Request, response: HTTPResponse) -> None:
            add_security_headers(response)

        return webhook
