"""The things measured: ours started as `make run` starts them (bot.ops.stack), stock
Rasa as `rasa run` serves it (bench/stock.py).

* embedded: our model, the embedded default profile (SQLite, one worker each);
* production: our model, the production profile (PostgreSQL, Redis, several workers);
* stock: Rasa 3.6.21 itself: `rasa run` with its REST channel and SQL tracker store on
  SQLite, the `rasa init` model on our data, our action server; one worker;
* stock-2w: the same with two workers and Rasa's Redis lock store, beside production.

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
from bench.stock import stock_services
from bot.ops.dependencies import ensure_dependencies
from bot.ops.profiles import EMBEDDED, PRODUCTION, Postgres, Redis
from bot.ops.services import Service
from bot.ops.stack import Stack, build_stack

STOCK = "stock"  # a target served by Rasa itself, not by one of our profiles


@dataclass(frozen=True)
class Target:
    key: str
    title: str
    profile: str  # EMBEDDED, PRODUCTION or STOCK
    workers: int = 1  # Rasa's Sanic workers (our profiles set their own)

    @property
    def stock(self) -> bool:
        return self.profile == STOCK


TARGETS = {
    "embedded": Target("embedded", "our model, embedded default profile", EMBEDDED),
    "production": Target("production", "our model, production profile", PRODUCTION),
    "stock": Target(
        "stock",
        "stock Rasa: `rasa run`, its REST channel and SQLite tracker store, the `rasa init` "
        "config on our data, our action server",
        STOCK,
    ),
    "stock-2w": Target(
        "stock-2w",
        "stock Rasa as above with two Sanic workers and its Redis lock store",
        STOCK,
        workers=2,
    ),
}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count > 1)}"


@dataclass
class Running:
    services: list[tuple[str, Service]]  # each with the name of its kind, in start order
    description: str
    startup_seconds: dict[str, float] = field(default_factory=dict)

    @classmethod
    def of_stack(cls, stack: Stack) -> Running:
        profile, instances = stack.profile, len(stack.rasas)
        store = (
            "PostgreSQL tracker store, Redis lock store"
            if profile.postgres
            else "SQLite tracker store"
        )
        workers = _plural(profile.rasa_workers, "Sanic worker")
        description = (
            f"{_plural(instances, 'Rasa instance')} x {workers}, "
            f"{_plural(profile.action_workers, 'action server worker')}, {store}"
        )
        services = [
            (ACTIONS, stack.actions),
            *((RASA, rasa) for rasa in stack.rasas),
            (WEB, stack.web),
        ]
        return cls(services, description)

    @property
    def rasa_urls(self) -> list[str]:
        return [service.url for kind, service in self.services if kind == RASA]

    def describe(self) -> str:
        """How the target runs, e.g. "1 Rasa instance x 2 Sanic workers, ..."."""
        return self.description

    def by_kind(self) -> list[tuple[str, Service]]:
        return list(self.services)

    @property
    def process_groups(self) -> dict[str, list[int]]:
        """The root processes of each kind of service, for bench.memory."""
        groups: dict[str, list[int]] = {kind: [] for kind in SERVICES}
        for kind, service in self.by_kind():
            if service.process is not None:
                groups[kind].append(service.process.pid)
        return groups


def _tag() -> str:
    return f"bench{uuid.uuid4().hex[:8]}"


def isolated_env(target: Target, state_dir: Path) -> dict[str, str]:
    """Settings that keep this run's data apart from everything else."""
    if target.profile == PRODUCTION:
        tag = _tag()
        return {"POSTGRES_SCHEMA": tag, "REDIS_KEY_PREFIX": tag}
    return {"TRACKER_DB": str(state_dir / "tracker.db")}


def stock_running(target: Target, model: Path, state_dir: Path) -> Running:
    """Stock Rasa's services, not yet started; its locks under a key prefix of their own."""
    actions, rasa = stock_services(model, state_dir, target.workers, Redis(key_prefix=_tag()))
    description = (
        f"1 Rasa instance x {_plural(target.workers, 'Sanic worker')}, "
        f"{_plural(target.workers, 'action server worker')}, SQLite tracker store"
        + (", Redis lock store" if target.workers > 1 else "")
    )
    return Running([(ACTIONS, actions), (RASA, rasa)], description)


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
    stack = None
    if target.stock:
        started = stock_running(target, model, state_dir)
    else:
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
        started = Running.of_stack(stack)
    try:
        if stack is not None:
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
        for _kind, service in reversed(started.by_kind()):
            service.stop()
        postgres = stack.profile.postgres if stack is not None else None
        if postgres is not None and postgres.schema:
            drop_schema(postgres)
