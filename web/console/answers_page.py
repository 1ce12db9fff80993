"""Editors: the Answers page, /console/answers/. Edit a knowledge entry (title, answer,
more detail, source, reviewed date, related topics, phrases) with a preview as the widget
shows it; the knowledge file's own check runs on save and its problems are shown beside
the fields, with nothing lost. Every change is kept (who, when, the entry before and
after) with its diff, can be reverted, and goes to the audit trail."""

from __future__ import annotations

import asyncio
import difflib
import time
from urllib.parse import urlencode

import sqlalchemy as sa
from sanic import Request
from sanic.response import HTTPResponse, redirect
from sqlalchemy.engine import Connection

from bot.content import answers
from bot.storage import database as db
from web.console.common import audit, console, error_page, in_db, render, signed_in

ENTRY_ID = r"<entry_id:[a-z0-9][a-z0-9-]{0,99}>"
MAX_FIELD = 5000  # characters; an answer is 90 words, detail a few paragraphs
HISTORY = 20
LABELS = {
    "title": "Title",
    "answer": "Answer",
    "detail": "More detail",
    "source": "Source",
    "reviewed": "Reviewed date",
    "related": "Related topics",
    "phrases": "Phrases visitors use",
}
HINTS = {
    "title": "A short heading, also the text of follow-up buttons.",
    "answer": "Plain English, short sentences, 90 words at most.",
    "detail": "Shown when a visitor asks to be told more. Leave empty for none.",
    "source": "The https:// address of the public page that backs the answer.",
    "reviewed": "The day you checked the entry against its source, like 2026-11-23.",
    "related": "2 to 4 topic ids, separated by commas, offered as follow-up buttons.",
    "phrases": "3 to 12 words or phrases visitors use for this topic, one a line. "
    "They take effect when a new model is published.",
}


def diff(before: str, after: str) -> list[tuple[str, str]]:
    """(kind, line) of a unified diff: kind is "add", "remove" or "same"."""
    lines = []
    changed = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="")
    for line in list(changed)[2:]:
        kind = {"+": "add", "-": "remove"}.get(line[:1], "same")
        if not line.startswith("@@"):
            lines.append((kind, line))
    return lines


def history(connection: Connection, entry_id: str | None = None) -> list[dict]:
    c = db.content_changes.c
    query = sa.select(db.content_changes).order_by(c.id.desc()).limit(HISTORY)
    if entry_id:
        query = query.where(c.entry_id == entry_id)
    rows = [dict(row._mapping) for row in connection.execute(query)]
    for row in rows:
        row["diff"] = diff(row["before"], row["after"])
    return rows


def _record(connection, request, entry_id, before, after, reverts=None) -> int:
    actor = request.ctx.session.account.email
    change = connection.execute(
        db.content_changes.insert().values(
            at=time.time(), actor=actor, entry_id=entry_id, before=before, after=after,
            reverts=reverts,
        )
    ).inserted_primary_key[0]
    action = "answer-revert" if reverts else "answer-edit"
    audit(request, connection, action, entry=entry_id, change=change,
          **({"reverted": reverts} if reverts else {}))
    return change


@console.get("/answers/")
@signed_in(role="editor")
async def answer_list(request: Request) -> HTTPResponse:
    changes = await in_db(request, history)
    return render(request, "answers.html", entries=answers.entries(), changes=changes)


def _entry_page(request, entry_id, draft, status=200, done="", previewing=False):
    async def page():
        changes = await in_db(request, history, entry_id)
        errors = draft.errors
        return render(
            request, "answer_edit.html", status=status, entry_id=entry_id, values=draft.values,
            errors=errors, error=bool(errors),
            error_list=[(name, e) for name in [*answers.FIELDS, ""] for e in errors.get(name, [])],
            labels=LABELS, hints=HINTS, fields=answers.FIELDS,
            preview=answers.preview(draft.values), previewing=previewing, changes=changes,
            done=done,
        )

    return page()


def _known(entry_id: str) -> bool:
    return any(entry["id"] == entry_id for entry in answers.entries())


@console.get(f"/answers/{ENTRY_ID}")
@signed_in(role="editor")
async def answer_edit(request: Request, entry_id: str) -> HTTPResponse:
    if not _known(entry_id):
        return error_page(request, 404, "Entry not found", "There is no entry with that id.")
    done = {"saved": "Saved. Visitors see the new text now.",
            "reverted": "The change was reverted."}.get(request.args.get("done", ""), "")
    return await _entry_page(request, entry_id, answers.draft_of(entry_id), done=done)


@console.post(f"/answers/{ENTRY_ID}")
@signed_in(role="editor")
async def answer_save(request: Request, entry_id: str) -> HTTPResponse:
    if not _known(entry_id):
        return error_page(request, 404, "Entry not found", "There is no entry with that id.")
    values = {name: (request.form.get(name) or "")[:MAX_FIELD] for name in answers.FIELDS}
    if request.form.get("action") == "preview":
        return await _entry_page(request, entry_id, answers.Draft(values), previewing=True)
    result = await asyncio.get_running_loop().run_in_executor(
        None, answers.save, entry_id, values
    )
    if isinstance(result, answers.Draft):
        return await _entry_page(request, entry_id, result, status=400)
    before, after = result
    if before != after:
        await in_db(request, _record, request, entry_id, before, after)
    return redirect(f"/console/answers/{entry_id}?done=saved", status=303)


@console.post(f"/answers/{ENTRY_ID}/revert/<change_id:int>")
@signed_in(role="editor")
async def answer_revert(request: Request, entry_id: str, change_id: int) -> HTTPResponse:
    def load(connection):
        return connection.execute(
            sa.select(db.content_changes).where(
                db.content_changes.c.id == change_id, db.content_changes.c.entry_id == entry_id
            )
        ).first()

    change = await in_db(request, load)
    if change is None or not _known(entry_id):
        return error_page(request, 404, "Change not found", "There is no such change.")
    result = await asyncio.get_running_loop().run_in_executor(
        None, answers.put_block, entry_id, change.before
    )
    if isinstance(result, answers.Draft):
        result.errors.setdefault("", []).insert(
            0, "The entry as it was before that change no longer passes the check:"
        )
        return await _entry_page(request, entry_id, result, status=400)
    before, after = result
    if before != after:
        await in_db(request, _record, request, entry_id, before, after, change_id)
    return redirect(f"/console/answers/{entry_id}?" + urlencode({"done": "reverted"}), status=303)
