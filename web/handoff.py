"""Sending a question to the recruitment team: the API the form calls (web/static/widget/
handoff.js, in the widget and on the page /ask-the-recruitment-team).

GET  /api/requests/terms  -> {"reply_days": 5, "retention_days": 30, "max_question_chars": 1000}
POST /api/requests        {"conversation": id (optional), "question": "...", "email": "...",
                           "consent": true, "website": ""}  -> 201 {"reply_days": 5}

The question is redacted before it is stored; the email address is kept in the request alone
(bot/storage/requests.py) and never goes to Rasa or a log. Errors name each field that is
wrong: 400 {"error": "invalid_request", "reason": ..., "fields": {"email": "..."}}. A form
whose hidden `website` field was filled in (by a bot: people never see it) gets the same
201 and stores nothing. Too many questions an hour from one conversation or one address
get 429 `too_many_requests`.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from sanic import Request, Sanic
from sanic.response import HTTPResponse, empty, json

from bot.limits.address import address_key, client_address
from bot.limits.limiter import MemoryCounts, RedisCounts
from bot.storage import requests
from web.api import api, error, guarded

HOUR = 3600.0
MAX_EMAIL_CHARS = 254
# A practical check, not RFC 5322: one @, no spaces or characters that mean something in a
# mail header, and a domain of dot-separated labels.
EMAIL = re.compile(
    r"^[^@\s<>(),;:\"\[\]\\]{1,64}@"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
HONEYPOT = "website"


def request_errors(body: dict, max_chars: int) -> dict[str, str]:
    """What is wrong with each field of the form, in words for the visitor."""
    errors = {}
    question = body.get("question")
    if not isinstance(question, str) or not question.strip():
        errors["question"] = "Enter your question"
    elif len(question.strip()) > max_chars:
        errors["question"] = f"Your question must be {max_chars} characters or fewer"
    email = body.get("email")
    if not isinstance(email, str) or not email.strip():
        errors["email"] = "Enter your email address"
    elif len(email.strip()) > MAX_EMAIL_CHARS or not EMAIL.match(email.strip()):
        errors["email"] = "Enter an email address in the correct format, like name@example.com"
    if body.get("consent") is not True:
        errors["consent"] = "Tick the box to agree to send your question to the recruitment team"
    return errors


def terms(settings) -> dict[str, int]:
    return {
        "reply_days": settings.request_reply_days,
        "retention_days": settings.request_retention_days,
        "max_question_chars": settings.max_message_chars,
    }


@api.listener("before_server_start")
async def start_request_counts(app: Sanic, _loop) -> None:
    redis_url = app.ctx.settings.limits.redis_url
    app.ctx.request_counts = RedisCounts(redis_url) if redis_url else MemoryCounts()


async def _over_limit(request: Request, conversation: str | None) -> bool:
    settings, counts = request.app.ctx.settings, request.app.ctx.request_counts
    if conversation and settings.requests_per_conversation and not await counts.take(
        f"requests:conversation:{conversation}", settings.requests_per_conversation, HOUR
    ):
        return True
    address = address_key(client_address(request))
    return bool(
        address
        and settings.requests_per_address
        and not await counts.take(
            f"requests:address:{address}", settings.requests_per_address, HOUR
        )
    )


@api.route("/requests/terms", methods=["GET", "OPTIONS"])
async def request_terms(request: Request) -> HTTPResponse:
    if request.method == "OPTIONS":
        return empty()
    return json(terms(request.app.ctx.settings))


@api.route("/requests", methods=["POST", "OPTIONS"])
async def post_request(request: Request) -> HTTPResponse:
    return await guarded(request, _queue_question, conversation_optional=True)


async def _queue_question(request: Request, conversation: str | None, body: dict) -> HTTPResponse:
    settings = request.app.ctx.settings
    sent = json({"reply_days": settings.request_reply_days}, status=201)
    if body.get(HONEYPOT):
        return sent  # a bot filled in the field people never see: tell it nothing
    errors = request_errors(body, settings.max_message_chars)
    if errors:
        reason = "Some answers need correcting."
        return json({"error": "invalid_request", "reason": reason, "fields": errors}, status=400)
    if await _over_limit(request, conversation):
        response = error(
            429,
            "too_many_requests",
            "You have sent several questions to the recruitment team in the last hour. "
            "Please wait an hour before you send another.",
        )
        response.headers["Retry-After"] = str(int(HOUR))
        return response
    await _store(request, body["question"].strip(), body["email"].strip(), conversation)
    return sent


async def _store(request: Request, question: str, email: str, conversation: Any) -> None:
    engine = request.app.ctx.database

    def write() -> None:
        with engine.begin() as connection:
            requests.add(connection, question, email, conversation)

    await asyncio.get_running_loop().run_in_executor(None, write)
