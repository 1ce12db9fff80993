"""Signing in to the console: password, then a second factor; and signing out.

1. ``/console/sign-in``: email and password. The attempt is recorded before the password
   is checked (web/console/throttle.py) and the check waits for one of a few slots
   (web/console/passwords.py). The right password starts a pending session.
2. First time: ``/console/sign-in/set-up`` shows a new authenticator secret (QR code and
   text) and asks for a code from it; then the ten recovery codes, once.
   After that: ``/console/sign-in/code`` asks for the code from the authenticator app,
   or ``/console/sign-in/recovery-code`` for one of the recovery codes.
3. The right code replaces the pending session with a complete one under a new token.

Failed, throttled and complete sign-ins, second-factor failures and sign-outs are
audited with the client address and user agent.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from sanic import Request
from sanic.response import HTTPResponse, redirect
from sqlalchemy.engine import Connection

from web.console import auth, passwords, second_factor
from web.console.auth import Candidate
from web.console.common import (
    SESSION_COOKIE,
    SIGN_IN_COOKIE,
    address_key,
    audit,
    client_address,
    console,
    get_cookie,
    in_db,
    render,
    same_origin,
    set_cookie,
    signed_in,
    throttle_keys,
)

MAX_CODES_PER_SIGN_IN = 5  # wrong codes, then the password again
BUSY_SECONDS = 5  # Retry-After when every password check slot is taken
UNKNOWN = "unknown account"  # the audit's actor for an email that has no account


def safe_next(value: str | None) -> str:
    if value and value.startswith("/console/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/console/conversations"


def _next(request: Request) -> str:
    source = request.form if request.method == "POST" else request.args
    return safe_next(source.get("next"))


def _sign_in_page(request: Request, status: int = 200, error: str = "", email: str = ""):
    token = auth.secrets.token_urlsafe(32)
    response = render(
        request,
        "sign_in.html",
        status=status,
        error=error,
        email=email,
        signin_token=token,
        next=_next(request),
    )
    set_cookie(request, response, SIGN_IN_COOKIE, token)
    return response


def _actor(candidate: Candidate) -> str:
    return candidate.account.email if candidate.account else UNKNOWN


@console.get("/sign-in")
async def sign_in_form(request: Request) -> HTTPResponse:
    return _sign_in_page(request)


@console.post("/sign-in")
async def sign_in(request: Request) -> HTTPResponse:
    form = request.form
    if not same_origin(request) or not auth.tokens_match(
        get_cookie(request, SIGN_IN_COOKIE), form.get("signin_token")
    ):
        return _sign_in_page(request, 403, "The form had expired. Try again.")
    email = (form.get("email") or "").strip()[:320]
    password = (form.get("password") or "")[:1000]
    keys = throttle_keys(request, email.lower())
    throttle = request.app.ctx.console_throttle
    previous = get_cookie(request, SESSION_COOKIE)

    def begin(connection: Connection) -> dict[str, int]:
        if previous:  # a new sign-in ends this browser's earlier session (session fixation)
            auth.end_session(connection, previous)
        return throttle.record(connection, keys)

    # Recorded and committed before counting: a burst cannot pass between count and write.
    ids = await in_db(request, begin)

    def admit(connection: Connection) -> Candidate | None:
        candidate = auth.find_account(connection, email)
        if throttle.refused(connection, keys):
            throttle.forget(connection, ids)
            audit(request, connection, "sign-in-throttled", actor=_actor(candidate))
            return None
        return candidate

    candidate = await in_db(request, admit)
    if candidate is None:
        return _sign_in_page(
            request, 429, "Too many attempts to sign in. Wait 15 minutes and try again.", email
        )
    try:
        right, new_hash = await request.app.ctx.console_passwords.check(
            candidate.password_hash, password
        )
    except passwords.Busy:

        def turned_away(connection: Connection) -> None:
            throttle.forget(connection, ids)  # not counted: the password was never checked
            audit(request, connection, "sign-in-throttled", actor=_actor(candidate), busy=True)

        await in_db(request, turned_away)
        response = _sign_in_page(
            request, 503, "Many people are signing in. Try again in a few seconds.", email
        )
        response.headers["Retry-After"] = str(BUSY_SECONDS)
        return response
    if not right:
        await in_db(
            request, lambda c: audit(request, c, "sign-in-failed", actor=_actor(candidate))
        )
        return _sign_in_page(request, 401, "The email address or password is not right.", email)

    def start(connection: Connection) -> str:
        # The account-and-address attempt counts until the second factor is right too.
        throttle.forget(connection, ids, "address")
        auth.store_rehash(connection, candidate.account, new_hash)
        audit(request, connection, "sign-in-password", actor=candidate.account.email)
        return auth.start_session(connection, candidate.account, 0, complete=False)

    token = await in_db(request, start)
    step = "code" if candidate.enrolled else "set-up"
    response = redirect(
        f"/console/sign-in/{step}?" + urlencode({"next": _next(request)}), status=303
    )
    set_cookie(request, response, SESSION_COOKIE, token)
    set_cookie(request, response, SIGN_IN_COOKIE, "")
    return response


# ---- The second factor ------------------------------------------------------------------------


def _complete(request: Request, connection: Connection, method: str) -> str:
    """The second factor was right: a complete session under a new token."""
    session, settings = request.ctx.session, request.app.ctx.console_settings
    address = address_key(client_address(request)) or "local"
    request.app.ctx.console_throttle.clear(
        connection, "account-address", f"{session.account.email}\n{address}"
    )
    token = auth.complete_session(
        connection, session, request.ctx.session_token, settings.session_hours,
        settings.max_sessions,
    )
    audit(request, connection, "sign-in", second_factor=method)
    return token


def _signed_in_response(request: Request, response: HTTPResponse, token: str) -> HTTPResponse:
    set_cookie(request, response, SESSION_COOKIE, token)
    return response


def _wrong_code(request: Request, connection: Connection, method: str) -> bool:
    """Count a wrong code; True if this sign-in has had too many and is ended."""
    session = request.ctx.session
    failed = session.failed_codes + 1
    audit(request, connection, "second-factor-failed", second_factor=method)
    if failed >= MAX_CODES_PER_SIGN_IN:
        auth.end_session(connection, request.ctx.session_token)
        return True
    auth.update_pending(connection, request.ctx.session_token, failed_codes=failed)
    return False


TOO_MANY_CODES = "Too many wrong codes. Sign in again with your email address and password."


async def _check_code(
    request: Request, method: str, verify: Callable[[Connection], bool]
) -> tuple[str, str | None]:
    """Try a code: ("ok", new token), ("wrong", None), ("ended", None) or ("throttled", None)."""
    throttle = request.app.ctx.console_throttle
    keys = {"code-account": str(request.ctx.session.account.id)}
    ids = await in_db(request, throttle.record, keys)

    def attempt(connection: Connection) -> tuple[str, str | None]:
        if throttle.refused(connection, keys):
            throttle.forget(connection, ids)
            audit(request, connection, "sign-in-throttled", second_factor=method)
            return "throttled", None
        if not verify(connection):
            return ("ended" if _wrong_code(request, connection, method) else "wrong"), None
        throttle.forget(connection, ids)
        return "ok", _complete(request, connection, method)

    return await in_db(request, attempt)


def _code_page(request: Request, template: str, status: int = 200, error: str = "", **extra):
    return render(request, template, status=status, error=error, next=_next(request), **extra)


def _ended(request: Request, why: str) -> HTTPResponse:
    response = _sign_in_page(request, 401, why)
    set_cookie(request, response, SESSION_COOKIE, "")
    return response


def _set_up_context(request: Request, secret: str) -> dict:
    email = request.ctx.session.account.email
    return {
        "key": second_factor.grouped(secret),
        "qr": second_factor.qr_svg(
            second_factor.provisioning_uri(secret, email),
            "QR code to set up your authenticator app",
            "Scan it with your authenticator app. If you cannot scan it, type the setup key "
            "shown below the QR code instead.",
        ),
    }


@console.get("/sign-in/set-up")
@signed_in(pending=True)
async def set_up_form(request: Request) -> HTTPResponse:
    session = request.ctx.session
    if session.totp_secret:  # enrolled meanwhile (another tab): ask for a code instead
        return redirect("/console/sign-in/code?" + urlencode({"next": _next(request)}), 303)
    secret = session.enrol_secret
    if not secret:  # the same secret on every reload, so a scanned QR code stays valid
        secret = second_factor.new_secret()
        token = request.ctx.session_token
        await in_db(request, lambda c: auth.update_pending(c, token, enrol_secret=secret))
    return _code_page(request, "set_up.html", **_set_up_context(request, secret))


@console.post("/sign-in/set-up")
@signed_in(pending=True)
async def set_up(request: Request) -> HTTPResponse:
    session = request.ctx.session
    if session.totp_secret or not session.enrol_secret:
        return redirect("/console/sign-in/set-up?" + urlencode({"next": _next(request)}), 303)
    code = (request.form.get("code") or "")[:20]
    codes: list[str] = []

    def enrol(connection: Connection) -> bool:
        found = second_factor.enrol(connection, session.account.id, session.enrol_secret, code)
        if found:
            codes.extend(found)
            audit(request, connection, "second-factor-enrolled")
        return bool(found)

    outcome, token = await _check_code(request, "enrolment", enrol)
    if outcome == "ok":
        response = render(request, "recovery_codes.html", codes=codes, next=_next(request))
        return _signed_in_response(request, response, token)
    if outcome == "ended":
        return _ended(request, TOO_MANY_CODES)
    error = (
        "Too many wrong codes. Wait 15 minutes and try again."
        if outcome == "throttled"
        else "The code is not right. Enter the 6-digit code your authenticator app shows now."
    )
    return _code_page(
        request,
        "set_up.html",
        429 if outcome == "throttled" else 400,
        error,
        **_set_up_context(request, session.enrol_secret),
    )


async def _code_sign_in(request: Request, recovery: bool) -> HTTPResponse:
    session = request.ctx.session
    if not session.totp_secret:
        return redirect("/console/sign-in/set-up?" + urlencode({"next": _next(request)}), 303)
    code = (request.form.get("code") or "")[:40]
    method = "recovery-code" if recovery else "authenticator"
    left: list[int] = []

    def verify(connection: Connection) -> bool:
        if not recovery:
            return second_factor.use_totp(connection, session.account.id, session.totp_secret, code)
        if not second_factor.use_recovery_code(connection, session.account.id, code):
            return False
        left.append(second_factor.recovery_codes_left(connection, session.account.id))
        return True

    outcome, token = await _check_code(request, method, verify)
    template = "code.html"
    if outcome == "ok":
        if recovery:  # say how many are left, and what to do when they run out
            response = render(request, "recovery_used.html", left=left[0], next=_next(request))
        else:
            response = redirect(_next(request), status=303)
        return _signed_in_response(request, response, token)
    if outcome == "ended":
        return _ended(request, TOO_MANY_CODES)
    if outcome == "throttled":
        return _code_page(
            request, template, 429, "Too many wrong codes. Wait 15 minutes and try again.",
            recovery=recovery,
        )
    error = (
        "The recovery code is not right, or it has been used."
        if recovery
        else "The code is not right. Enter the 6-digit code your authenticator app shows now."
    )
    return _code_page(request, template, 400, error, recovery=recovery)


async def _code_step(request: Request, recovery: bool) -> HTTPResponse:
    """The page that asks for a code (GET), and the code it sends (POST)."""
    if request.method == "POST":
        return await _code_sign_in(request, recovery)
    return _code_page(request, "code.html", recovery=recovery)


@console.route("/sign-in/code", methods=["GET", "POST"])
@signed_in(pending=True)
async def code(request: Request) -> HTTPResponse:
    return await _code_step(request, recovery=False)


@console.route("/sign-in/recovery-code", methods=["GET", "POST"])
@signed_in(pending=True)
async def recovery_code(request: Request) -> HTTPResponse:
    return await _code_step(request, recovery=True)


@console.post("/sign-out")
@signed_in()
async def sign_out(request: Request) -> HTTPResponse:
    def end(connection: Connection) -> None:
        auth.end_session(connection, request.ctx.session_token)
        audit(request, connection, "sign-out")

    await in_db(request, end)
    response = redirect("/console/sign-in", status=303)
    set_cookie(request, response, SESSION_COOKIE, "")
    return response
