"""The JSON API the widget calls; each call is forwarded to Rasa as one message.

POST /api/conversations/<id>/messages  {"message": "..."}          -> {"messages": [...]}
POST /api/conversations/<id>/feedback  {"topic": "...", "rating": "up"|"down"} -> same

Errors are JSON {"error": code, "reason": text} so the widget can say what happened.
Too many messages from one conversation or address (bot.guard.limits) get a 429
`rate_limited` with Retry-After; Rasa's channel caps the length of a conversation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sanic import Blueprint, Request, Sanic
from sanic.response import HTTPResponse, empty, json

from bot.guard.address import client_address
from bot.guard.limits import WINDOW, Limiter
from bot.knowledge import load_knowledge
from web import validation
from web.rasa_client import UpstreamError
from web.security import add_cors_headers, origin_allowed

api = Blueprint("api", url_prefix="/api")


def error(status: int, code: str, reason: str) -> HTTPResponse:
    return json({"error": code, "reason": reason}, status=status)


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


async def forward(
    request: Request, conversation_id: str, build: Callable[[Any], str]
) -> HTTPResponse:
    settings = request.app.ctx.settings
    if not origin_allowed(request, settings.allowed_origins):
        return error(403, "origin_not_allowed", "This site may not use the assistant.")
    try:
        sender = validation.conversation_id(conversation_id)
        text = build(read_json(request))
    except validation.InvalidRequest as invalid:
        return error(invalid.status, invalid.code, str(invalid))
    if await request.app.ctx.limiter.admit(sender, client_address(request)):
        response = error(429, "rate_limited", load_knowledge().conversation["slow-down"].answer)
        response.headers["Retry-After"] = str(int(WINDOW))
        return response
    try:
        messages = await request.app.ctx.rasa.send(sender, text)
    except UpstreamError as failure:
        return error(failure.status, failure.code, "The careers assistant is not answering.")
    return json({"messages": messages})


@api.listener("before_server_start")
async def start_limiter(app: Sanic, _loop) -> None:
    app.ctx.limiter = Limiter.rates_only(app.ctx.settings.limits, scope="web")


@api.route("/conversations/<conversation_id>/messages", methods=["POST", "OPTIONS"])
async def post_message(request: Request, conversation_id: str) -> HTTPResponse:
    if request.method == "OPTIONS":
        return empty()
    limit = request.app.ctx.settings.max_message_chars
    return await forward(request, conversation_id, lambda body: validation.message(body, limit))


@api.route("/conversations/<conversation_id>/feedback", methods=["POST", "OPTIONS"])
async def post_feedback(request: Request, conversation_id: str) -> HTTPResponse:
    if request.method == "OPTIONS":
        return empty()
    return await forward(request, conversation_id, validation.feedback_command)


@api.on_response
async def cors(request: Request, response: HTTPResponse) -> None:
    add_cors_headers(request, response, request.app.ctx.settings.allowed_origins)
