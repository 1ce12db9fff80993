"""The JSON API the widget calls. The conversation id travels in the body, never in the
address: access logs and proxies record paths, and a path would tie a visitor's address
to their transcript.

POST /api/messages    {"conversation": id, "message": "..."}            -> {"messages": [...]}
POST /api/feedback    {"conversation": id, "topic": t, "rating": "up"}  -> same ("down" too)
POST /api/transcript  {"conversation": id, "opening": "/greeting"}      -> {"turns": [...]}
GET  /api/strings                                         -> {"en": {...}, "cy": {...}}

Messages and feedback may carry `"metadata": {"lang": "cy"}` (or "en"): the language the
visitor chose in the widget, passed on to Rasa with the message. The strings are the
widget's own words in each language, from the knowledge file (web/widget_strings.py).

Messages and feedback are forwarded to Rasa as one message each. The transcript is the
conversation as stored (redacted), for the widget to show again after a reload or a move
to another page (web/transcript.py): the widget keeps only the id in session storage.

The old addresses with the id in the path (/api/conversations/<id>/...) answer 410 with a
reason, so an out-of-date widget fails visibly instead of silently.

Errors are JSON {"error": code, "reason": text} so the widget can say what happened.
Too many requests from one conversation or address (bot.limits.limiter) get a 429
`rate_limited` with Retry-After; Rasa's channel caps the length of a conversation.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from sanic import Blueprint, Request, Sanic
from sanic.response import HTTPResponse, empty, json

from bot.knowledge import load_knowledge
from bot.limits.address import client_address
from bot.limits.limiter import WINDOW, Limiter
from web import validation
from web.rasa_client import UpstreamError
from web.security import add_cors_headers, origin_allowed
from web.transcript import transcript
from web.widget_strings import widget_strings

api = Blueprint("api", url_prefix="/api")

Work = Callable[[Request, str | None, Any], Awaitable[HTTPResponse]]


def error(status: int, code: str, reason: str, **details: int) -> HTTPResponse:
    return json({"error": code, "reason": reason, **details}, status=status)


def read_json(request: Request) -> Any:
    if (request.content_type or "").split(";")[0].strip() != "application/json":
        # Requiring JSON also forces browsers to ask (preflight) before a cross-site call.
        raise validation.InvalidRequest(
            "bad_content_type", "Send JSON (Content-Type: application/json).", status=415
        )
    try:
        return request.json
    except Exception:  # Sanic raises InvalidUsage; any parse failure is the client's
        raise validation.InvalidRequest("bad_json", "The request body is not valid JSON.") from None


async def guarded(
    request: Request, work: Work, conversation_optional: bool = False
) -> HTTPResponse:
    """Origin, body and conversation id checked, then ``work(request, id, body)``; with
    ``conversation_optional``, a body without a conversation gives ``work`` None."""
    if request.method == "OPTIONS":
        return empty()
    settings = request.app.ctx.settings
    if not origin_allowed(request, settings.allowed_origins):
        return error(403, "origin_not_allowed", "This site may not use the assistant.")
    try:
        body = validation.json_object(read_json(request))
        given = body.get("conversation")
        optional = conversation_optional and not given
        sender = None if optional else validation.conversation_id(given)
        response = await work(request, sender, body)
    except validation.InvalidRequest as invalid:
        return error(invalid.status, invalid.code, str(invalid), **invalid.details)
    return response


async def _admitted(request: Request, sender: str) -> HTTPResponse | None:
    if await request.app.ctx.limiter.admit(sender, client_address(request)):
        response = error(429, "rate_limited", load_knowledge().conversation["slow-down"].answer)
        response.headers["Retry-After"] = str(int(WINDOW))
        return response
    return None


def forwarding(build: Callable[[Request, dict], str]) -> Work:
    """Send the message ``build`` makes from the body to Rasa; answer with Rasa's replies."""

    async def forward(request: Request, sender: str, body: dict) -> HTTPResponse:
        text = build(request, body)
        metadata = validation.metadata(body)
        refused = await _admitted(request, sender)
        if refused is not None:
            return refused
        try:
            messages = await request.app.ctx.rasa.send(sender, text, metadata)
        except UpstreamError as failure:
            return error(failure.status, failure.code, "The careers assistant is not answering.")
        return json({"messages": messages})

    return forward


async def stored_turns(request: Request, sender: str, body: dict) -> HTTPResponse:
    opening = validation.opening(body)
    refused = await _admitted(request, sender)
    if refused is not None:
        return refused
    engine = request.app.ctx.database

    def read() -> list:
        with engine.connect() as connection:
            return transcript(connection, sender, opening)

    turns = await asyncio.get_running_loop().run_in_executor(None, read)
    return json({"turns": turns})


@api.listener("before_server_start")
async def start_limiter(app: Sanic, _loop) -> None:
    app.ctx.limiter = Limiter.rates_only(app.ctx.settings.limits, scope="web")


@api.route("/messages", methods=["POST", "OPTIONS"])
async def post_message(request: Request) -> HTTPResponse:
    limit = request.app.ctx.settings.max_message_chars
    return await guarded(request, forwarding(lambda _r, body: validation.message(body, limit)))


@api.route("/feedback", methods=["POST", "OPTIONS"])
async def post_feedback(request: Request) -> HTTPResponse:
    return await guarded(request, forwarding(lambda _r, body: validation.feedback_command(body)))


@api.route("/transcript", methods=["POST", "OPTIONS"])
async def post_transcript(request: Request) -> HTTPResponse:
    return await guarded(request, stored_turns)


@api.get("/strings")
async def get_strings(_request: Request) -> HTTPResponse:
    # The same words for every site that embeds the widget, and nothing private in them.
    return json(widget_strings(load_knowledge()), headers={"Access-Control-Allow-Origin": "*"})


@api.route("/conversations/<_rest:path>", methods=["GET", "POST", "OPTIONS"])
async def id_in_the_path(_request: Request, _rest: str) -> HTTPResponse:
    return error(
        410,
        "moved",
        "The conversation id is no longer sent in the address: POST to /api/messages, "
        '/api/feedback or /api/transcript with {"conversation": id} in the JSON body.',
    )


@api.on_response
async def cors(request: Request, response: HTTPResponse) -> None:
    add_cors_headers(request, response, request.app.ctx.settings.allowed_origins)
