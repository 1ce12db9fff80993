"""Recruiters set aside unanswered questions (one group's wordings, or a pattern) and put
them back; each change is audited (the questions are in web/console/dismissals.py)."""

from __future__ import annotations

from urllib.parse import urlencode

from sanic import Request
from sanic.response import HTTPResponse, redirect
from sqlalchemy.engine import Connection

from bot.privacy import redact
from web.console import dismissals
from web.console.common import audit, console, error_page, in_db, signed_in

MAX_KEYS = 200  # questions dismissed at once (a group's wordings)


def _back(request: Request, notice: str) -> HTTPResponse:
    period = {k: request.form.get(k) or "" for k in ("from", "to")}
    query = urlencode({**{k: v for k, v in period.items() if v}, "notice": notice})
    return redirect(f"/console/insights?{query}#unanswered", status=303)


@console.post("/insights/dismissals")
@signed_in()
async def dismiss(request: Request) -> HTTPResponse:
    actor = request.ctx.session.account.email
    given = request.form.getlist("key") or []
    keys = sorted({k for k in given if dismissals.KEY.match(k)})[:MAX_KEYS]
    typed = request.form.get("pattern")
    if not keys and typed is None:
        return error_page(request, 400, "Nothing dismissed", "Choose questions to dismiss.")
    # A recruiter's words could hold personal details: redacted like a note.
    pattern = dismissals.normalise(redact((typed or "")[: dismissals.MAX_PATTERN]).text)
    if not keys and len(pattern) < dismissals.MIN_PATTERN:
        return error_page(
            request,
            400,
            "Nothing dismissed",
            f"Enter at least {dismissals.MIN_PATTERN} characters for the pattern.",
        )

    def save(connection: Connection) -> None:
        if keys:
            count = dismissals.dismiss_questions(connection, keys, actor)
            audit(request, connection, "dismiss-questions", questions=count)
        else:
            number = dismissals.dismiss_pattern(connection, pattern, actor)
            audit(request, connection, "dismiss-pattern", dismissal=number)

    await in_db(request, save)
    return _back(request, "dismissed")


@console.post("/insights/dismissals/<dismissal_id:int>/restore")
@signed_in()
async def restore(request: Request, dismissal_id: int) -> HTTPResponse:
    actor = request.ctx.session.account.email

    def save(connection: Connection) -> bool:
        restored = dismissals.restore(connection, dismissal_id, actor)
        if restored:
            audit(request, connection, "restore-dismissal", dismissal=dismissal_id)
        return restored

    if not await in_db(request, save):
        return error_page(request, 404, "Not restored", "That dismissal is not in force.")
    return _back(request, "restored")
