"""Keep every Rasa worker on the model the console made live, without a restart.

Listed in credentials.yml as an input channel only to get a hook into each Rasa worker
(it has no routes): after the server starts, each worker checks every
LIVE_MODEL_POLL_SECONDS (3) which model the console's database names live
(``console_models``, web/console/publishing.py). When it differs from the one loaded, the
worker loads it in a thread, with the tracker store and lock store it already has, and
swaps ``app.ctx.agent``, which Rasa reads for every message: a message being answered
finishes with the old model, the next one gets the new, none waits for the load and none
is dropped. Every worker of every instance does this itself, so in the production
profile they all follow (the model file must be where each can read it: bot/models/).

Each worker also reports which model it answers with (``console_model_servers``,
bot/storage/model_servers.py), so publishing can wait for every worker, not the one
that happens to answer ``/status``.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import logging
import os
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from rasa.core.agent import Agent
from rasa.core.channels.channel import InputChannel
from sanic import Blueprint

from bot.ops.model import MODELS_DIR
from bot.storage import database as db
from bot.storage import model_servers

logger = logging.getLogger(__name__)
POLL_SECONDS = float(os.environ.get("LIVE_MODEL_POLL_SECONDS") or 3)


def _innermost(store: Any) -> Any:
    while hasattr(store, "_tracker_store"):
        store = store._tracker_store
    return store


def wanted_model(engine: sa.engine.Engine) -> str | None:
    """The file name of the model the console made live, or None (none yet, or no table)."""
    m = db.models.c
    try:
        with engine.connect() as connection:
            return connection.execute(
                sa.select(m.name)
                .where(m.state == "live")
                .order_by(m.live_since.desc(), m.id.desc())
                .limit(1)
            ).scalar()
    except sa.exc.SQLAlchemyError:  # the console has not made its tables yet
        return None


def _copied(store: Any) -> Any:
    """A shallow copy of a tracker store and of each store it wraps (Rasa wraps ours)."""
    if store is None:
        return None
    duplicate = copy.copy(store)
    if hasattr(duplicate, "_tracker_store"):
        duplicate._tracker_store = _copied(duplicate._tracker_store)
    return duplicate


def load_beside(current: Agent, model: Path) -> Agent:
    """A new agent for ``model`` beside ``current`` (in a thread): the same lock store, so a
    conversation is never answered by both at once, and the same database connections.

    The tracker store and response generator are shallow copies: loading a model sets
    their domain, and the one ``current`` is still answering with must keep its own.
    """
    agent = Agent(
        generator=copy.copy(current.nlg),
        tracker_store=_copied(getattr(current.tracker_store, "_tracker_store", None)),
        lock_store=current.lock_store,
        action_endpoint=current.action_endpoint,
        http_interpreter=current.http_interpreter,
    )
    agent.load_model(model)
    return agent


class Reporter:
    """This worker's row of ``console_model_servers`` (bot/storage/model_servers.py):
    sent when something changes, and every HEARTBEAT_SECONDS from a task of its own, so a
    worker busy loading a model for minutes is not taken for a dead one."""

    def __init__(self, app, engine: sa.engine.Engine):
        self.app, self.engine = app, engine
        self.worker = model_servers.this_worker()
        self.started_at = self.loaded_at = time.time()
        self.problem: str | None = None
        self.sent: tuple | None = None
        self.one_at_a_time = asyncio.Lock()  # a heartbeat never overwrites a newer report

    async def send(self, heartbeat: bool = False) -> None:
        async with self.one_at_a_time:
            said = (self.app.ctx.agent.model_name, self.loaded_at, self.problem)
            if said == self.sent and not heartbeat:
                return
            try:
                await asyncio.get_running_loop().run_in_executor(
                    None,
                    functools.partial(
                        model_servers.report,
                        self.engine,
                        self.worker,
                        said[0],
                        started_at=self.started_at,
                        loaded_at=self.loaded_at,
                        problem=self.problem,
                    ),
                )
            except sa.exc.SQLAlchemyError as error:  # no table until the console first starts
                logger.debug("Could not report this worker's model: %s", error)
                return
            self.sent = said

    async def beat(self) -> None:
        while True:
            await self.send(heartbeat=True)
            await asyncio.sleep(model_servers.HEARTBEAT_SECONDS)

    def forget(self) -> None:
        try:
            model_servers.forget(self.engine, self.worker)
        except sa.exc.SQLAlchemyError as error:
            logger.debug("Could not remove this worker's row: %s", error)


async def follow_live_model(app, models_dir: Path = MODELS_DIR) -> None:
    engine = getattr(_innermost(app.ctx.agent.tracker_store), "engine", None)
    if engine is None:
        logger.info("No SQL tracker store: the live model is not followed")
        return
    reporter = app.ctx.live_model_reporter = Reporter(app, engine)
    heartbeat = asyncio.create_task(reporter.beat())
    try:
        while True:
            await asyncio.sleep(POLL_SECONDS)
            await _follow_once(app, reporter, engine, models_dir)
    finally:
        heartbeat.cancel()


async def _follow_once(app, reporter: Reporter, engine, models_dir: Path) -> None:
    """Load the live model if this worker has another, and report what it has."""
    loop = asyncio.get_running_loop()
    wanted = None
    try:
        wanted = await loop.run_in_executor(None, wanted_model, engine)
        current = app.ctx.agent
        path = models_dir / wanted if wanted else None
        if path is None or wanted == current.model_name:
            reporter.problem = None
        elif not path.is_file():
            if reporter.problem is None:  # said once, not every few seconds
                logger.error("The live model %s is not in %s", wanted, models_dir)
            reporter.problem = f"{wanted} is not in this worker's bot/models folder"
        else:
            logger.info("Loading the live model %s", wanted)
            app.ctx.agent = await loop.run_in_executor(None, load_beside, current, path)
            reporter.loaded_at, reporter.problem = time.time(), None
            logger.info("Now answering with %s", wanted)
        await reporter.send()
    except asyncio.CancelledError:
        raise
    except Exception as error:  # a bad model must not stop the worker answering
        logger.exception("Could not load the live model; still answering with the old one")
        reporter.problem = f"could not load {wanted}: {type(error).__name__}"
        await reporter.send()
        await asyncio.sleep(30)


class LiveModelInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "live_model"

    def blueprint(self, on_new_message) -> Blueprint:
        blueprint = Blueprint("live_model_follower", __name__)

        @blueprint.listener("after_server_start")
        async def start(app, _loop) -> None:
            app.ctx.live_model_task = asyncio.create_task(follow_live_model(app))

        @blueprint.listener("before_server_stop")
        async def stop(app, _loop) -> None:
            task = getattr(app.ctx, "live_model_task", None)
            if task:
                task.cancel()
            reporter = getattr(app.ctx, "live_model_reporter", None)
            if reporter is not None:
                await asyncio.get_running_loop().run_in_executor(None, reporter.forget)

        return blueprint
