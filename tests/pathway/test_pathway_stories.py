"""Rasa's own test stories for the pathway finder (tests/stories), against the trained model.

`rasa test core --fail-on-prediction-errors` (through bot.rasa_server, so with the
project's Rasa patches, as `make rasa` runs it) exits non-zero as soon as the
dialogue policies predict an action that a story does not expect.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bot.ops import PROJECT_ROOT

pytestmark = pytest.mark.model
STORIES = PROJECT_ROOT / "tests" / "stories"


def run_rasa_test_core(model, stories, out) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        "RASA_TELEMETRY_ENABLED": "false",
        # endpoints.yml reads these; no action is called when stories are tested.
        "ACTION_ENDPOINT_URL": "http://127.0.0.1:9/webhook",
        "TRACKER_DB": str(out / "tracker.db"),
    }
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.rasa_server",  # Rasa's command line with the patches the server runs with
            "test",
            "core",
            "--stories",
            str(stories),
            "--model",
            str(model),
            "--fail-on-prediction-errors",
            "--out",
            str(out),
        ],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_pathway_stories_pass(trained_model, tmp_path):
    result = run_rasa_test_core(trained_model, STORIES, tmp_path)
    output = result.stdout[-4000:] + result.stderr[-4000:]
    assert result.returncode == 0, output
    failed = tmp_path / "failed_test_stories.yml"
    assert not failed.exists() or "None of the test stories failed" in failed.read_text(), output
