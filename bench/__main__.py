"""`make bench`: load benchmark of the assistant against a stock Rasa baseline.

    make bench              # all targets and levels; writes docs/benchmarks.md and .png
    make bench BENCH_ARGS="--targets embedded --levels 1,10 --messages 1=50,10=200
        --no-training --output var/bench/assistant/try.md"        # a quick look
    make bench BENCH_ARGS="--from-results var/bench/assistant/results.json"  # redraw
    make bench BENCH_ARGS="--targets production,stock-2w --levels 10 --long-turns 100"

Targets: ours (embedded, production) and stock Rasa at one and two workers (stock,
stock-2w: bench/stock.py). Each target also holds a few conversations of --long-turns
turns and reports the latency by turn number (bench/long_conversation.py).

The stock baseline is trained once and kept; so is the time each training took
(`--retrain` measures it again).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from subprocess import CalledProcessError

from bench.long_conversation import PAUSE_SECONDS as LONG_PAUSE
from bench.long_conversation import TURNS as LONG_TURNS
from bench.long_conversation import VISITORS as LONG_VISITORS
from bench.plot import plot, plot_turns
from bench.report import markdown, terminal
from bench.results import BenchResult
from bench.runner import (
    LEVELS,
    MESSAGES,
    PRODUCTION_MESSAGES,
    REPORT_FILE,
    RESULTS_FILE,
    WARM_UP_MESSAGES,
    run,
    say,
)
from bench.systems import TARGETS
from bot.ops.profiles import ProfileError


def counts(text: str) -> dict[int, int]:
    """'1=300,10=3000' -> {1: 300, 10: 3000}."""
    try:
        pairs = [item.split("=") for item in text.split(",") if item.strip()]
        parsed = {int(level): int(count) for level, count in pairs}
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not like 1=300,10=3000") from None
    if any(level < 1 or count < 1 for level, count in parsed.items()):
        raise argparse.ArgumentTypeError("visitors and messages must be at least 1")
    return parsed


def levels(text: str) -> list[int]:
    try:
        parsed = [int(item) for item in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not like 1,10,50") from None
    if any(level < 1 for level in parsed):
        raise argparse.ArgumentTypeError("at least one visitor")
    return parsed


def targets(text: str) -> list[str]:
    chosen = [item.strip() for item in text.split(",")]
    unknown = [key for key in chosen if key not in TARGETS]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown target {', '.join(unknown)}; choose from {', '.join(TARGETS)}"
        )
    return chosen


def positive(kind: type):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if value <= 0:
            raise argparse.ArgumentTypeError(f"{text!r} must be more than 0")
        return value

    return parse


def arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--targets", type=targets, default=list(TARGETS), help=f"from {','.join(TARGETS)}"
    )
    parser.add_argument("--levels", type=levels, default=list(LEVELS), help="concurrent visitors")
    parser.add_argument(
        "--messages", type=counts, default={}, help=f"messages per level (default {MESSAGES})"
    )
    parser.add_argument(
        "--production-messages",
        type=counts,
        default={},
        help=f"production profile's own counts (default {PRODUCTION_MESSAGES})",
    )
    parser.add_argument(
        "--seconds", type=positive(float), help="also stop each level after this long"
    )
    parser.add_argument(
        "--warm-up", type=positive(int), default=WARM_UP_MESSAGES, help="messages, unmeasured"
    )
    parser.add_argument(
        "--timeout", type=positive(float), default=30, help="seconds a reply may take"
    )
    parser.add_argument(
        "--rasa-instances", type=positive(int), default=1, help="production profile only"
    )
    parser.add_argument(
        "--long-turns",
        type=int,
        default=LONG_TURNS,
        help=f"turns of each long conversation (default {LONG_TURNS}; 0: none)",
    )
    parser.add_argument(
        "--long-visitors", type=positive(int), default=LONG_VISITORS, help="long conversations"
    )
    parser.add_argument(
        "--long-pause",
        type=float,
        default=LONG_PAUSE,
        help=f"seconds between the turns of a long conversation (default {LONG_PAUSE})",
    )
    parser.add_argument("--seed", type=int, default=1, help="seeds the conversations")
    parser.add_argument("--no-training", action="store_true", help="skip timing training")
    parser.add_argument(
        "--retrain", action="store_true", help="time training again, not as recorded"
    )
    parser.add_argument("--output", type=Path, default=REPORT_FILE, help="the Markdown report")
    parser.add_argument(
        "--from-results", type=Path, help="only draw the report from a results file"
    )
    args = parser.parse_args(argv)
    if args.long_turns < 0 or args.long_pause < 0:
        parser.error("--long-turns and --long-pause cannot be negative")
    return args


def write_report(result: BenchResult, output: Path) -> None:
    picture = output.with_suffix(".png")
    by_turn = output.with_name(f"{output.stem}-turns.png")
    output.parent.mkdir(parents=True, exist_ok=True)
    plot(result, picture)
    turns_plotted = plot_turns(result, by_turn)
    output.write_text(
        markdown(result, picture.name, by_turn.name if turns_plotted else None), encoding="utf-8"
    )
    say(f"Report: {output} (plots {picture}" + (f", {by_turn})" if turns_plotted else ")"))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = arguments(argv)
    if args.from_results:
        result = BenchResult.load(args.from_results)
    else:
        try:
            result = run(args, " ".join(["python -m bench", *argv]) if argv else "make bench")
        except (RuntimeError, ProfileError, CalledProcessError) as error:
            # A service that would not start, a failed training: say which, not a trace.
            say(f"The benchmark stopped: {error}")
            say(f"What it measured before is in {RESULTS_FILE} (--from-results draws it).")
            return 1
    print(terminal(result))
    write_report(result, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
