"""A copy of this checkout started with `make run`'s own code (python -m bot.ops.run), for
tests that change its content files, train and publish: the repository is never touched.
The model comes from CPS_MODEL_CACHE when its inputs are those of the repository."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from bot.ops import PROJECT_ROOT
from bot.ops.services import free_port


def copy_checkout(target: Path) -> Path:
    """The files git knows of (and new ones it does not ignore), the built spaCy pipeline
    and models, and a link to node_modules."""
    listed = subprocess.run(
        [shutil.which("git") or "git", "ls-files", "-z", "--cached", "--others",
         "--exclude-standard"],
        cwd=PROJECT_ROOT, capture_output=True, check=True,
    ).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = PROJECT_ROOT / name
        if source.is_file() and not source.is_symlink():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    models = PROJECT_ROOT / "bot" / "models"
    shutil.copytree(models / "spacy-careers", target / "bot/models/spacy-careers")
    for model in models.glob("careers-*.tar.gz"):
        shutil.copy2(model, target / "bot/models" / model.name)
    (target / "node_modules").symlink_to((PROJECT_ROOT / "node_modules").resolve())
    return target


@dataclass
class Checkout:
    root: Path
    process: subprocess.Popen
    web_url: str
    rasa_url: str
    log: Path

    @property
    def tracker_db(self) -> Path:
        return self.root / "var" / "tracker.db"


@contextmanager
def running_checkout(target: Path, env: dict[str, str] | None = None) -> Iterator[Checkout]:
    root = copy_checkout(target)
    ports = {name: str(free_port()) for name in ("RASA_PORT", "ACTIONS_PORT", "WEB_PORT")}
    log = target / "make-run.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.ops.run"],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root), "PROFILE": "embedded", **ports,
             **(env or {})},
        stdout=open(log, "wb"),  # noqa: SIM115 (closed with the process)
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    checkout = Checkout(
        root, process, f"http://127.0.0.1:{ports['WEB_PORT']}",
        f"http://127.0.0.1:{ports['RASA_PORT']}", log,
    )
    try:
        deadline = time.monotonic() + 1200  # training, if the model is not cached, and start
        while "The CPS careers assistant is running" not in log.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("make run did not start:\n" + log.read_text()[-3000:])
            time.sleep(2)
        yield checkout
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def rasa_status(checkout: Checkout, token: str) -> dict:
    return requests.get(f"{checkout.rasa_url}/status", params={"token": token}, timeout=30).json()


def model_name(status: dict) -> str:
    return re.sub(r".*/", "", status.get("model_file") or "")
