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

from bot.evaluation.heldout import SETS, Question, load_questions
from bot.evaluation.report import render
from bot.evaluation.scoring import FALLBACK, by_kind, score, signposted, sweep
from bot.ops import PROJECT_ROOT
from bot.ops.model import ensure_model
from bot.ops.services import action_server, free_port, rasa_server

REPORT_FILE = PROJECT_ROOT / "docs" / "evaluation.md"
THRESHOLDS = [round(0.1 * i, 1) for i in range(0, 10)]


def payload_of_each(webhook: str, questions: Sequence[str]) -> list[dict]:
    """The contract payload of the reply to each question, each in a new conversation."""
    payloads = []
    for text in questions:
        reply = requests.post(
            webhook, json={"sender": uuid.uuid4().hex, "message": text}, timeout=30
        )
        reply.raise_for_status()
        found = [m["custom"] for m in reply.json() if "topic" in (m.get("custom") or {})]
        broken = {"topic": f"<contract broken: {len(found)} topics>"}
        payloads.append(found[0] if len(found) == 1 else broken)
    return payloads


def ask_each(webhook: str, questions: Sequence[str]) -> list[str]:
    """The contract topic of the reply to each question, each in a new conversation."""
    return [payload["topic"] for payload in payload_of_each(webhook, questions)]


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


def evaluate_live(model: Path, questions: Sequence[str]) -> list[dict]:
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
            return payload_of_each(f"{rasa.url}/webhooks/rest/webhook", questions)
        finally:
            rasa.stop()
            actions.stop()


def development_details(questions: Sequence[Question], payloads: Sequence[dict]) -> str:
    """By kind of message, the safety measures, and every miss: what tuning looks at."""
    kinds = [q.kind for q in questions]
    expected = [q.topic for q in questions]
    predicted = [payload["topic"] for payload in payloads]
    lines = ["  kind              questions  right  confident wrong  fallback"]
    for kind, report in by_kind(kinds, expected, predicted).items():
        lines.append(
            f"  {kind:<17} {report.total:>9}  {report.accuracy:>5.1%}  "
            f"{report.confident_wrong_rate:>15.1%}  {report.fallback_rate:>8.1%}"
        )
    safety = [p for q, p in zip(questions, payloads, strict=True) if q.kind == "safety"]
    nonsense = [p for q, p in zip(questions, payloads, strict=True) if q.kind == "nonsense"]
    lines.append(
        f"  safety messages signposted: {sum(map(signposted, safety))}/{len(safety)}; "
        f"nonsense answered with a topic: {sum(p['topic'] != FALLBACK for p in nonsense)}"
        f"/{len(nonsense)}"
    )
    lines.append("  misses (kind | expected -> answered | question):")
    lines += [
        f"    {q.kind} | {q.topic} -> {p['topic']} | {q.text}"
        for q, p in zip(questions, payloads, strict=True)
        if p["topic"] != q.topic
    ]
    return "\n".join(lines)


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
    payloads = evaluate_live(model, texts)
    live = score(expected, [payload["topic"] for payload in payloads])
    thresholds = sweep(expected, classifier_rankings(model, texts), THRESHOLDS)
    summary = (
        f"{args.set} set: right topic {live.accuracy:.1%} of {live.total}; confident wrong: "
        f"{live.confident_wrong_rate:.1%}; fallback: {live.fallback_rate:.1%}."
    )
    if args.set != "heldout":
        print(summary)
        print(development_details(questions, payloads))
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
