"""Editors: the Improve page, /console/improve/. The questions the assistant did not
understand, answered with low confidence or that visitors rated "not helpful", grouped
by similar wording; each can become a training example of a chosen topic (its redacted
text, with where it came from), or be marked out of scope or as needing a new answer.
What the live model makes of each question now comes from the running Rasa server.
Every view and decision goes to the audit trail (never the question's text)."""

from __future__ import annotations

import asyncio

from sanic import Request
from sanic.response import HTTPResponse, redirect

from bot.content import answers
from bot.content.examples import ExampleRefused, Provenance, add_example, topics
from web.console import improvement
from web.console.common import audit, console, error_page, in_db, render, signed_in
from web.console.rasa_api import RasaApi, RasaApiError

GROUPS_PER_PAGE = 10
QUESTIONS_PER_GROUP = 5
DONE = {
    "example": "The question was added as a training example. It takes effect when a new "
    "model is published (Models).",
    "out-of-scope": "The question was marked out of scope.",
    "needs-answer": "The question was added to the list that needs a new answer.",
}


def topic_choices() -> list[tuple[str, str]]:
    """(topic id, what the select shows) for every topic a question can be given."""
    titles = answers.titles()
    return [
        (topic, f"{titles[topic]} ({topic})" if topic in titles else topic) for topic in topics()
    ]


@console.get("/improve/")
@signed_in(role="editor")
async def improve(request: Request) -> HTTPResponse:
    page = request.args.get("page") or "1"
    page = int(page) if page.isdigit() and len(page) < 6 else 1

    def load(connection):
        groups = improvement.grouped(improvement.questions(connection))
        pages = max(1, -(-len(groups) // GROUPS_PER_PAGE))
        number = min(page, pages)
        shown = groups[(number - 1) * GROUPS_PER_PAGE : number * GROUPS_PER_PAGE]
        for group in shown:
            group["questions"] = group["questions"][:QUESTIONS_PER_GROUP]
        audit(
            request, connection, "view-improve", page=number, groups=len(shown),
            questions=sum(len(g["questions"]) for g in shown),
        )
        return shown, number, pages, len(groups), improvement.needing_answers(connection)

    shown, number, pages, total, needing = await in_db(request, load)
    texts = [row["text"] for group in shown for row in group["questions"]]
    parsed, parse_error = {}, ""
    if texts:
        try:
            parsed = await RasaApi.from_env().parse_all(texts)
        except RasaApiError as error:
            parse_error = str(error)
    return render(
        request,
        "improve.html",
        groups=shown,
        number=number,
        pages=pages,
        total=total,
        first=(number - 1) * GROUPS_PER_PAGE + 1,
        parsed=parsed,
        parse_error=parse_error,
        choices=topic_choices(),
        titles=answers.titles(),
        needing=needing,
        done=DONE.get(request.args.get("done", ""), ""),
        reasons=improvement.REASONS,
        day=improvement.day,
    )


async def _question(request: Request, event_id: int):
    return await in_db(request, improvement.find_question, event_id)


@console.post("/improve/<event_id:int>/example")
@signed_in(role="editor")
async def add_training_example(request: Request, event_id: int) -> HTTPResponse:
    asked = await _question(request, event_id)
    if asked is None:
        return error_page(request, 404, "Question not found", "It may have been deleted.")
    topic = (request.form.get("topic") or "").strip()
    actor = request.ctx.session.account.email
    provenance = Provenance(asked.sender_id, asked.at, actor)
    try:
        # The text as stored (redacted), never what the browser sent.
        await asyncio.get_running_loop().run_in_executor(
            None, add_example, asked.text, topic, provenance
        )
    except ExampleRefused as error:
        return error_page(request, 400, "Not added", str(error))

    def save(connection):
        improvement.mark(connection, asked, "example", actor, topic)
        audit(request, connection, "training-example-add", asked.sender_id, topic=topic,
              event=asked.event_id)

    await in_db(request, save)
    return redirect("/console/improve/?done=example", status=303)


@console.post("/improve/<event_id:int>/mark")
@signed_in(role="editor")
async def mark_question(request: Request, event_id: int) -> HTTPResponse:
    what = request.form.get("mark") or ""
    if what not in ("out-of-scope", "needs-answer"):
        return error_page(request, 400, "Not marked", "Choose out of scope or needs a new answer.")
    asked = await _question(request, event_id)
    if asked is None:
        return error_page(request, 404, "Question not found", "It may have been deleted.")
    actor = request.ctx.session.account.email

    def save(connection):
        improvement.mark(connection, asked, what, actor, None)
        audit(request, connection, "question-mark", asked.sender_id, mark=what,
              event=asked.event_id)

    await in_db(request, save)
    return redirect(f"/console/improve/?done={what}", status=303)
