"""The three things measured, each started as `make run` starts it (bot.ops.stack).

* embedded: our model, the embedded default profile (SQLite, one worker each);
* production: our model, the production profile (PostgreSQL, Redis, several workers);
* stock: the `rasa init` baseline model, served exactly like the embedded default.

The production profile gets a schema and a Redis key prefix of its own, dropped
afterwards, so a benchmark never touches a real conversation log.
"""

from __future__ import annotations

import shutil
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from bench.results import ACTIONS, RASA, SERVICES, WEB
from bot.ops.dependencies import ensure_dependencies
from bot.ops.profiles import EMBEDDED, PRODUCTION, Postgres
from bot.ops.services import Service
from bot.ops.stack import Stack, build_stack


@dataclass(frozen=True)
class Target:
    key: str
    title: str
    profile: str


TARGETS = {
    "embedded": Target("embedded", "our model, embedded default profile", EMBEDDED),
    "production": Target("production", "our model, production profile", PRODUCTION),
    "stock": Target(
        "stock", "stock `rasa init` pipeline and policies, served the same way", EMBEDDED
    ),
}


@dataclass
class Running:
    stack: Stack
    startup_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def rasa_urls(self) -> list[str]:
        return [rasa.url for rasa in self.stack.rasas]

    def describe(self) -> str:
        """How the target runs, e.g. "1 Rasa instance x 2 Sanic workers, ..."."""
        profile, instances = self.stack.profile, len(self.stack.rasas)
        store = (
            "PostgreSQL tracker store, Redis lock store"
            if profile.postgres
            else "SQLite tracker store"
        )
        return (
            f"{instances} Rasa instance{'s' * (instances > 1)} x {profile.rasa_workers} "
            f"Sanic worker{'s' * (profile.rasa_workers > 1)}, {profile.action_workers} "
            f"action server worker{'s' * (profile.action_workers > 1)}, {store}"
        )

    def by_kind(self) -> list[tuple[str, Service]]:
        """Each service with the name of its kind, in start order."""
        stack = self.stack
        return [(ACTIONS, stack.actions), *((RASA, rasa) for rasa in stack.rasas), (WEB, stack.web)]

    @property
    def process_groups(self) -> dict[str, list[int]]:
        """The root processes of each kind of service, for bench.memory."""
        groups: dict[str, list[int]] = {kind: [] for kind in SERVICES}
        for kind, service in self.by_kind():
            if service.process is not None:
                groups[kind].append(service.process.pid)
        return groups


def isolated_env(target: Target, state_dir: Path) -> dict[str, str]:
    """Settings that keep this run's data apart from everything else."""
    if target.profile == PRODUCTION:
        tag = f"bench{uuid.uuid4().hex[:8]}"
        return {"POSTGRES_SCHEMA": tag, "REDIS_KEY_PREFIX": tag}
    return {"TRACKER_DB": str(state_dir / "tracker.db")}


def drop_schema(postgres: Postgres) -> None:
    engine = sa.create_engine(postgres.url(), future=True)
    try:
        with engine.begin() as connection:
            name = connection.dialect.identifier_preparer.quote(postgres.schema)
            connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
    finally:
        engine.dispose()


@contextmanager
def running(
    target: Target,
    model: Path,
    state_dir: Path,
    *,
    rasa_instances: int = 1,
    timeout: float = 300,
    wrap_rasa: tuple[str, ...] = (),
) -> Iterator[Running]:
    """Start the target's services one by one, timing each from process start to healthy.

    `wrap_rasa`: a module (and its arguments) that runs the Rasa server, e.g. a profiler.
    """
    if state_dir.exists():
        shutil.rmtree(state_dir)
    state_dir.mkdir(parents=True)
    stack = build_stack(
        model,
        target.profile,
        state_dir,
        rasa_instances=rasa_instances,
        env=isolated_env(target, state_dir),
        free_ports=True,
    )
    if wrap_rasa:
        for rasa in stack.rasas:
            python, dash_m, *rest = rasa.args  # python -m bot.rasa_server run ...
            rasa.args = [python, dash_m, *wrap_rasa, *rest]
    started = Running(stack)
    try:
        ensure_dependencies(stack.profile, report=lambda text: print(text, file=sys.stderr))
        for kind, service in started.by_kind():
            began = time.perf_counter()
            service.start()
            service.wait_until_healthy(timeout=timeout)
            # Several Rasa instances start one after another: the slowest counts.
            seconds = time.perf_counter() - began
            started.startup_seconds[kind] = max(seconds, started.startup_seconds.get(kind, 0))
        yield started
    finally:
        stack.stop()
        postgres = stack.profile.postgres
        if postgres is not None and postgres.schema:
            drop_schema(postgres)
