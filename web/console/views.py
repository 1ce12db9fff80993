"""The recruiter console: a Sanic blueprint under /console/, server-rendered with Jinja2.

Every route but the sign-in page and the GOV.UK Frontend files needs a signed-in
account; every POST needs the session's CSRF token (and, if the browser sends
one, our own Origin). Recruiters read, tag, mark reviewed, note and export;
administrators also erase. Transcript views, exports, erasures and every search or
export that includes sensitive conversations go to the audit trail. Database work
runs in a thread (``run_in_executor``) with a synchronous SQLAlchemy engine.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import time
from datetime import date, datetime, timedelta, timezone
from functools import cache, wraps
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Blueprint, Request
from sanic.response import HTTPResponse, html, raw, redirect

from bot.privacy import redact
from bot.storage import database as db
from bot.storage.retention import erase_conversation, record, sensitive_retention_days
from web.console import auth, queries
from web.console.charts import bar_chart
from web.security import own_origin

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
GOVUK = ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"
SESSION_COOKIE = "cps_console_session"
SIGN_IN_COOKIE = "cps_console_signin"
CONVERSATION_ID = r"<conversation_id:[A-Za-z0-9_.:@-]{1,255}>"
MAX_NOTE = 2000
MAX_INSIGHT_DAYS = 366
TOO_MANY = object()  # a sign-in refused by the rate limit

console = Blueprint("console", url_prefix="/console")
templates = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _when(timestamp: float | None) -> str:
    if timestamp is None:
        return ""
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%d %b %Y %H:%M UTC")


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


def _category_words(categories: str | None) -> str:
    return "; ".join(CATEGORY_WORDS.get(c, c) for c in (categories or "").split()) or "unknown"


templates.filters["when"] = _when
templates.filters["category_words"] = _category_words
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
        self.sensitive_retention_days = sensitive_retention_days(env)


def _positive(env, name: str, default: float) -> float:
    raw = env.get(name) or str(default)
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if not 0 < value < float("inf"):
        raise ValueError(f"{name}: {raw!r} is not a number above 0")
    return value


# ---- Plumbing --------------------------------------------------------------------------------


@console.listener("before_server_start")
async def open_database(app, _loop) -> None:
    app.ctx.console_settings = ConsoleSettings()
    app.ctx.console_engine = db.make_engine()
    # 5 failures per account, 30 per address (offices share addresses), per 15 minutes.
    app.ctx.console_limiter = auth.SignInLimiter("account", limit=5)
    app.ctx.console_ip_limiter = auth.SignInLimiter("address", limit=30)


@console.listener("after_server_stop")
async def close_database(app, _loop) -> None:
    app.ctx.console_engine.dispose()


async def in_db(request: Request, work, *args: Any) -> Any:
    """Run ``work(connection, *args)`` in a transaction, in a thread off the event loop."""
    engine = request.app.ctx.console_engine

    def run() -> Any:
        with engine.begin() as connection:
            return work(connection, *args)

    return await asyncio.get_running_loop().run_in_executor(None, run)


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTTPResponse:
    session = getattr(request.ctx, "session", None)
    page = templates.get_template(name).render(
        request_path=request.path,
        account=session.account if session else None,
        csrf_token=session.csrf_token if session else "",
        **context,
    )
    return html(page, status=status)


def _set_cookie(request: Request, response: HTTPResponse, name: str, value: str, age: int):
    response.cookies[name] = value
    cookie = response.cookies[name]
    cookie["path"] = "/console"
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["max-age"] = age
    if request.app.ctx.console_settings.cookie_secure:
        cookie["secure"] = True


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    return origin is None or origin.lower() == own_origin(request)


def _forbidden(request: Request, why: str) -> HTTPResponse:
    return render(request, "error.html", status=403, title="Not allowed", message=why)


def signed_in(role: str | None = None):
    """Require a session (and a role); check the CSRF token on POST."""

    def decorate(handler):
        @wraps(handler)
        async def wrapper(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            token = request.cookies.get(SESSION_COOKIE)
            idle = request.app.ctx.console_settings.idle_minutes
            session = await in_db(request, auth.load_session, token, idle)
            if session is None:
                if request.method == "GET":
                    return redirect(
                        "/console/sign-in?" + urlencode({"next": request.path}), status=303
                    )
                return render(
                    request,
                    "error.html",
                    status=401,
                    title="Sign in first",
                    message="Your session has ended. Sign in again.",
                )
            request.ctx.session = session
            if request.method == "POST":
                if not _same_origin(request) or not auth.tokens_match(
                    session.csrf_token, request.form.get("csrf_token")
                ):
                    return _forbidden(
                        request, "The form had expired. Go back, reload and try again."
                    )
            if role == "admin" and not session.account.is_admin:
                return _forbidden(request, "Only administrators can do that.")
            return await handler(request, *args, **kwargs)

        return wrapper

    return decorate


@console.middleware("response")
async def no_store(request: Request, response: HTTPResponse) -> None:
    if not request.path.startswith("/console/govuk/"):
        response.headers["Cache-Control"] = "no-store"


# ---- GOV.UK Frontend, served from node_modules ------------------------------------------------


@cache
def _govuk_css() -> bytes:
    css = (GOVUK / "govuk-frontend.min.css").read_text(encoding="utf-8")
    css = css.replace("url(/assets/", "url(/console/govuk/assets/")
    css = css.split("/*# sourceMappingURL=")[0]
    return css.encode()


@console.get("/govuk/govuk-frontend.min.css")
async def govuk_css(_request: Request) -> HTTPResponse:
    return raw(
        _govuk_css(),
        content_type="text/css; charset=utf-8",
        headers={"Cache-Control": "public, max-age=3600"},
    )


console.static("/govuk/assets", str(GOVUK / "assets"), name="govuk_assets")
console.static("/static", str(HERE / "static"), name="console_static")


# ---- Sign in and out ------------------------------------------------------------------------


def _safe_next(value: str | None) -> str:
    if value and value.startswith("/console/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/console/conversations"


def _sign_in_page(request: Request, status: int = 200, error: str = "", email: str = ""):
    token = auth.secrets.token_urlsafe(32)
    response = render(
        request,
        "sign_in.html",
        status=status,
        error=error,
        email=email,
        signin_token=token,
        next=_safe_next(
            request.form.get("next") if request.method == "POST" else request.args.get("next")
        ),
    )
    _set_cookie(request, response, SIGN_IN_COOKIE, token, 1800)
    return response


@console.get("/")
async def home(_request: Request) -> HTTPResponse:
    return redirect("/console/conversations", status=303)


@console.get("/sign-in")
async def sign_in_form(request: Request) -> HTTPResponse:
    return _sign_in_page(request)


@console.post("/sign-in")
async def sign_in(request: Request) -> HTTPResponse:
    form = request.form
    if not _same_origin(request) or not auth.tokens_match(
        request.cookies.get(SIGN_IN_COOKIE), form.get("signin_token")
    ):
        return _sign_in_page(request, 403, "The form had expired. Try again.")
    email = (form.get("email") or "").strip()[:320]
    password = form.get("password") or ""
    limiter, ip_limiter = request.app.ctx.console_limiter, request.app.ctx.console_ip_limiter
    address, account_key = request.remote_addr or request.ip, email.lower()
    hours = request.app.ctx.console_settings.session_hours

    def attempt(connection):
        if limiter.blocked(connection, account_key) or ip_limiter.blocked(connection, address):
            return TOO_MANY
        account = auth.authenticate(connection, email, password[:1000])
        if account is None:
            limiter.failed(connection, account_key)
            ip_limiter.failed(connection, address)
            return None
        limiter.succeeded(connection, account_key)
        record(connection, account.email, "sign-in")
        return auth.start_session(connection, account, hours)

    token = await in_db(request, attempt)
    if token is TOO_MANY:
        return _sign_in_page(
            request, 429, "Too many attempts to sign in. Wait 15 minutes and try again.", email
        )
    if token is None:
        return _sign_in_page(request, 401, "The email address or password is not right.", email)
    response = redirect(_safe_next(form.get("next")), status=303)
    _set_cookie(request, response, SESSION_COOKIE, token, int(hours * 3600))
    _set_cookie(request, response, SIGN_IN_COOKIE, "", 0)
    return response


@console.post("/sign-out")
@signed_in()
async def sign_out(request: Request) -> HTTPResponse:
    await in_db(request, auth.end_session, request.cookies.get(SESSION_COOKIE))
    response = redirect("/console/sign-in", status=303)
    _set_cookie(request, response, SESSION_COOKIE, "", 0)
    return response


# ---- Conversations --------------------------------------------------------------------------


def _filters_or_error(request: Request):
    try:
        return queries.Filters.parse(request.args), None
    except queries.BadFilter as error:
        return queries.Filters(), str(error)


@console.get("/conversations")
@signed_in()
async def conversation_list(request: Request) -> HTTPResponse:
    filters, error = _filters_or_error(request)
    actor = request.ctx.session.account.email

    def load(connection):
        if filters.q and filters.include_sensitive:
            record(connection, actor, "search-including-sensitive", filters=filters.audit_detail())
        return (
            queries.conversation_page(connection, filters),
            queries.known_topics(connection),
            queries.known_tags(connection),
        )

    page, topics, tags = await in_db(request, load)
    return render(
        request,
        "conversations.html",
        status=400 if error else 200,
        error=error,
        filters=filters,
        page=page,
        topics=topics,
        tags=tags,
        page_link=lambda n, **key: (
            "/console/conversations?" + urlencode(filters.query_args(page=n, **key))
        ),
        export_query=urlencode({k: v for k, v in filters.query_args().items() if k != "page"}),
        notice=request.args.get("notice", ""),
    )


@console.get(f"/conversations/{CONVERSATION_ID}")
@signed_in()
async def transcript(request: Request, conversation_id: str) -> HTTPResponse:
    actor = request.ctx.session.account.email

    def load(connection):
        found = queries.conversation(connection, conversation_id)
        if found is not None:
            record(
                connection,
                actor,
                "view-transcript",
                conversation_id,
                **({"sensitive": True} if found["sensitive"] else {}),
            )
        return found

    found = await in_db(request, load)
    if found is None:
        return render(
            request,
            "error.html",
            status=404,
            title="Conversation not found",
            message="There is no conversation with that reference. It may have been deleted.",
        )
    return render(
        request,
        "transcript.html",
        conversation=found,
        tag_choices=[tag for tag in queries.TAGS if tag not in found["tags"]],
        sensitive_days=request.app.ctx.console_settings.sensitive_retention_days,
        saved=request.args.get("saved", ""),
    )


def _back(conversation_id: str, saved: str) -> HTTPResponse:
    return redirect(f"/console/conversations/{conversation_id}?saved={saved}", status=303)


@console.post(f"/conversations/{CONVERSATION_ID}/tags")
@signed_in()
async def add_tag(request: Request, conversation_id: str) -> HTTPResponse:
    try:
        tag = queries.normalise_tag(request.form.get("tag") or "")
    except queries.BadFilter as error:
        return render(request, "error.html", status=400, title="Tag not added", message=str(error))
    actor = request.ctx.session.account.email

    def save(connection):
        exists = connection.execute(
            sa.select(db.tags.c.tag).where(
                db.tags.c.sender_id == conversation_id, db.tags.c.tag == tag
            )
        ).first()
        if not exists:
            connection.execute(db.tags.insert().values(sender_id=conversation_id, tag=tag))
            record(connection, actor, "tag", conversation_id, tag=tag)

    await in_db(request, save)
    return _back(conversation_id, "tag")


@console.post(f"/conversations/{CONVERSATION_ID}/tags/remove")
@signed_in()
async def remove_tag(request: Request, conversation_id: str) -> HTTPResponse:
    tag = (request.form.get("tag") or "")[:40]
    actor = request.ctx.session.account.email

    def save(connection):
        connection.execute(
            db.tags.delete().where(db.tags.c.sender_id == conversation_id, db.tags.c.tag == tag)
        )
        record(connection, actor, "untag", conversation_id, tag=tag)

    await in_db(request, save)
    return _back(conversation_id, "untag")


def _upsert_review(connection, conversation_id: str, actor: str, **values: Any) -> None:
    values.update(updated_by=actor, updated_at=time.time())
    changed = connection.execute(
        db.reviews.update().where(db.reviews.c.sender_id == conversation_id).values(**values)
    ).rowcount
    if not changed:
        connection.execute(
            db.reviews.insert().values(
                sender_id=conversation_id, **{"reviewed": False, "note": "", **values}
            )
        )


@console.post(f"/conversations/{CONVERSATION_ID}/review")
@signed_in()
async def review(request: Request, conversation_id: str) -> HTTPResponse:
    reviewed = request.form.get("reviewed") == "yes"
    note = request.form.get("note")
    actor = request.ctx.session.account.email
    values: dict[str, Any] = {"reviewed": reviewed}
    if note is not None:
        # Recruiters' notes are personal data too if someone pastes it in: redacted alike.
        values["note"] = redact(note[:MAX_NOTE]).text

    def save(connection):
        _upsert_review(connection, conversation_id, actor, **values)
        record(connection, actor, "review", conversation_id, reviewed=reviewed)

    await in_db(request, save)
    return _back(conversation_id, "review")


@console.post(f"/conversations/{CONVERSATION_ID}/erase")
@signed_in(role="admin")
async def erase(request: Request, conversation_id: str) -> HTTPResponse:
    if request.form.get("confirm") != "yes":
        return render(
            request,
            "error.html",
            status=400,
            title="Not erased",
            message="Tick the box to confirm the erasure.",
        )
    actor = request.ctx.session.account.email
    engine = request.app.ctx.console_engine
    await asyncio.get_running_loop().run_in_executor(
        None, erase_conversation, engine, conversation_id, actor
    )
    return redirect("/console/conversations?notice=erased", status=303)


# ---- Export ------------------------------------------------------------------------------------

CSV_FIELDS = [
    "conversation",
    "started",
    "tags",
    "reviewed",
    "time",
    "speaker",
    "text",
    "topic",
    "intent",
    "confidence",
    "button",
    "rating",
]


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # A spreadsheet must not run what a visitor typed as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _export_csv(rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_FIELDS)
    for row in rows:
        conversation = [  # the same on each of its messages: worked out once
            _cell(value)
            for value in (
                row["sender_id"],
                _when(row["started_at"]),
                " ".join(row["tags"]),
                "yes" if row["reviewed"] else "no",
            )
        ]
        writer.writerows(
            conversation
            + [
                _cell(value)
                for value in (
                    _when(m.at),
                    m.speaker,
                    m.text,
                    m.topic,
                    m.intent,
                    "" if m.confidence is None else f"{m.confidence:.3f}",
                    m.button,
                    m.rating,
                )
            ]
            for m in row["messages"]
        )
    return out.getvalue().encode("utf-8")


def _export_json(rows: list[dict[str, Any]]) -> bytes:
    conversations = [
        {
            "conversation": row["sender_id"],
            "started": row["started_at"],
            "last": row["last_at"],
            "messages_from_visitor": row["user_messages"],
            "topics": row["topic_list"],
            "fallbacks": row["fallbacks"],
            "feedback": {"up": row["feedback_up"], "down": row["feedback_down"]},
            "tags": row["tags"],
            "reviewed": row["reviewed"],
            "messages": [m.as_dict() for m in row["messages"]],
        }
        for row in rows
    ]
    return json.dumps({"conversations": conversations}, indent=1).encode("utf-8")


@console.get("/export.csv", name="export_csv")
@signed_in()
async def export_csv(request: Request) -> HTTPResponse:
    return await _export(request, "csv")


@console.get("/export.json", name="export_json")
@signed_in()
async def export_json(request: Request) -> HTTPResponse:
    return await _export(request, "json")


async def _export(request: Request, kind: str) -> HTTPResponse:
    filters, error = _filters_or_error(request)
    if error:
        return render(request, "error.html", status=400, title="Not exported", message=error)
    actor = request.ctx.session.account.email

    def load(connection):
        rows = queries.export_rows(connection, filters)
        record(
            connection,
            actor,
            "export",
            format=kind,
            conversations=len(rows),
            filters=filters.audit_detail(),
        )
        return rows

    rows = await in_db(request, load)
    stamp = datetime.now(tz=timezone.utc).strftime("%Y%m%d-%H%M")
    body = _export_csv(rows) if kind == "csv" else _export_json(rows)
    content_type = "text/csv; charset=utf-8" if kind == "csv" else "application/json"
    return raw(
        body,
        content_type=content_type,
        headers={
            "Content-Disposition": f'attachment; filename="conversations-{stamp}.{kind}"',
        },
    )


# ---- Insights ------------------------------------------------------------------------------------


@console.get("/insights")
@signed_in()
async def insights(request: Request) -> HTTPResponse:
    today = datetime.now(tz=timezone.utc).date()
    error = ""
    try:
        date_to = date.fromisoformat(request.args.get("to") or today.isoformat())
        date_from = date.fromisoformat(
            request.args.get("from") or (date_to - timedelta(days=29)).isoformat()
        )
        if date_from > date_to or (date_to - date_from).days >= MAX_INSIGHT_DAYS:
            raise ValueError
    except ValueError:
        error = f"Enter dates like 2026-03-31, From before To, at most {MAX_INSIGHT_DAYS} days"
        date_to, date_from = today, today - timedelta(days=29)
    data = await in_db(request, queries.insights, date_from, date_to)
    return render(
        request,
        "insights.html",
        chart=bar_chart([(day["day"], day["conversations"]) for day in data["days"]]),
        status=400 if error else 200,
        error=error,
        date_from=date_from,
        date_to=date_to,
        data=data,
    )
