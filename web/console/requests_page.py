"""The console's queue of questions visitors sent to the recruitment team.

/console/requests/ lists them, new ones first; a request's page shows the question, the
conversation it came from (as stored, redacted) and the topics it touched. A recruiter
replies in plain text, sent by email to the address the visitor gave (web/mail.py), or
closes the request with a reason; an administrator can erase it. Every view and action
goes to the audit trail, with the request's number and never its text or address.
"""

from __future__ import annotations

import asyncio

from sanic import Request
from sanic.response import HTTPResponse, redirect

from bot.storage import database as db
from bot.storage import requests
from web.console import queries
from web.console.common import audit, console, error_page, in_db, render, signed_in
from web.mail import MailError, MailSettings, plain_message, send

MAX_REPLY = 5000
SUBJECT = "Your question to the CPS recruitment team"
STATUS_WORDS = {requests.NEW: "New", requests.REPLIED: "Replied", requests.CLOSED: "Closed"}
NOT_FOUND = "There is no request with that number. It may have been deleted."
ALREADY = (
    "Someone has already replied to this request or closed it. Reload it to see what was done."
)


def reply_body(reply: str, question: str, retention_days: int) -> str:
    """The email: the recruiter's reply, then the question it answers, as plain text."""
    return (
        f"{reply.strip()}\n\n"
        "-- \n"
        "You sent this question to the CPS recruitment team through the careers assistant:\n\n"
        f"{question}\n\n"
        "We used your email address only to send this reply. It is deleted with your question "
        f"{retention_days} days from today. Please do not reply with personal details about a "
        "criminal case.\n"
    )


@console.get("/")
@signed_in()
async def home(request: Request) -> HTTPResponse:
    def load(connection):
        counts = requests.counts(connection)
        audit(request, connection, "view-home", **counts)
        return counts

    return render(request, "home.html", title="Home", counts=await in_db(request, load))


@console.get("/requests/")
@signed_in()
async def request_list(request: Request) -> HTTPResponse:
    status = request.args.get("status") or ""
    status = status if status in requests.STATUSES else ""

    def load(connection):
        rows = requests.listed(connection, status or None)
        audit(request, connection, "view-requests", status=status or "all", shown=len(rows))
        return rows, requests.counts(connection)

    rows, counts = await in_db(request, load)
    return render(
        request,
        "requests.html",
        title="Questions for the recruitment team",
        rows=rows,
        counts=counts,
        selected=status,
        status_words=STATUS_WORDS,
        notice=request.args.get("notice", ""),
    )


def _detail(request: Request, found: dict, conversation, status: int = 200, **extra):
    return render(
        request,
        "request.html",
        status=status,
        title=f"Request {found['id']}",
        found=found,
        conversation=conversation,
        status_words=STATUS_WORDS,
        reasons=requests.CLOSE_REASONS,
        mail_to=request.app.ctx.mail_settings.where,
        saved=request.args.get("saved", ""),
        **extra,
    )


def _load(connection, request_id: int):
    found = requests.get(connection, request_id)
    if found is None or not found["conversation_id"]:
        return found, None
    return found, queries.conversation(connection, found["conversation_id"])


@console.get("/requests/<request_id:int>")
@signed_in()
async def request_page(request: Request, request_id: int) -> HTTPResponse:
    def load(connection):
        found, conversation = _load(connection, request_id)
        if found is not None:
            audit(request, connection, "view-request", found["conversation_id"],
                  request_id=request_id)
        return found, conversation

    found, conversation = await in_db(request, load)
    if found is None:
        return error_page(request, 404, "Request not found", NOT_FOUND)
    return _detail(request, found, conversation)


@console.post("/requests/<request_id:int>/reply")
@signed_in()
async def reply(request: Request, request_id: int) -> HTTPResponse:
    text = (request.form.get("reply") or "").replace("\r\n", "\n")
    found, conversation = await in_db(request, _load, request_id)
    if found is None:
        return error_page(request, 404, "Request not found", NOT_FOUND)
    if found["status"] != requests.NEW:
        return error_page(request, 409, "Already answered", ALREADY)
    problem = ""
    if not text.strip():
        problem = "Enter your reply"
    elif len(text) > MAX_REPLY:
        problem = f"Your reply must be {MAX_REPLY} characters or fewer"
    if problem:
        return _detail(request, found, conversation, status=400, reply_error=problem, reply=text)
    settings = request.app.ctx.mail_settings
    days = request.app.ctx.settings.request_retention_days
    body = reply_body(text, found["question"], days)
    message = plain_message(settings, found["email"], SUBJECT, body)
    try:
        await asyncio.get_running_loop().run_in_executor(None, send, settings, message)
    except MailError as failure:
        # Nothing is lost: the reply stays in the box to send again.
        return _detail(
            request, found, conversation, status=502,
            reply_error=f"Your reply was not sent: {failure}. Try again later.", reply=text,
        )
    actor = request.ctx.session.account.email

    def save(connection):
        requests.mark_replied(connection, request_id, text, actor)
        audit(request, connection, "request-reply", found["conversation_id"], request_id=request_id,
              characters=len(text))

    await in_db(request, save)
    return redirect(f"/console/requests/{request_id}?saved=replied", status=303)


@console.post("/requests/<request_id:int>/close")
@signed_in()
async def close(request: Request, request_id: int) -> HTTPResponse:
    reason = request.form.get("reason") or ""
    found, conversation = await in_db(request, _load, request_id)
    if found is None:
        return error_page(request, 404, "Request not found", NOT_FOUND)
    if found["status"] != requests.NEW:
        return error_page(request, 409, "Already answered", ALREADY)
    if reason not in requests.CLOSE_REASONS:
        return _detail(request, found, conversation, status=400,
                       close_error="Select why you are closing this request")
    actor = request.ctx.session.account.email

    def save(connection):
        requests.close(connection, request_id, reason, actor)
        audit(request, connection, "request-close", found["conversation_id"], request_id=request_id,
              reason=reason)

    await in_db(request, save)
    return redirect(f"/console/requests/{request_id}?saved=closed", status=303)


@console.post("/requests/<request_id:int>/erase")
@signed_in(role="admin")
async def erase(request: Request, request_id: int) -> HTTPResponse:
    if request.form.get("confirm") != "yes":
        return error_page(request, 400, "Not erased", "Tick the box to confirm the erasure.")

    def save(connection):
        removed = requests.erase(connection, request_id)
        audit(request, connection, "request-erase", request_id=request_id, removed=removed)

    await in_db(request, save)
    await asyncio.get_running_loop().run_in_executor(
        None, db.after_erasing, request.app.ctx.database
    )
    return redirect("/console/requests/?notice=erased", status=303)


@console.listener("before_server_start")
async def mail_settings(app, _loop) -> None:
    app.ctx.mail_settings = MailSettings.from_env()
