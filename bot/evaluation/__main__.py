"""`make evaluate`: score the running assistant on the held-out questions.

Writes docs/evaluation.md: the share answered with the right topic, per-topic
precision and recall, the confusions, the share of confident wrong answers,
and a sweep of the fallback threshold over the classifier's confidences (the
measurements the threshold in config.yml is chosen from).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import uuid
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import requests
import yaml

from bot.evaluation.heldout import SETS, load_questions
from bot.evaluation.report import render
from bot.evaluation.scoring import score, sweep
from bot.ops import PROJECT_ROOT
from bot.ops.model import ensure_model
from bot.ops.services import action_server, free_port, rasa_server

REPORT_FILE = PROJECT_ROOT / "docs" / "evaluation.md"
THRESHOLDS = [round(0.1 * i, 1) for i in range(0, 10)]


def ask_each(webhook: str, questions: Sequence[str]) -> list[str]:
    """The contract topic of the reply to each question, each in a new conversation."""
    topics = []
    for text in questions:
        reply = requests.post(
            webhook, json={"sender": uuid.uuid4().hex, "message": text}, timeout=30
        )
        reply.raise_for_status()
        found = [m["custom"]["topic"] for m in reply.json() if "topic" in (m.get("custom") or {})]
        topics.append(found[0] if len(found) == 1 else f"<contract broken: {len(found)} topics>")
    return topics


def classifier_rankings(model: Path, questions: Sequence[str]) -> list[list[tuple[str, float]]]:
    from rasa.core.agent import Agent  # heavy import, only for this measurement
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # as `rasa run` configures it; else each parse is printed
    agent = Agent.load(str(model))

    async def parse_all():
        parsed = [await agent.parse_message(text) for text in questions]
        return [
            [
                (i["name"], i["confidence"])
                for i in p["intent_ranking"]
                if i["name"] != "nlu_fallback"
            ]
            for p in parsed
        ]

    return asyncio.run(parse_all())


def configured_threshold() -> float:
    config = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text())
    fallback = next(c for c in config["pipeline"] if c["name"] == "FallbackClassifier")
    return float(fallback["threshold"])


def evaluate_live(model: Path, questions: Sequence[str]) -> list[str]:
    with tempfile.TemporaryDirectory() as state:
        actions = action_server(free_port(), log_path=Path(state) / "actions.log")
        rasa = rasa_server(
            model,
            port=free_port(),
            action_url=actions.url,
            tracker_db=Path(state) / "tracker.db",
            log_path=Path(state) / "rasa.log",
        )
        try:
            for service in (actions, rasa):
                service.start()
                service.wait_until_healthy(timeout=240)
            return ask_each(f"{rasa.url}/webhooks/rest/webhook", questions)
        finally:
            rasa.stop()
            actions.stop()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make evaluate", description=__doc__)
    parser.add_argument(
        "--set",
        choices=sorted(SETS),
        default="heldout",
        help="development: for tuning, prints the figures only; heldout (default): "
        "for reporting, writes docs/evaluation.md",
    )
    args = parser.parse_args(argv)
    question_file = SETS[args.set]
    model = ensure_model()
    questions = load_questions(question_file)
    texts = [q.text for q in questions]
    expected = [q.topic for q in questions]
    live = score(expected, evaluate_live(model, texts))
    thresholds = sweep(expected, classifier_rankings(model, texts), THRESHOLDS)
    summary = (
        f"{args.set} set: right topic {live.accuracy:.1%} of {live.total}; confident wrong: "
        f"{live.confident_wrong_rate:.1%}; fallback: {live.fallback_rate:.1%}."
    )
    if args.set != "heldout":
        print(summary)
        for expected_topic, predicted, count in live.confusions:
            print(f"  {expected_topic} -> {predicted}: {count}")
        return 0
    REPORT_FILE.write_text(
        render(
            live,
            thresholds,
            configured_threshold(),
            model.name,
            date.today(),
            question_file.relative_to(PROJECT_ROOT),
        ),
        encoding="utf-8",
    )
    print(f"{summary} Report: {REPORT_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
