"""The stock targets are Rasa itself: its entry point, its channel and stores, none of ours.

The files and command are checked as written for a run, and the command's isolation by
running Python the same way: from the project folder, the project cannot be imported.
Serving a message: tests/bench/test_stock_serving.py (it needs the stock model).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bench.stock import STOCK_CREDENTIALS, stock_services
from bench.systems import TARGETS, stock_running
from bot.ops import PROJECT_ROOT
from bot.ops.profiles import Redis
from bot.ops.services import BASE_ENV, Service

MODEL = Path("/models/stock-0123.tar.gz")


def written(tmp_path: Path, workers: int):
    actions, rasa = stock_services(MODEL, tmp_path, workers, Redis(key_prefix="benchtest"))
    endpoints = yaml.safe_load((tmp_path / "endpoints.yml").read_text())
    credentials = yaml.safe_load((tmp_path / "credentials.yml").read_text())
    return actions, rasa, endpoints, credentials


@pytest.mark.parametrize("workers", [1, 2])
def test_rasa_runs_from_its_own_entry_point_without_our_patches(tmp_path, workers) -> None:
    _actions, rasa, _endpoints, _credentials = written(tmp_path, workers)
    assert rasa.args[:5] == [sys.executable, "-I", "-m", "rasa", "run"]
    assert not any("bot" in arg.split("/")[0] or "rasa_server" in arg for arg in rasa.args)
    assert rasa.args[rasa.args.index("--model") + 1] == str(MODEL)
    assert rasa.env["SANIC_WORKERS"] == str(workers)
    assert rasa.env["PYTHONPATH"] == ""


@pytest.mark.parametrize("workers", [1, 2])
def test_only_rasas_channel_and_stores_are_configured(tmp_path, workers) -> None:
    _actions, rasa, endpoints, credentials = written(tmp_path, workers)
    assert credentials == STOCK_CREDENTIALS == {"rest": None}  # Rasa's RestInput
    assert endpoints["tracker_store"] == {
        "type": "SQL",
        "dialect": "sqlite",
        "db": str(tmp_path / "stock-tracker.db"),
    }
    text = (tmp_path / "endpoints.yml").read_text() + (tmp_path / "credentials.yml").read_text()
    assert "bot." not in text and "Redacting" not in text
    if workers == 1:
        assert "lock_store" not in endpoints  # Rasa's in-memory lock store
    else:
        assert endpoints["lock_store"]["type"] == "redis"
        assert endpoints["lock_store"]["key_prefix"] == "benchtest"


def test_the_same_action_server_as_ours(tmp_path) -> None:
    actions, rasa, endpoints, _credentials = written(tmp_path, 2)
    assert actions.args[-5:] == [
        "rasa_sdk",
        "--actions",
        "bot.actions",
        "--port",
        str(actions.port),
    ]
    assert endpoints["action_endpoint"]["url"] == f"{actions.url}/webhook"
    assert actions.env["ACTION_SERVER_SANIC_WORKERS"] == "2"


def test_the_stock_command_cannot_import_the_project() -> None:
    """Python as the stock server is started: isolated, from the project folder."""
    probe = subprocess.run(  # noqa: S603
        [sys.executable, "-I", "-c", "import bot.rasa_patches"],
        cwd=PROJECT_ROOT,
        env={**BASE_ENV, "PYTHONPATH": ""},
        capture_output=True,
        text=True,
    )
    assert probe.returncode != 0 and "No module named 'bot'" in probe.stderr
    # ... while the same interpreter without -I would import it (so the check can fail).
    unisolated = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import bot.rasa_patches"],
        cwd=PROJECT_ROOT,
        env={**BASE_ENV},
        capture_output=True,
    )
    assert unisolated.returncode == 0


def test_each_stock_target_is_compared_with_ours_at_equal_workers(tmp_path) -> None:
    assert (TARGETS["stock"].workers, TARGETS["stock-2w"].workers) == (1, 2)
    assert TARGETS["stock"].stock and TARGETS["stock-2w"].stock
    assert not TARGETS["embedded"].stock and not TARGETS["production"].stock
    running = stock_running(TARGETS["stock-2w"], MODEL, tmp_path)
    assert running.describe().startswith("1 Rasa instance x 2 Sanic workers")
    assert "Redis lock store" in running.describe()
    assert [kind for kind, _service in running.by_kind()] == ["Action server", "Rasa"]


def test_stock_rasa_is_healthy_only_once_its_model_is_loaded(tmp_path, monkeypatch) -> None:
    """`rasa run` answers on its channel before the model is loaded; start-up is timed to
    the log line Rasa writes once it is (rasa/core/run.py)."""
    _actions, rasa = written(tmp_path, 1)[:2]
    monkeypatch.setattr(Service, "healthy", lambda _self: True)  # the channel answers
    assert not rasa.healthy()  # no log yet
    rasa.log_path.write_text("INFO rasa.core.processor - Loading model ...\n")
    assert not rasa.healthy()
    rasa.log_path.write_text("INFO rasa.core.run - Rasa server is up and running.\n")
    assert rasa.healthy()
