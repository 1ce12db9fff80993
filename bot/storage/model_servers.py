"""Which model each Rasa worker answers with, as the workers themselves report it.

In the production profile Rasa runs several Sanic workers behind one port (RASA_WORKERS),
and in Kubernetes several pods of them: asking Rasa's ``/status`` reaches one of them at
random, so it cannot tell whether *every* worker has loaded a new model. Instead each
worker keeps a row of ``console_model_servers`` (bot/channels/live_model.py): when it
starts, after each model it loads or fails to load, and every HEARTBEAT_SECONDS between.
A row not refreshed for STALE_SECONDS is a worker that stopped (killed, its pod gone) and
no longer counts, so a dead worker never holds up publishing; rows a day old are deleted.
"""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from bot.storage import database as db

HEARTBEAT_SECONDS = 10
# Three missed heartbeats and a little slack: a busy worker is not taken for a dead one.
STALE_SECONDS = float(os.environ.get("MODEL_SERVER_STALE_SECONDS") or 45)
FORGET_SECONDS = 24 * 3600


def this_worker() -> str:
    """The worker's name in the table: its host (the pod's name in Kubernetes) and pid."""
    return f"{socket.gethostname()}:{os.getpid()}"[:255]


def report(
    engine: Engine,
    worker: str,
    model: str | None,
    *,
    started_at: float,
    loaded_at: float | None,
    problem: str | None = None,
) -> None:
    """Write this worker's row (each worker writes only its own, so no two race)."""
    now = time.time()
    values = {
        "model": model,
        "loaded_at": loaded_at,
        "updated_at": now,
        "problem": (problem or None) and problem[:255],
    }
    servers = db.model_servers
    with engine.begin() as connection:
        changed = connection.execute(
            servers.update().where(servers.c.worker == worker).values(**values)
        ).rowcount
        if not changed:
            connection.execute(
                servers.insert().values(worker=worker, started_at=started_at, **values)
            )
        connection.execute(servers.delete().where(servers.c.updated_at < now - FORGET_SECONDS))


def forget(engine: Engine, worker: str) -> None:
    """A worker stopping takes its row with it, so it is not waited for even briefly."""
    with engine.begin() as connection:
        connection.execute(db.model_servers.delete().where(db.model_servers.c.worker == worker))


@dataclass(frozen=True)
class Worker:
    worker: str
    model: str | None
    updated_at: float
    problem: str | None


@dataclass(frozen=True)
class Rollout:
    """How far a model has got: the live workers, and those answering with it."""

    model: str
    workers: tuple[Worker, ...]

    @property
    def serving(self) -> tuple[Worker, ...]:
        return tuple(w for w in self.workers if w.model == self.model)

    @property
    def behind(self) -> tuple[Worker, ...]:
        return tuple(w for w in self.workers if w.model != self.model)

    @property
    def complete(self) -> bool:
        """Every live worker answers with it (and there is at least one)."""
        return bool(self.workers) and not self.behind

    def summary(self) -> str:
        """ "1 of 2 workers answer with it", for the page and the job's progress."""
        total = len(self.workers)
        if not total:
            return f"no Rasa worker has reported in the last {STALE_SECONDS:.0f} seconds"
        noun = "worker answers" if total == 1 else "workers answer"
        return f"{len(self.serving)} of {total} {noun} with it"

    def still_behind(self) -> str:
        """What each worker without the model answers with, and why, in one sentence."""
        parts = []
        for worker in self.behind:
            says = f"{worker.worker} still answers with {worker.model or 'no model'}"
            parts.append(f"{says} ({worker.problem})" if worker.problem else says)
        return "; ".join(parts)


def live_workers(connection: Connection, now: float | None = None) -> tuple[Worker, ...]:
    now = time.time() if now is None else now
    servers = db.model_servers.c
    found = connection.execute(
        sa.select(servers.worker, servers.model, servers.updated_at, servers.problem)
        .where(servers.updated_at >= now - STALE_SECONDS)
        .order_by(servers.worker)
    )
    return tuple(Worker(*row) for row in found)


def rollout(connection: Connection, model: str, now: float | None = None) -> Rollout:
    return Rollout(model, live_workers(connection, now))
