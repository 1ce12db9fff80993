"""make profile: a worker profiled between two signals, its time split into a turn's parts."""

from __future__ import annotations

import os
import pstats
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.turn_profile import PARTS, arguments, split
from bot.ops import PROJECT_ROOT

# Stands in for a server: it works in a loop until stopped, calling a function named like
# one of Rasa's parts (bench.turn_profile.PARTS) from a file whose path ends like Rasa's.
FAKE_RASA = """
import time

def parse_message():
    end = time.perf_counter() + 0.002
    while time.perf_counter() < end:
        pass

while True:
    parse_message()
    time.sleep(0.001)
"""


def stats_with(total_tt: float, entries: dict) -> pstats.Stats:
    stats = pstats.Stats.__new__(pstats.Stats)
    stats.stats, stats.total_tt = entries, total_tt
    return stats


def entry(cumulative: float) -> tuple:
    return (1, 1, 0.0, cumulative, {})


def test_each_part_is_its_functions_cumulative_time_and_the_rest_is_what_remains():
    stats = stats_with(
        4.0,
        {
            ("/venv/rasa/core/processor.py", 702, "parse_message"): entry(1.0),
            ("/venv/rasa/core/tracker_store.py", 1264, "_retrieve"): entry(0.5),
            ("/work/bot/storage/tracker_store.py", 114, "save"): entry(0.25),
            ("/venv/other/processor.py", 1, "parse_message"): entry(9.0),  # not Rasa's file
        },
    )
    whole, parts = split(stats, messages=100)
    by_title = dict(parts)
    assert whole == pytest.approx(40.0)  # ms per message
    assert by_title[PARTS[0].title] == pytest.approx(10.0)
    assert by_title["Tracker store read (SQL, JSON, replaying events)"] == pytest.approx(5.0)
    assert by_title["Tracker store write (redact, SQL insert, commit)"] == pytest.approx(2.5)
    assert by_title["The rest: Sanic, REST channel, guard, processor"] == pytest.approx(22.5)


def test_nothing_to_measure_is_refused():
    for wrong in (["--messages", "0"], ["--warm-up", "0"]):
        with pytest.raises(SystemExit):
            arguments(wrong)


def handles_signals(pid: int, *signals: int, within: float = 30.0) -> None:
    """Wait until the process has installed its handlers (Linux: SigCgt in /proc), however
    long its imports take on a loaded machine: a signal sent before would kill it."""
    wanted = sum(1 << (number - 1) for number in signals)
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
        caught = int(next(line for line in lines if line.startswith("SigCgt:"))[7:], 16)
        if caught & wanted == wanted:
            return
        time.sleep(0.05)
    raise AssertionError(f"process {pid} did not install its signal handlers in {within} s")


def test_the_wrapper_profiles_only_between_the_two_signals(tmp_path: Path):
    package = tmp_path / "rasa" / "core"
    package.mkdir(parents=True)
    for init in (tmp_path / "rasa" / "__init__.py", package / "__init__.py"):
        init.write_text("")  # a regular package: found before the installed Rasa
    (package / "processor.py").write_text(FAKE_RASA)
    output = tmp_path / "out.prof"
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{PROJECT_ROOT}"}
    args = [sys.executable, "-m", "bench.signal_profiler", str(output), "rasa.core.processor"]
    server = subprocess.Popen(args, env=env, cwd=tmp_path)
    try:
        handles_signals(server.pid, signal.SIGUSR1, signal.SIGUSR2)
        time.sleep(0.5)
        assert not output.exists()  # nothing is written before it is asked for
        server.send_signal(signal.SIGUSR1)
        time.sleep(0.5)
        server.send_signal(signal.SIGUSR2)
        deadline = time.monotonic() + 10
        while not output.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        whole, parts = split(pstats.Stats(str(output)), messages=1)
    finally:
        server.kill()
        server.wait()
    # About half a second was profiled, most of it in parse_message, none before it.
    assert 300 < whole < 2000
    assert dict(parts)[PARTS[0].title] > 0.3 * whole
