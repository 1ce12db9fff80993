"""How long `rasa train` takes from scratch with a config, and its peak memory.

From scratch: an empty training cache of its own (RASA_CACHE_DIRECTORY), so
nothing from an earlier training is reused, and a copy of the config, because
Rasa writes its automatic choices into the config file it trains with.

The model it makes becomes the kept model (bot.ops.model) when there is none
yet, and the time is recorded beside it, so `make bench` trains each config once
(the stock baseline takes many minutes), not on every run; `--retrain` measures
again.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from bench.memory import PeakMemory
from bot.ops import PROJECT_ROOT
from bot.ops.services import BASE_ENV

TRAINING = "rasa train"


@dataclass(frozen=True)
class Training:
    config: str
    seconds: float
    peak_bytes: int
    measured: str  # ISO date


def time_training(config: Path, kept: Path, work_dir: Path) -> Training:
    """Train with `config` from scratch in `work_dir`; keep the model as `kept` if missing."""
    if work_dir.exists():
        shutil.rmtree(work_dir)
    work_dir.mkdir(parents=True)
    config_copy = work_dir / "config.yml"
    shutil.copy2(config, config_copy)
    env = {**os.environ, **BASE_ENV, "RASA_CACHE_DIRECTORY": str(work_dir / "cache")}
    args = [
        sys.executable, "-m", "rasa", "train",
        "--config", str(config_copy),
        "--domain", "domain.yml",
        "--data", "bot/data",
        "--out", str(work_dir),
        "--fixed-model-name", "timed",
    ]  # fmt: skip
    log = (work_dir / "train.log").open("wb")
    started = time.perf_counter()
    with (
        log,
        subprocess.Popen(
            args, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        ) as process,
        PeakMemory({TRAINING: [process.pid]}) as peak,
    ):
        code = process.wait()
    seconds = time.perf_counter() - started
    if code != 0:
        raise RuntimeError(f"{TRAINING} with {config} failed (exit {code}); see {log.name}")
    if not kept.exists():
        shutil.move(work_dir / "timed.tar.gz", kept)
    # Only the log stays: the cache and a second copy of a kept model are large.
    (work_dir / "timed.tar.gz").unlink(missing_ok=True)
    shutil.rmtree(work_dir / "cache")
    return Training(
        config=str(config.relative_to(PROJECT_ROOT)),
        seconds=seconds,
        peak_bytes=peak.bytes[TRAINING],
        measured=date.today().isoformat(),
    )


def recorded_training(
    config: Path, kept: Path, work_dir: Path, *, retrain: bool = False
) -> tuple[Training, bool]:
    """The training time of `kept`'s inputs: measured now, or as recorded when it was.

    Returns the timing and whether it was measured in this run.
    """
    record = work_dir / "timings" / f"{kept.name}.json"
    if record.exists() and not retrain:
        return Training(**json.loads(record.read_text(encoding="utf-8"))), False
    training = time_training(config, kept, work_dir / f"train-{kept.name}")
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps(asdict(training)), encoding="utf-8")
    return training, True
