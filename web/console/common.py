"""What every console page shares: the blueprint, settings, templates, database access in a
thread, cookies, the audit helper and the ``signed_in`` guard.

Every route but the sign-in pages and the GOV.UK Frontend files needs a complete session
(password and second factor); every POST needs the session's CSRF token (and, if the
browser sends one, our own Origin). With CONSOLE_ALLOWED_NETWORKS set, the console
answers only those networks and is a plain 404 to everyone else.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
from datetime import datetime, timezone
from functools import wraps
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Blueprint, Request
from sanic.exceptions import NotFound
from sanic.response import HTTPResponse, html, redirect

from bot.limits.address import address_key
from bot.limits.settings import SettingsError, env_int
from bot.storage.audit import Client, record
from bot.storage.retention import retention_days, sensitive_retention_days
from web.console import auth, passwords, throttle
from web.console.conversations import ENGLISH, LANGUAGES
from web.console.topics import read_titles, topic_title
from web.security import own_origin

HERE = Path(__file__).parent
SESSION_COOKIE = "cps_console_session"
SIGN_IN_COOKIE = "cps_console_signin"

console = Blueprint("console", url_prefix="/console")
templates = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def iso_time(timestamp: float | None) -> str:
    """ISO 8601 in UTC, as exports give every time: 2026-03-31T14:05:09Z."""
    if timestamp is None:
        return ""
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def when(timestamp: float | None) -> str:
    if timestamp is None:
        return ""
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%d %b %Y %H:%M UTC")


# What a sensitive conversation's categories mean, in words for the transcript.
CATEGORY_WORDS = {
    "health": "health",
    "disability": "disability",
    "sexuality": "sexual orientation or gender identity",
    "religion": "religion or belief",
    "ethnicity": "racial or ethnic origin",
    "pregnancy": "pregnancy",
    "political-opinion": "political opinions",
    "trade-union": "trade union membership",
    "criminal-offence": "a criminal record or case",
    "victim": "being a victim or witness of a crime",
}


def category_words(categories: str | None) -> str:
    return "; ".join(CATEGORY_WORDS.get(c, c) for c in (categories or "").split()) or "unknown"


templates.filters["when"] = when
templates.filters["topic_title"] = topic_title
templates.filters["iso"] = lambda t: "" if t is None else iso_time(t)
templates.filters["category_words"] = category_words
templates.filters["language_name"] = lambda code: LANGUAGES.get(code or ENGLISH, code)
templates.filters["percent"] = lambda v: "no data" if v is None else f"{v * 100:.1f}%"


class ConsoleSettings:
    def __init__(self, env=None):
        env = os.environ if env is None else env
        self.cookie_secure = (env.get("CONSOLE_COOKIE_SECURE") or "true").lower() not in (
            "0",
            "false",
            "no",
            "off",
        )
        self.session_hours = _positive(env, "CONSOLE_SESSION_HOURS", 8)
        self.idle_minutes = _positive(env, "CONSOLE_IDLE_MINUTES", 30)
        self.max_sessions = env_int(env, "CONSOLE_MAX_SESSIONS", 3, 1, 100)
        # argon2 checks at once per process, 64 MiB each.
        self.sign_in_parallel = env_int(env, "CONSOLE_SIGN_IN_PARALLEL", 2, 1, 16)
        self.allowed_networks = parse_networks(env.get("CONSOLE_ALLOWED_NETWORKS") or "")
        self.retention_days = retention_days(env)
        self.sensitive_retention_days = sensitive_retention_days(env)

    def cookie(self, name: str) -> str:
        """``__Host-`` names need Secure and Path=/; plain http on loopback can have neither."""
        return f"__Host-{name}" if self.cookie_secure else name

    @property
    def cookie_path(self) -> str:
        return "/" if self.cookie_secure else "/console"


def _positive(env, name: str, default: float) -> float:
    raw = env.get(name) or str(default)
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not 0 < value < float("inf"):
        raise ValueError(f"{name}: {raw!r} is not a number above 0")
    return value


def parse_networks(value: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    networks = []
    for item in value.split(","):
        if item.strip():
            try:
                networks.append(ipaddress.ip_network(item.strip(), strict=False))
            except ValueError:
                raise SettingsError(
                    f"CONSOLE_ALLOWED_NETWORKS: {item.strip()!r} is not a network like "
                    "10.0.0.0/8 or 2001:db8::/32"
                ) from None
    return tuple(networks)


# ---- Plumbing --------------------------------------------------------------------------------


@console.listener("before_server_start")
async def start_sign_in_checks(app, _loop) -> None:
    settings = app.ctx.console_settings = ConsoleSettings()
    app.ctx.console_passwords = passwords.PasswordChecker(settings.sign_in_parallel)
    # Per account from one address, so nobody elsewhere can lock a recruiter out; per
    # address (offices share one); wrong second-factor codes per account (only someone who
    # has the password can make them). All per 15 minutes.
    app.ctx.console_throttle = throttle.Throttle(
        throttle.Rule("account-address", 5),
        throttle.Rule("address", 30),
        throttle.Rule("code-account", 10),
    )


@console.listener("after_server_start")
async def read_topic_titles(app, loop) -> None:
    # In a thread, while the server already answers: the first page needs the titles.
    app.add_task(loop.run_in_executor(None, read_titles))


@console.listener("after_server_stop")
async def stop_sign_in_checks(app, _loop) -> None:
    app.ctx.console_passwords.close()


def client_address(request: Request) -> str:
    """The visitor's address as Sanic sees it (the forwarded one behind a trusted proxy)."""
    return (request.remote_addr or request.ip or "").strip("[]")  # Sanic brackets IPv6


