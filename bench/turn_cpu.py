"""Rasa's CPU time per turn along one long conversation, in one process.

    python -m bench.turn_cpu                 # 100 turns; prints turns 1-10 against 91-100
    python -m bench.turn_cpu --turns 50 --profile var/bench/turns.prof

Loads our model into a Rasa agent with the project's patches and tracker store (SQLite,
in var/bench/turn_cpu/), starts the action server as `make run` does, and sends one
conversation's turns one after another, timing each `Agent.handle_message` by the
process's CPU clock, which a busy machine disturbs far less than latency. The questions
are the same few, in turn, so that only the conversation's length changes.
`--profile FILE` also writes cProfile statistics of turns 1-10 and of the last ten.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import logging
import shutil
import statistics
import time
import uuid
from pathlib import Path

from bot.ops import PROJECT_ROOT
from bot.ops.model import ensure_model
from bot.ops.services import action_server, free_port

WORK_DIR = PROJECT_ROOT / "var" / "bench" / "turn_cpu"
QUESTIONS = (
    "what does a crown prosecutor earn?",
    "how do I apply for it?",
    "tell me more",
    "what is the legal trainee scheme?",
    "what does it pay?",
    "what benefits do you offer?",
    "can I work part time?",
    "what staff networks are there?",
    "thanks",
    "what about London?",
)
EDGE = 10


async def cpu_per_turn(model: Path, actions_url: str, turns: int, profile: Path | None):
    from rasa.core.agent import Agent
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from rasa.utils.endpoints import EndpointConfig

    from bot.storage.tracker_store import RedactingSQLTrackerStore

    agent = Agent.load(str(model), action_endpoint=EndpointConfig(f"{actions_url}/webhook"))
    store = RedactingSQLTrackerStore(
        dialect="sqlite", db=str(WORK_DIR / "tracker.db"), domain=agent.domain
    )
    agent.tracker_store = agent.processor.tracker_store = store
    for text in QUESTIONS[:5]:  # warm-up, in another conversation
        await agent.handle_message(UserMessage(text, CollectingOutputChannel(), "warm-up"))
    profiles = {"first": cProfile.Profile(), "last": cProfile.Profile()}
    sender, cpu = uuid.uuid4().hex, []
    for number in range(turns):
        part = "first" if number < EDGE else "last" if number >= turns - EDGE else None
        started = time.process_time()
        if profile and part:
            profiles[part].enable()
        message = UserMessage(QUESTIONS[number % len(QUESTIONS)], CollectingOutputChannel(), sender)
        await agent.handle_message(message)
        if profile and part:
            profiles[part].disable()
        cpu.append((time.process_time() - started) * 1000)
    if profile:
        for part, stats in profiles.items():
            stats.dump_stats(profile.with_suffix(f".{part}{profile.suffix}"))
    return cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.turn_cpu", description=__doc__)
    parser.add_argument("--turns", type=int, default=100)
    parser.add_argument("--profile", type=Path, help="cProfile statistics, first and last ten")
    args = parser.parse_args(argv)
    if args.turns < 2 * EDGE:
        parser.error(f"--turns must be at least {2 * EDGE}")
    logging.disable(logging.INFO)
    from bot import rasa_patches

    rasa_patches.install(action_timeout=5)
    shutil.rmtree(WORK_DIR, ignore_errors=True)
    WORK_DIR.mkdir(parents=True, mode=0o700)
    model = ensure_model()
    actions = action_server(free_port(), log_path=WORK_DIR / "actions.log")
    actions.start()
    try:
        actions.wait_until_healthy(timeout=120)
        cpu = asyncio.run(cpu_per_turn(model, actions.url, args.turns, args.profile))
    finally:
        actions.stop()
    first, last = statistics.median(cpu[:EDGE]), statistics.median(cpu[-EDGE:])
    print(
        f"Rasa CPU per turn, median: turns 1-{EDGE} {first:.1f} ms, "
        f"turns {args.turns - EDGE + 1}-{args.turns} {last:.1f} ms ({last / first:.2f}x)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
