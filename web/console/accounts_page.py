"""Administrators: the console's accounts, and resetting another account's second factor
(a recruiter who lost their phone and recovery codes). Resets are audited."""

from __future__ import annotations

from urllib.parse import urlencode

import sqlalchemy as sa
from sanic import Request
from sanic.response import HTTPResponse, redirect
from sqlalchemy.engine import Connection

from bot.storage import database as db
from web.console import second_factor
from web.console.common import audit, console, error_page, in_db, render, signed_in


def account_rows(connection: Connection) -> list[dict]:
    a, codes = db.accounts.c, db.recovery_codes.c
    left = (
        sa.select(sa.func.count())
        .where(codes.account_id == a.id, codes.used_at.is_(None))
        .scalar_subquery()
    )
    rows = connection.execute(
        sa.select(a.id, a.email, a.role, a.totp_enrolled_at, left.label("codes_left")).order_by(
            a.email
        )
    )
    return [dict(row._mapping) for row in rows]


@console.get("/accounts")
@signed_in(role="admin")
async def accounts(request: Request) -> HTTPResponse:
    rows = await in_db(request, account_rows)
    return render(request, "accounts.html", rows=rows, reset=request.args.get("reset", ""))


@console.post("/accounts/<account_id:int>/second-factor/reset")
@signed_in(role="admin")
async def reset_second_factor(request: Request, account_id: int) -> HTTPResponse:
    if account_id == request.ctx.session.account.id:
        return error_page(
            request, 400, "Not reset", "Another administrator must reset your own second factor."
        )

    def reset(connection: Connection) -> str | None:
        email = connection.execute(
            sa.select(db.accounts.c.email).where(db.accounts.c.id == account_id)
        ).scalar()
        if email is not None:
            second_factor.reset(connection, account_id)
            audit(request, connection, "second-factor-reset", account=email)
        return email

    email = await in_db(request, reset)
    if email is None:
        return error_page(request, 404, "Account not found", "There is no such account.")
    return redirect("/console/accounts?" + urlencode({"reset": email}), status=303)
