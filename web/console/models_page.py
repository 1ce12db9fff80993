"""Editors: the Models page, /console/models/. "Train and publish" (in the background,
its progress shown), the models with their held-out figures, which is live (on how many
of the Rasa workers), the model each worker answers with, and "Roll back" to the one
before. Publishing and rolling back go to the audit trail."""

from __future__ import annotations

from sanic import Request
from sanic.response import HTTPResponse, redirect

from bot.storage import model_servers
from web.console import publishing
from web.console.common import audit, console, error_page, in_db, render, signed_in
from web.console.rasa_api import RasaApi, RasaApiError


@console.get("/models/")
@signed_in(role="editor")
async def models(request: Request) -> HTTPResponse:
    api = RasaApi.from_env()
    status, problem = {}, ""
    try:
        status = await api.status()
    except RasaApiError as error:
        problem = str(error)

    def load(connection):
        if status:
            publishing.record_running(connection, status)
        return (
            publishing.rows(connection),
            publishing.rollback_target(connection),
            model_servers.live_workers(connection),
        )

    rows, target, workers = await in_db(request, load)
    done = {
        "started": "Training has started. It takes several minutes; you can keep working "
        "and come back to this page.",
        "rolled-back": "Rolled back: the Rasa workers are loading the previous model. It is "
        "live when every worker answers with it, as this page shows.",
    }.get(request.args.get("done", ""), "")
    return render(
        request,
        "models.html",
        rows=rows,
        running=any(row["state"] in publishing.RUNNING or row.get("going_live") for row in rows),
        serving=status,
        workers=workers,
        stale_seconds=model_servers.STALE_SECONDS,
        problem=problem,
        target=target,
        tolerance_right=publishing.TOLERANCE_RIGHT,
        tolerance_wrong=publishing.TOLERANCE_WRONG,
        tolerance_welsh_right=publishing.TOLERANCE_WELSH_RIGHT,
        tolerance_welsh_wrong=publishing.TOLERANCE_WELSH_WRONG,
        done=done,
    )


@console.post("/models/train")
@signed_in(role="editor")
async def train(request: Request) -> HTTPResponse:
    actor = request.ctx.session.account.email
    try:
        row_id = publishing.start(request.app.ctx.database, actor)
    except publishing.PublishError as error:
        return error_page(request, 409, "Not started", str(error))
    await in_db(request, lambda connection: audit(request, connection, "model-train", job=row_id))
    return redirect("/console/models/?done=started", status=303)


@console.post("/models/rollback")
@signed_in(role="editor")
async def rollback(request: Request) -> HTTPResponse:
    def roll(connection):
        target = publishing.rollback_target(connection)
        if target is not None:
            publishing.make_live(connection, target.id)
            audit(request, connection, "model-rollback", model=target.name)
        return target

    if await in_db(request, roll) is None:
        return error_page(
            request, 409, "Not rolled back", "There is no earlier model to go back to."
        )
    return redirect("/console/models/?done=rolled-back", status=303)
