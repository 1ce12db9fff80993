"""`make profile`: where a message's time goes inside the Rasa server.

Starts a profile's services as `make run` does, with one Rasa worker running
under cProfile (bench.signal_profiler), warms it up, then profiles the messages of
simulated conversations from one visitor (bench.conversations) and splits the
worker's time per message into the parts of a turn: NLU, the dialogue policies,
the call to the action server, Rasa's tracker copies, the tracker store's reads
and writes, the lock store, and the rest (Sanic, the REST channel, our guard).
Writes docs/profile.md.

    make profile                                    # production profile, 400 messages
    make profile PROFILE_ARGS="--profile embedded --messages 200"

One visitor at a time, so each message's time is its own; the time is wall-clock
time inside the worker's event loop, which includes the database round trips the
synchronous SQL tracker store blocks the loop for.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pstats
import signal
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bench.conversations import Pools
from bench.load import Budget, run_level
from bench.machine import describe
from bench.memory import tree_cpu_seconds
from bench.results import RASA
from bench.systems import TARGETS, running
from bot.evaluation.heldout import load_questions
from bot.knowledge import load_knowledge
from bot.ops import PROJECT_ROOT
from bot.ops.model import ensure_model
from bot.ops.profiles import PRODUCTION, PROFILES

WORK_DIR = PROJECT_ROOT / "var" / "bench" / "profile"
REPORT_FILE = PROJECT_ROOT / "docs" / "profile.md"


@dataclass(frozen=True)
class Part:
    """A part of a turn: the cumulative time of the functions called `function` in a file
    whose path ends with `file`."""

    title: str
    file: str
    function: str


# Rasa 3.6.21's functions for each part. They do not call each other, so their times add up.
PARTS = (
    Part("NLU: spaCy, featurizers, DIET, fallback", "rasa/core/processor.py", "parse_message"),
    Part(
        "Dialogue policy: conversation states, rule lookup",
        "rasa/core/processor.py",
        "_predict_next_with_tracker",
    ),
    Part(
        "Running actions: action server call (tracker to JSON, HTTP), responses",
        "rasa/core/actions/action.py",
        "run",
    ),
    Part("Tracker copies before each action", "rasa/shared/core/trackers.py", "copy"),
    Part(
        "Tracker store read (SQL, JSON, replaying events)",
        "rasa/core/tracker_store.py",
        "_retrieve",
    ),
    Part(
        "Tracker store write (redact, SQL insert, commit)",
        "bot/storage/tracker_store.py",
        "save",
    ),
    Part("Lock store", "rasa/core/lock_store.py", "lock"),
)


def cumulative_seconds(stats: pstats.Stats, file_suffix: str, name: str) -> float:
    """Cumulative time of every function called `name` in a file ending with `file_suffix`."""
    return sum(
        entry[3]
        for (filename, _line, function), entry in stats.stats.items()  # type: ignore[attr-defined]
        if function == name and filename.endswith(file_suffix)
    )


def split(stats: pstats.Stats, messages: int) -> tuple[float, list[tuple[str, float]]]:
    """Milliseconds per message: the whole request, and each part (with "the rest")."""
    # Everything the worker ran while profiled; time idle in the event loop is in no function.
    whole = stats.total_tt * 1000 / messages  # type: ignore[attr-defined]
    parts = [
        (part.title, cumulative_seconds(stats, part.file, part.function) * 1000 / messages)
        for part in PARTS
    ]
    parts.append(
        ("The rest: Sanic, REST channel, guard, processor", whole - sum(ms for _, ms in parts))
    )
    return whole, parts


def markdown(
    profile: str,
    messages: int,
    whole: float,
    parts: list[tuple[str, float]],
    cpu_ms: dict,
    command: str,
) -> str:
    machine = describe()
    lines = [
        "# Where a message's time goes",
        "",
        f"Measured on {date.today().isoformat()} with `{command}` on {machine.cpu}, "
        f"{machine.cores} cores, Python {machine.python}, Rasa {machine.rasa}: the {profile} "
        f"profile with one Rasa worker under cProfile, {messages} messages of simulated "
        "conversations (bench/conversations.py) from one visitor after a warm-up. "
        "cProfile slows Python down (compare the CPU time per message below with "
        "docs/benchmarks.md), so read the parts as shares, not as latencies. "
        "What was changed because of this profile: docs/performance.md.",
        "",
        "| part of a turn | ms per message | share |",
        "| --- | --- | --- |",
    ]
    for title, ms in parts:
        lines.append(f"| {title} | {ms:.1f} | {ms / whole:.0%} |")
    lines += [
        f"| **whole request** | **{whole:.1f}** | 100% |",
        "",
        "CPU time per message of each service (profiled):",
        "",
    ]
    lines += ["| service | CPU ms per message |", "| --- | --- |"]
    lines += [f"| {name} | {ms:.1f} |" for name, ms in cpu_ms.items()]
    lines += ["", "Reproduce: `make profile` (`PROFILE_ARGS=--help` for the options).", ""]
    return "\n".join(lines)


def arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.turn_profile", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--profile", choices=PROFILES, default=PRODUCTION)
    parser.add_argument("--messages", type=int, default=400)
    parser.add_argument("--warm-up", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", type=Path, default=REPORT_FILE)
    args = parser.parse_args(argv)
    if args.messages < 1 or args.warm_up < 1:
        parser.error("--messages and --warm-up must be at least 1")
    return args


def profile_run(args: argparse.Namespace) -> tuple[pstats.Stats, int, dict[str, float]]:
    """The Rasa worker's statistics, the messages they cover, and each service's CPU ms each."""
    target = TARGETS["production" if args.profile == PRODUCTION else "embedded"]
    pools = Pools.from_questions(load_questions())
    topics = frozenset(load_knowledge().entries)
    stats_file = WORK_DIR / "rasa.prof"
    stats_file.unlink(missing_ok=True)
    os.environ["RASA_WORKERS"] = "1"  # one worker: it is the process the profiler sees
    with running(
        target,
        ensure_model(),
        WORK_DIR / "state",
        wrap_rasa=("bench.signal_profiler", str(stats_file)),
    ) as live:
        [rasa] = [service for kind, service in live.by_kind() if kind == RASA]
        asyncio.run(
            run_level(live.rasa_urls, 1, Budget(messages=args.warm_up), pools, topics, seed=-1)
        )
        before = tree_cpu_seconds(live.process_groups)
        os.kill(rasa.process.pid, signal.SIGUSR1)
        run = asyncio.run(
            run_level(
                live.rasa_urls, 1, Budget(messages=args.messages), pools, topics, seed=args.seed
            )
        )
        os.kill(rasa.process.pid, signal.SIGUSR2)
        after = tree_cpu_seconds(live.process_groups)
        deadline = time.monotonic() + 60
        while not stats_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
    if run.errors:
        raise SystemExit(f"{sum(run.errors.values())} errors while profiling: {run.examples}")
    cpu_ms = {name: (after[name] - before[name]) * 1000 / run.sent for name in after}
    return pstats.Stats(str(stats_file)), run.sent, cpu_ms


def main(argv: list[str]) -> None:
    args = arguments(argv)
    stats, messages, cpu_ms = profile_run(args)
    whole, parts = split(stats, messages)
    command = "make profile" + (f' PROFILE_ARGS="{" ".join(argv)}"' if argv else "")
    report = markdown(args.profile, messages, whole, parts, cpu_ms, command)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main(sys.argv[1:])
