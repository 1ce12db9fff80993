"""How each Rasa worker finds and loads the model the console made live
(bot/channels/live_model.py), on a real tracker store and console database. The swap
itself, with visitors talking, is in tests/console/test_improvement_loop_browser.py."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import FailSafeTrackerStore, TrackerStore
from rasa.core.utils import AvailableEndpoints
from rasa.shared.core.domain import Domain

from bot.channels.live_model import _copied, _innermost, wanted_model
from bot.ops import PROJECT_ROOT
from bot.storage import database as db


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
            connection.execute(db.models.insert().values(
                name=name, state=state, live_since=since, requested_by="t", requested_at=now,
            ))
    assert wanted_model(engine) == "careers-new.tar.gz"
    engine.dispose()
