"""Administrators manage the console's accounts: add one, change its role, disable or
enable it, give it a new password, reset its second factor (a recruiter who lost their
phone and recovery codes). Every change is audited; nobody changes their own account here.

A new account or a new password gets a random password, shown once to the administrator
to pass on; the account sets up its authenticator app at its first sign-in.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from urllib.parse import urlencode

import sqlalchemy as sa
from sanic import Request
from sanic.response import HTTPResponse, redirect
from sqlalchemy.engine import Connection

from bot.storage import database as db
from web.console import auth, second_factor
from web.console.common import audit, console, error_page, in_db, render, signed_in

NEW_PASSWORD_BYTES = 15  # 20 characters of a URL-safe alphabet: 120 random bits


def account_rows(connection: Connection) -> list[dict]:
    a, codes = db.accounts.c, db.recovery_codes.c
    left = (
        sa.select(sa.func.count())
        .where(codes.account_id == a.id, codes.used_at.is_(None))
        .scalar_subquery()
    )
    rows = connection.execute(
        sa.select(
            a.id, a.email, a.role, a.totp_enrolled_at, a.disabled_at, left.label("codes_left")
        ).order_by(a.email)
    )
    return [dict(row._mapping) for row in rows]


async def _page(request: Request, status: int = 200, **context) -> HTTPResponse:
    rows = await in_db(request, account_rows)
    context.setdefault("error", "")
    return render(request, "accounts.html", status=status, rows=rows, roles=auth.ROLES, **context)


@console.get("/accounts")
@signed_in(role="admin")
async def accounts(request: Request) -> HTTPResponse:
    return await _page(
        request, reset=request.args.get("reset", ""), changed=request.args.get("changed", "")
    )


@console.post("/accounts")
@signed_in(role="admin")
async def add(request: Request) -> HTTPResponse:
    email = (request.form.get("email") or "").strip()[:320]
    role = request.form.get("role") or ""
    password = secrets.token_urlsafe(NEW_PASSWORD_BYTES)

    def save(connection: Connection) -> str:
        account = auth.add_account(connection, email, role, password)
        audit(request, connection, "account-add", role=account.role, account=account.email)
        return account.email

    try:
        added = await in_db(request, save)
    except auth.AccountError as error:
        message = str(error)
        return await _page(request, 400, error=message[:1].upper() + message[1:], email=email)
    return await _page(request, new_password=password, password_for=added, added=True)


async def _back_to_the_list(request: Request, email: str) -> HTTPResponse:
    return redirect("/console/accounts?" + urlencode({"changed": email}), status=303)


async def _change(
    request: Request,
    account_id: int,
    work: Callable[[Connection, str], None],
    done: Callable[[Request, str], Awaitable[HTTPResponse]] = _back_to_the_list,
    own: tuple[str, str] = ("Not changed", "Another administrator must change your own account."),
) -> HTTPResponse:
    """Run ``work(connection, email)`` on another account than the administrator's own,
    then answer with ``done(request, email)``. On their own account: refused, with ``own``'s
    title and message."""
    if account_id == request.ctx.session.account.id:
        return error_page(request, 400, *own)

    def run(connection: Connection) -> str | None:
        email = connection.execute(
            sa.select(db.accounts.c.email).where(db.accounts.c.id == account_id)
        ).scalar()
        if email is not None:
            work(connection, email)
        return email

    email = await in_db(request, run)
    if email is None:
        return error_page(request, 404, "Account not found", "There is no such account.")
    return await done(request, email)


@console.post("/accounts/<account_id:int>/role")
@signed_in(role="admin")
async def change_role(request: Request, account_id: int) -> HTTPResponse:
    role = request.form.get("role") or ""
    if role not in auth.ROLES:
        return await _page(request, 400, error="Choose a role from the list")

    def work(connection: Connection, email: str) -> None:
        if auth.set_role(connection, account_id, role):
            audit(request, connection, "account-role", account=email, role=role)

    return await _change(request, account_id, work)


@console.post("/accounts/<account_id:int>/disable")
@signed_in(role="admin")
async def disable(request: Request, account_id: int) -> HTTPResponse:
    disabled = request.form.get("disabled") != "no"

    def work(connection: Connection, email: str) -> None:
        if auth.set_disabled(connection, account_id, disabled):
            action = "account-disable" if disabled else "account-enable"
            audit(request, connection, action, account=email)

    return await _change(request, account_id, work)


@console.post("/accounts/<account_id:int>/password")
@signed_in(role="admin")
async def new_password(request: Request, account_id: int) -> HTTPResponse:
    password = secrets.token_urlsafe(NEW_PASSWORD_BYTES)

    def work(connection: Connection, email: str) -> None:
        auth.set_password(connection, account_id, password)
        audit(request, connection, "account-password-reset", account=email)

    async def show_password(request: Request, email: str) -> HTTPResponse:
        return await _page(request, new_password=password, password_for=email)

    own = ("Not changed", "Change your own password with another administrator.")
    return await _change(request, account_id, work, show_password, own)


@console.post("/accounts/<account_id:int>/second-factor/reset")
@signed_in(role="admin")
async def reset_second_factor(request: Request, account_id: int) -> HTTPResponse:
    def work(connection: Connection, email: str) -> None:
        second_factor.reset(connection, account_id)
        audit(request, connection, "second-factor-reset", account=email)

    async def say_reset(request: Request, email: str) -> HTTPResponse:
        return redirect("/console/accounts?" + urlencode({"reset": email}), status=303)

    own = ("Not reset", "Another administrator must reset your own second factor.")
    return await _change(request, account_id, work, say_reset, own)