def client_of(request: Request) -> Client:
    return Client(client_address(request), request.headers.get("user-agent"))


def throttle_keys(request: Request, email: str) -> dict[str, str]:
    address = address_key(client_address(request)) or "local"
    return {"account-address": f"{email}\n{address}", "address": address}


def audit(request: Request, connection, action: str, conversation_id: str | None = None,
          actor: str | None = None, **detail: Any) -> None:
    """One audit record for a console request, with its client address and user agent."""
    if actor is None:
        actor = request.ctx.session.account.email
    record(connection, actor, action, conversation_id, client=client_of(request), **detail)


async def in_db(request: Request, work, *args: Any) -> Any:
    """Run ``work(connection, *args)`` in a transaction, in a thread off the event loop."""
    engine = request.app.ctx.database

    def run() -> Any:
        with engine.begin() as connection:
            return work(connection, *args)

    return await asyncio.get_running_loop().run_in_executor(None, run)


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTTPResponse:
    session = getattr(request.ctx, "session", None)
    signed_in_fully = session is not None and session.complete
    settings = request.app.ctx.console_settings
    page = templates.get_template(name).render(
        request_path=request.path,
        retention_days=settings.retention_days,
        sensitive_retention_days=settings.sensitive_retention_days,
        account=session.account if signed_in_fully else None,
        csrf_token=session.csrf_token if session else "",
        **context,
    )
    return html(page, status=status)


def error_page(request: Request, status: int, title: str, message: str) -> HTTPResponse:
    return render(request, "error.html", status=status, title=title, message=message)


def set_cookie(request: Request, response: HTTPResponse, name: str, value: str) -> None:
    """A cookie that lasts until the browser closes (or, with no value, is deleted now)."""
    settings = request.app.ctx.console_settings
    name = settings.cookie(name)
    response.cookies[name] = value
    cookie = response.cookies[name]
    cookie["path"] = settings.cookie_path
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    if not value:
        cookie["max-age"] = 0
    if settings.cookie_secure:
        cookie["secure"] = True


def get_cookie(request: Request, name: str) -> str | None:
    return request.cookies.get(request.app.ctx.console_settings.cookie(name))


def same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    return origin is None or origin.lower() == own_origin(request)


def forbidden(request: Request, why: str) -> HTTPResponse:
    return error_page(request, 403, "Not allowed", why)


def signed_in(role: str | None = None, pending: bool = False):
    """Require a complete session (or, with ``pending``, one waiting for its second factor)
    and a role; check the CSRF token on POST."""

    def decorate(handler):
        @wraps(handler)
        async def wrapper(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            token = get_cookie(request, SESSION_COOKIE)
            idle = request.app.ctx.console_settings.idle_minutes
            session = await in_db(request, auth.load_session, token, idle)
            if session is None or session.complete == pending:
                if request.method == "GET":
                    target = request.args.get("next") if pending else request.path
                    return redirect(
                        "/console/sign-in?" + urlencode({"next": target or ""}), status=303
                    )
                return error_page(
                    request, 401, "Sign in first", "Your session has ended. Sign in again."
                )
            request.ctx.session = session
            request.ctx.session_token = token
            if request.method == "POST":
                if not same_origin(request) or not auth.tokens_match(
                    session.csrf_token, request.form.get("csrf_token")
                ):
                    return forbidden(
                        request, "The form had expired. Go back, reload and try again."
                    )
            if role == "admin" and not session.account.is_admin:
                return forbidden(request, "Only administrators can do that.")
            if role == "editor" and not session.account.is_editor:
                return forbidden(request, "Only editors and administrators can do that.")
            return await handler(request, *args, **kwargs)

        return wrapper

    return decorate


@console.middleware("request")
async def allowed_networks_only(request: Request) -> None:
    networks = request.app.ctx.console_settings.allowed_networks
    if not networks:
        return
    try:
        address = ipaddress.ip_address(client_address(request))
    except ValueError:
        raise NotFound("Requested URL not found") from None
    if getattr(address, "ipv4_mapped", None):
        address = address.ipv4_mapped
    if not any(address in network for network in networks):
        raise NotFound("Requested URL not found")  # as if there were no console here


@console.middleware("response")
async def no_store(request: Request, response: HTTPResponse) -> None:
    if not request.path.startswith("/console/govuk/"):
        response.headers["Cache-Control"] = "no-store"
