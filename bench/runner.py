"""One benchmark run: time training, then start each target in turn and load it.

Targets are started one after another on free ports, so nothing else measured
shares the machine with them.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from datetime import date

from bench.baseline import STOCK_CONFIG, ensure_stock_model, stock_model_path
from bench.conversations import Pools
from bench.load import Budget, LevelRun, run_level
from bench.long_conversation import run_long
from bench.machine import describe
from bench.memory import PeakMemory, tree_cpu_seconds, tree_pss, tree_rss
from bench.results import BenchResult, LevelResult, TargetResult
from bench.stats import summarise
from bench.systems import TARGETS, Running, running
from bench.training import Training, recorded_training
from bot.evaluation.heldout import load_questions
from bot.knowledge import load_knowledge
from bot.ops import PROJECT_ROOT
from bot.ops.dependencies import ensure_dependencies
from bot.ops.model import CONFIG_FILE, ensure_model, ensure_spacy_pipeline, model_path
from bot.ops.profiles import PRODUCTION, load_profile

WORK_DIR = PROJECT_ROOT / "var" / "bench" / "assistant"
REPORT_FILE = PROJECT_ROOT / "docs" / "benchmarks.md"
RESULTS_FILE = WORK_DIR / "results.json"
LEVELS = (1, 10, 50)
# Messages per level; the production profile must hold 50 visitors for 10,000.
MESSAGES = {1: 300, 10: 3000, 50: 3000}
PRODUCTION_MESSAGES = {50: 10_000}
WARM_UP_MESSAGES = 40


def message_count(args: argparse.Namespace, key: str, visitors: int) -> int:
    wanted = {**MESSAGES, **args.messages}
    if key == "production":
        wanted.update({**PRODUCTION_MESSAGES, **args.production_messages})
    return wanted.get(visitors, max(wanted.values()))


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def measure(
    target_key: str, live: Running, args: argparse.Namespace, pools, topics
) -> TargetResult:
    target = TARGETS[target_key]
    result = TargetResult(
        key=target.key,
        title=f"{target.title}: {live.describe()}",
        startup_seconds=dict(live.startup_seconds),
        idle_bytes=tree_rss(live.process_groups),
        idle_pss_bytes=tree_pss(live.process_groups),
    )
    warm = asyncio.run(
        run_level(live.rasa_urls, 2, Budget(messages=args.warm_up), pools, topics, seed=-1)
    )
    if warm.errors:
        say(f"  warm-up errors: {dict(warm.errors)}; e.g. {warm.examples}")
    if args.long_turns:
        result.long = asyncio.run(
            run_long(
                live.rasa_urls,
                pools,
                topics,
                turns=args.long_turns,
                visitors=args.long_visitors,
                pause=args.long_pause,
                seed=args.seed,
                timeout=args.timeout,
            )
        )
        long = result.long
        say(
            f"  {long.visitors} conversations of {long.turns} turns: median "
            f"{long.first_ms or 0:.0f} ms over the first {min(10, long.turns)} turns, "
            f"{long.last_ms or 0:.0f} ms over the last, {long.errors} errors"
        )
    for visitors in args.levels:
        budget = Budget(messages=message_count(args, target.key, visitors), seconds=args.seconds)
        cpu_before = tree_cpu_seconds(live.process_groups)
        with PeakMemory(live.process_groups) as peak:
            run: LevelRun = asyncio.run(
                run_level(
                    live.rasa_urls,
                    visitors,
                    budget,
                    pools,
                    topics,
                    seed=args.seed,
                    timeout=args.timeout,
                )
            )
        cpu = tree_cpu_seconds(live.process_groups)
        summary = summarise(run.latencies, run.sent, sum(run.errors.values()), run.seconds)
        result.levels.append(
            LevelResult(
                visitors,
                summary,
                errors=dict(run.errors),
                peak_bytes=dict(peak.bytes),
                pss_bytes=tree_pss(live.process_groups),
                cpu_seconds={name: cpu[name] - cpu_before[name] for name in cpu},
            )
        )
        say(
            f"  {visitors} visitors: {summary.messages} messages in {run.seconds:.0f} s, "
            f"{summary.errors} errors, p95 {summary.p95_ms or 0:.0f} ms, "
            f"{summary.per_second:.1f}/s"
        )
        for example in run.examples:
            say(f"    e.g. {example}")
    return result


def time_trainings(args: argparse.Namespace, ours: bool, stock: bool) -> list[Training]:
    timings = []
    ensure_spacy_pipeline()  # our config needs it; building it is not training
    configs = [(CONFIG_FILE, model_path(), ours), (STOCK_CONFIG, stock_model_path(), stock)]
    for config, kept, wanted in configs:
        if wanted:
            say(f"Training time with {config.relative_to(PROJECT_ROOT)} from scratch ...")
            training, now = recorded_training(config, kept, WORK_DIR, retrain=args.retrain)
            say(
                f"  {training.seconds:.0f} s"
                + ("" if now else f", as measured on {training.measured}")
            )
            timings.append(training)
    return timings


def run(args: argparse.Namespace, command: str) -> BenchResult:
    """Measure; the results so far are saved after each target (RESULTS_FILE)."""
    result = BenchResult(date=date.today().isoformat(), command=command, machine=describe())
    ours = bool({"embedded", "production"} & set(args.targets))
    stock = any(TARGETS[key].stock for key in args.targets)
    if "production" in args.targets:
        # Before any training, which can take half an hour: are PostgreSQL and Redis there?
        ensure_dependencies(load_profile(WORK_DIR, {**os.environ, "PROFILE": PRODUCTION}))
    if not args.no_training:
        result.training = time_trainings(args, ours, stock)
        result.save(RESULTS_FILE)
    models = {}
    if ours:
        models["embedded"] = models["production"] = ensure_model()
    if stock:
        models.update({key: ensure_stock_model() for key in TARGETS if TARGETS[key].stock})
    pools = Pools.from_questions(load_questions())
    topics = frozenset(load_knowledge().entries)
    for key in args.targets:
        say(f"{TARGETS[key].title}:")
        instances = args.rasa_instances if key == "production" else 1
        with running(TARGETS[key], models[key], WORK_DIR / key, rasa_instances=instances) as live:
            result.targets.append(measure(key, live, args, pools, topics))
        result.save(RESULTS_FILE)
    return result
