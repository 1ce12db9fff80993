"""The recruiter console's pages about conversations: list, transcript, tags, reviews,
erasure, export and insights (sign-in is in sign_in.py, accounts in accounts_page.py).

Server-rendered with Jinja2. Recruiters read, tag, mark reviewed, note and export;
administrators also erase. List and search views, transcript views, insights, exports
and erasures go to the audit trail. Database work runs in a thread (``run_in_executor``)
with a synchronous SQLAlchemy engine.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import time
from datetime import date, datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from sanic import Request
from sanic.response import HTTPResponse, raw, redirect

from bot.privacy import redact
from bot.storage import database as db
from bot.storage.retention import erase_conversation
from web.console import publishing, queries, signals, trends
from web.console.charts import bar_chart
from web.console.common import (
    HERE,
    audit,
    client_of,
    console,
    error_page,
    in_db,
    iso_time,
    render,
    signed_in,
)
from web.console.topics import topic_title

ROOT = Path(__file__).resolve().parents[2]
GOVUK = ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"
CONVERSATION_ID = r"<conversation_id:[A-Za-z0-9_.:@-]{1,255}>"
MAX_NOTE = 2000
MAX_INSIGHT_DAYS = 366
INSIGHT_GROUPS_PER_PAGE = 25


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


# ---- Conversations --------------------------------------------------------------------------


def filters_or_error(request: Request) -> tuple[queries.Filters, str]:
    """The list's filters from the query string; if one is wrong, none and what is wrong."""
    try:
        return queries.Filters.parse(request.args), ""
    except queries.BadFilter as error:
        return queries.Filters(), str(error)


def conversation_list_page(
    request: Request,
    template: str,
    path: str,
    filters: queries.Filters,
    error: str,
    page: queries.Page,
    **context: Any,
) -> HTTPResponse:
    """A page of a list of conversations at ``path`` (400 if a filter was wrong), whose
    links to the pages before and after keep its filters."""
    return render(
        request,
        template,
        status=400 if error else 200,
        error=error,
        filters=filters,
        page=page,
        page_link=lambda n, **key: f"{path}?" + urlencode(filters.query_args(page=n, **key)),
        **context,
    )


@console.get("/conversations")
@signed_in()
async def conversation_list(request: Request) -> HTTPResponse:
    filters, error = filters_or_error(request)

    def load(connection):
        page = queries.conversation_page(connection, filters)
        # Which conversations a recruiter looked for, never what they searched for.
        audit(request, connection, "view-list", shown=len(page.rows), **filters.audit_detail())
        if filters.q and filters.include_sensitive:
            audit(request, connection, "search-including-sensitive", filters=filters.audit_detail())
        return page, queries.known_topics(connection), queries.known_tags(connection)

    page, topics, tags = await in_db(request, load)
    return conversation_list_page(
        request,
        "conversations.html",
        "/console/conversations",
        filters,
        error,
        page,
        # The filters' choices, as (value, label) pairs.
        topics=[(topic, topic_title(topic)) for topic in topics],
        tags=[(tag, tag) for tag in tags],
        channels=queries.CHANNELS,
        languages=queries.LANGUAGES,
        sort_choices=[(value, label) for value, (label, _) in queries.SORTS.items()],
        sorts=queries.SORTS,
        confident=signals.CONFIDENT,
        export_query=urlencode({k: v for k, v in filters.query_args().items() if k != "page"}),
        notice=request.args.get("notice", ""),
    )


@console.get(f"/conversations/{CONVERSATION_ID}")
@signed_in()
async def transcript(request: Request, conversation_id: str) -> HTTPResponse:
    return await _transcript(request, conversation_id)


async def _transcript(
    request: Request, conversation_id: str, tag_error: str = "", status: int = 200
) -> HTTPResponse:
    """The transcript page; with ``tag_error``, shown again with the tag form's error."""

    def load(connection):
        found = queries.conversation(connection, conversation_id)
        if found is not None:
            sensitive = {"sensitive": True} if found["sensitive"] else {}
            audit(request, connection, "view-transcript", conversation_id, **sensitive)
            found["model_names"] = publishing.names_by_model_id(connection)
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
        status=status,
        error=tag_error,
        tag_error=tag_error,
        conversation=found,
        tag_choices=[tag for tag in queries.TAGS if tag not in found["tags"]],
        sensitive_days=request.app.ctx.console_settings.sensitive_retention_days,
        confident=signals.CONFIDENT,
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
        return await _transcript(request, conversation_id, str(error), status=400)

    def save(connection):
        exists = connection.execute(
            sa.select(db.tags.c.tag).where(
                db.tags.c.sender_id == conversation_id, db.tags.c.tag == tag
            )
        ).first()
        if not exists:
            connection.execute(db.tags.insert().values(sender_id=conversation_id, tag=tag))
            audit(request, connection, "tag", conversation_id, tag=tag)

    await in_db(request, save)
    return _back(conversation_id, "tag")


