"""How each Rasa worker finds and loads the model the console made live
(bot/channels/live_model.py) and reports which one it answers with
(bot/storage/model_servers.py), on a real tracker store and console database. The swap
itself, with visitors talking, is in tests/console/test_improvement_loop_browser.py; with
two workers, in test_improvement_loop_production_browser.py."""

from __future__ import annotations

import asyncio
import threading
import time
import types
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import FailSafeTrackerStore, TrackerStore
from rasa.core.utils import AvailableEndpoints
from rasa.shared.core.domain import Domain

from bot.channels import live_model
from bot.channels.live_model import _copied, _innermost, wanted_model
from bot.ops import PROJECT_ROOT
from bot.storage import database as db
from bot.storage import model_servers


@pytest.fixture
def tracker_db(tmp_path: Path, monkeypatch) -> Path:
    path = tmp_path / "tracker.db"
    monkeypatch.setenv("TRACKER_DB", str(path))
    monkeypatch.setenv("ACTION_ENDPOINT_URL", "http://127.0.0.1:1/webhook")
    return path


def test_the_new_agents_tracker_store_has_its_own_domain_and_the_same_database(tracker_db):
    endpoints = AvailableEndpoints.read_endpoints(str(PROJECT_ROOT / "endpoints.yml"))
    store = FailSafeTrackerStore(TrackerStore.create(endpoints.tracker_store))
    serving = store._tracker_store
    serving.domain = Domain.from_dict({"intents": ["salary"]})
    loading = _copied(serving)
    loading.domain = Domain.from_dict({"intents": ["salary", "pension"]})
    assert "pension" not in _innermost(serving).domain.intents  # untouched while it answers
    assert "pension" in _innermost(loading).domain.intents
    assert _innermost(loading).engine is _innermost(serving).engine


def test_the_live_model_is_the_newest_made_live_and_none_without_the_console(tracker_db):
    engine = sa.create_engine(f"sqlite:///{tracker_db}")
    assert wanted_model(engine) is None  # no console tables yet: keep the model it has
    engine = db.make_engine(f"sqlite:///{tracker_db}")
    assert wanted_model(engine) is None
    now = time.time()
    with engine.begin() as connection:
        for name, state, since in [
            ("careers-old.tar.gz", "retired", now - 60),
            ("careers-new.tar.gz", "live", now),
            ("careers-refused.tar.gz", "refused", None),
        ]:
            connection.execute(
                db.models.insert().values(
                    name=name,
                    state=state,
                    live_since=since,
                    requested_by="t",
                    requested_at=now,
                )
            )
    assert wanted_model(engine) == "careers-new.tar.gz"
    engine.dispose()


def test_each_worker_reports_its_model_and_a_silent_one_stops_counting(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'console.db'}")
    now = time.time()
    for worker, model in [("pod-a:11", "careers-new.tar.gz"), ("pod-a:12", "careers-old.tar.gz")]:
        model_servers.report(engine, worker, model, started_at=now, loaded_at=now)
    with engine.connect() as connection:
        went = model_servers.rollout(connection, "careers-new.tar.gz")
    assert not went.complete
    assert went.summary() == "1 of 2 workers answer with it"
    assert went.still_behind() == "pod-a:12 still answers with careers-old.tar.gz"

    # The worker behind reports again: it cannot find the file. The page says why.
    model_servers.report(
        engine,
        "pod-a:12",
        "careers-old.tar.gz",
        started_at=now,
        loaded_at=now,
        problem="careers-new.tar.gz is not in bot/models",
    )
    with engine.connect() as connection:
        behind = model_servers.rollout(connection, "careers-new.tar.gz").still_behind()
    assert behind.endswith("(careers-new.tar.gz is not in bot/models)")

    # It dies without a word: once it has been silent too long, it is not waited for.
    silent = time.time() - model_servers.STALE_SECONDS - 1
    with engine.begin() as connection:
        connection.execute(
            db.model_servers.update()
            .where(db.model_servers.c.worker == "pod-a:12")
            .values(updated_at=silent)
        )
    with engine.connect() as connection:
        went = model_servers.rollout(connection, "careers-new.tar.gz")
    assert [w.worker for w in went.workers] == ["pod-a:11"] and went.complete

    # A worker that stops properly takes its row with it; a day-old row goes at any report.
    model_servers.forget(engine, "pod-a:11")
    with engine.begin() as connection:
        connection.execute(db.model_servers.update().values(updated_at=now - 2 * 86400))
    model_servers.report(engine, "pod-b:7", "careers-new.tar.gz", started_at=now, loaded_at=now)
    with engine.connect() as connection:
        rows = connection.execute(sa.select(db.model_servers.c.worker)).scalars().all()
        assert rows == ["pod-b:7"]
        assert not model_servers.rollout(connection, "careers-x.tar.gz", now=now + 86400).workers
    assert model_servers.Rollout("careers-x.tar.gz", ()).summary().startswith("no Rasa worker")
    assert not model_servers.Rollout("careers-x.tar.gz", ()).complete  # nobody: not live
    engine.dispose()


class _Agent:
    """As much of Rasa's Agent as the follower reads: its model and its tracker store."""

    def __init__(self, model_name: str, engine):
        self.model_name = model_name
        self.tracker_store = types.SimpleNamespace(engine=engine)


async def test_a_worker_loading_a_model_still_reports_then_reports_the_new_one(
    tmp_path, monkeypatch
):
    """A load takes a minute on a busy machine: the heartbeat goes on meanwhile, or the
    worker would drop out of the count and the model be called live without it."""
    engine = db.make_engine(f"sqlite:///{tmp_path / 'console.db'}")
    with engine.begin() as connection:
        connection.execute(
            db.models.insert().values(
                name="careers-new.tar.gz",
                state="live",
                live_since=time.time(),
                requested_by="t",
                requested_at=time.time(),
            )
        )
    (tmp_path / "careers-new.tar.gz").write_bytes(b"")
    monkeypatch.setattr(live_model, "POLL_SECONDS", 0.05)
    monkeypatch.setattr(model_servers, "HEARTBEAT_SECONDS", 0.1)
    loading, loaded = threading.Event(), threading.Event()

    def slow_load(current, path):
        loading.set()
        loaded.wait(timeout=30)
        return _Agent(path.name, engine)

    monkeypatch.setattr(live_model, "load_beside", slow_load)
    app = types.SimpleNamespace(
        ctx=types.SimpleNamespace(agent=_Agent("careers-old.tar.gz", engine))
    )
    follower = asyncio.create_task(live_model.follow_live_model(app, tmp_path))

    def row():
        with engine.connect() as connection:
            return connection.execute(sa.select(db.model_servers)).one()

    try:
        await asyncio.wait_for(asyncio.get_running_loop().run_in_executor(None, loading.wait), 30)
        first = row()
        await asyncio.sleep(0.5)
        during = row()
        assert during.model == "careers-old.tar.gz"  # still answering with the old one
        assert during.updated_at > first.updated_at  # and heard from all the while
        loaded.set()
        for _ in range(100):
            if row().model == "careers-new.tar.gz":
                break
            await asyncio.sleep(0.05)
        assert row().model == "careers-new.tar.gz" and row().loaded_at > first.loaded_at
    finally:
        loaded.set()
        follower.cancel()
    engine.dispose()
