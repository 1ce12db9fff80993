"""Run `make run` (python -m bot.ops.run) once, for tests of how it refuses to start."""

from __future__ import annotations

import os
import subprocess
import sys

from bot.ops import PROJECT_ROOT
from bot.ops.services import free_port


def run_make_run(settings: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`settings` on top of this environment, every service on a free port."""
    env = {
        **os.environ,
        **{name: str(free_port()) for name in ("RASA_PORT", "ACTIONS_PORT", "WEB_PORT")},
        **settings,
    }
    return subprocess.run(
        [sys.executable, "-m", "bot.ops.run"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