@console.post(f"/conversations/{CONVERSATION_ID}/tags/remove")
@signed_in()
async def remove_tag(request: Request, conversation_id: str) -> HTTPResponse:
    tag = (request.form.get("tag") or "")[:40]
    def save(connection):
        connection.execute(
            db.tags.delete().where(db.tags.c.sender_id == conversation_id, db.tags.c.tag == tag)
        )
        audit(request, connection, "untag", conversation_id, tag=tag)

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
        audit(request, connection, "review", conversation_id, reviewed=reviewed)

    await in_db(request, save)
    return _back(conversation_id, "review")


@console.post(f"/conversations/{CONVERSATION_ID}/erase")
@signed_in(role="admin")
async def erase(request: Request, conversation_id: str) -> HTTPResponse:
    if request.form.get("confirm") != "yes":
        return error_page(request, 400, "Not erased", "Tick the box to confirm the erasure.")
    actor = request.ctx.session.account.email
    engine = request.app.ctx.database
    await asyncio.get_running_loop().run_in_executor(
        None, erase_conversation, engine, conversation_id, actor, client_of(request)
    )
    return redirect("/console/conversations?notice=erased", status=303)


# ---- Export ------------------------------------------------------------------------------------

CSV_FIELDS = [
    "conversation",
    "started",
    "language",
    "tags",
    "reviewed",
    "note",
    "time",
    "speaker",
    "text",
    "topic",
    "intent",
    "confidence",
    "button",
    "rating",
    "source",
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
                iso_time(row["started_at"]),
                row["language"],
                " ".join(row["tags"]),
                "yes" if row["reviewed"] else "no",
                row["note"],
            )
        ]
        writer.writerows(
            conversation
            + [
                _cell(value)
                for value in (
                    iso_time(m.at),
                    m.speaker,
                    m.text,
                    m.topic,
                    m.intent,
                    "" if m.confidence is None else f"{m.confidence:.3f}",
                    m.button,
                    m.rating,
                    m.source,
                )
            ]
            for m in row["messages"]
        )
    return out.getvalue().encode("utf-8")


def _export_json(rows: list[dict[str, Any]]) -> bytes:
    conversations = [
        {
            "conversation": row["sender_id"],
            "started": iso_time(row["started_at"]),
            "last": iso_time(row["last_at"]),
            "language": row["language"],
            "messages_from_visitor": row["user_messages"],
            "topics": row["topic_list"],
            "fallbacks": row["fallbacks"],
            "feedback": {"up": row["feedback_up"], "down": row["feedback_down"]},
            "tags": row["tags"],
            "reviewed": row["reviewed"],
            "note": row["note"],
            "messages": [{**m.as_dict(), "at": iso_time(m.at)} for m in row["messages"]],
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
    filters, error = filters_or_error(request)
    if error:
        return error_page(request, 400, "Not exported", error)

    def load(connection):
        rows = queries.export_rows(connection, filters)
        audit(
            request,
            connection,
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
    page = request.args.get("page") or "1"
    page = int(page) if page.isdigit() and len(page) < 6 else 1

    def load(connection):
        data = queries.insights(connection, date_from, date_to)
        weeks = trends.weekly(connection, date_from, date_to)
        start, end = queries.period(date_from, date_to)
        satisfaction = trends.topic_satisfaction(connection, start, end)
        groups = queries.group_page(data["unanswered"], page, INSIGHT_GROUPS_PER_PAGE)
        # What visitors asked, shown to a recruiter: recorded like a transcript view.
        audit(
            request,
            connection,
            "view-insights",
            date_from=date_from.isoformat(),
            date_to=date_to.isoformat(),
            page=groups.number,
            groups=len(groups.groups),
            questions=groups.questions,
        )
        return data, groups, weeks, satisfaction

    data, groups, weeks, satisfaction = await in_db(request, load)
    points = {
        key: [(week["week"], week[key]) for week in weeks]
        for key in ("not_understood_rate", "confident_rate", "helpful_rate")
    }
    return render(
        request,
        "insights.html",
        chart=bar_chart([(day["day"], day["conversations"]) for day in data["days"]]),
        trend_charts={key: bar_chart(values, largest=1.0) for key, values in points.items()},
        weeks=weeks,
        satisfaction=satisfaction,
        confident=signals.CONFIDENT,
        notice=request.args.get("notice", ""),
        status=400 if error else 200,
        error=error,
        date_from=date_from,
        date_to=date_to,
        data=data,
        groups=groups,
        page_link=lambda n: "/console/insights?"
        + urlencode({"from": date_from, "to": date_to, "page": n})
        + "#unanswered",
    )
