"""`make evaluate`: score the running assistant on a question set.

On the held-out sets (the default) it writes docs/evaluation.md (the share answered with
the right topic, confident wrong answers and fallbacks, by kind of message, per topic, the
confusions, and the threshold sweep; then the same for the Welsh held-out set, where a
question is right only if answered in Welsh), docs/evaluation-heldout.csv and
docs/evaluation-heldout-cy.csv (every question with its expected and returned topic and the
classifier's confidence) and docs/evaluation.json.

With `--set development` (`make evaluate SET=development`, or `development-cy` for the
Welsh one) it prints the same figures and writes its CSV to var/, never to docs/: those
sets are for tuning.

The fallback threshold sweep is always computed on the development set, where thresholds
are chosen.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import tempfile
import uuid
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import requests
import yaml

from bot.evaluation.heldout import EVALUATION_SETS, SETS, WELSH_SETS, Question, load_questions
from bot.evaluation.report import (
    Measurement,
    as_json,
    kind_table,
    render,
    render_welsh,
    summary_line,
    sweep_table,
    write_csv,
)
from bot.evaluation.scoring import Reply, in_set_language, score, score_by_kind, sweep
from bot.ops import PROJECT_ROOT
from bot.ops.model import ensure_model
from bot.ops.services import action_server, free_port, rasa_server

REPORT_FILE = PROJECT_ROOT / "docs" / "evaluation.md"
JSON_FILE = PROJECT_ROOT / "docs" / "evaluation.json"
CSV_FILES = {
    "heldout": PROJECT_ROOT / "docs" / "evaluation-heldout.csv",
    "development": PROJECT_ROOT / "var" / "evaluation-development.csv",
    "development-cy": PROJECT_ROOT / "var" / "evaluation-development-cy.csv",
    "heldout-cy": PROJECT_ROOT / "docs" / "evaluation-heldout-cy.csv",
}
WELSH = "cy"
# `make evaluate` reports the English and the Welsh held-out sets together.
REPORTED = {"heldout": ("heldout", "heldout-cy")}
THRESHOLDS = [round(0.1 * i, 1) for i in range(0, 10)]


def ask_each(webhook: str, questions: Sequence[str]) -> list[Reply]:
    """The reply to each question, each sent as the first message of a new conversation."""
    replies = []
    for text in questions:
        response = requests.post(
            webhook, json={"sender": uuid.uuid4().hex, "message": text}, timeout=30
        )
        response.raise_for_status()
        replies.append(Reply.from_messages(response.json()))
    return replies


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


def evaluate_live(model: Path, questions: Sequence[str]) -> list[Reply]:
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


def measure(
    set_name: str,
) -> tuple[Measurement, list[Question], list[Reply], list[list[tuple[str, float]]]]:
    return measure_sets([set_name])[0]


def measure_sets(
    set_names: Sequence[str],
) -> list[tuple[Measurement, list[Question], list[Reply], list[list[tuple[str, float]]]]]:
    """Each set measured on one start of the servers: its questions' replies, scored (on a
    Welsh set, right only when answered in Welsh), and the classifier's rankings."""
    model = ensure_model()
    question_sets = [load_questions(SETS[name]) for name in set_names]
    development = load_questions(SETS["development"])
    texts = [q.text for questions in question_sets for q in questions]
    all_replies = evaluate_live(model, texts)
    # One model load parses every set: their confidences, and the development sweep.
    extra = [] if "development" in set_names else [q.text for q in development]
    rankings = classifier_rankings(model, texts + extra)
    development_rankings = rankings[len(texts) :] if extra else None
    results = []
    start = 0
    for name, questions in zip(set_names, question_sets, strict=True):
        end = start + len(questions)
        replies, own_rankings = all_replies[start:end], rankings[start:end]
        start = end
        if name in WELSH_SETS:
            replies = in_set_language(questions, replies, WELSH)
        if name == "development":
            development_rankings = own_rankings
        measurement = Measurement(
            set_name=name,
            question_file=SETS[name].relative_to(PROJECT_ROOT),
            model_name=model.name,
            day=date.today(),
            live=score([q.topic for q in questions], [r.topic for r in replies]),
            kinds=score_by_kind(questions, replies),
            thresholds=sweep([q.topic for q in development], development_rankings, THRESHOLDS),
            threshold=configured_threshold(),
            development_file=SETS["development"].relative_to(PROJECT_ROOT),
            development_total=len(development),
            csv_file=CSV_FILES[name].relative_to(PROJECT_ROOT),
        )
        results.append((measurement, questions, replies, own_rankings))
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make evaluate", description=__doc__)
    parser.add_argument(
        "--set",
        choices=EVALUATION_SETS,
        default="heldout",
        help="development, development-cy: for tuning, print the figures and write var/; "
        "heldout (default): for reporting, measures the English and the Welsh held-out sets "
        "and writes docs/evaluation.md, their CSVs and the JSON; heldout-cy: the Welsh one "
        "alone, printed",
    )
    args = parser.parse_args(argv)
    measured = measure_sets(REPORTED.get(args.set, (args.set,)))
    for measurement, questions, replies, rankings in measured:
        write_csv(PROJECT_ROOT / measurement.csv_file, questions, replies, rankings)
    if args.set not in REPORTED:
        measurement = measured[0][0]
        print(summary_line(measurement))
        print("\nBy kind of message:", *kind_table(measurement.kinds), sep="\n")
        print(
            "\nThreshold sweep (classifier alone):",
            *sweep_table(measurement.thresholds, measurement.threshold),
            sep="\n",
        )
        print("\nConfusions (expected -> answered as):")
        for expected_topic, predicted, count in measurement.live.confusions:
            print(f"  {expected_topic} -> {predicted}: {count}")
        print(f"\nEvery question: {PROJECT_ROOT / measurement.csv_file}")
        return 0
    english, welsh = measured[0][0], measured[1][0]
    REPORT_FILE.write_text(render(english) + render_welsh(welsh), encoding="utf-8")
    figures = {**as_json(english), "welsh": as_json(welsh)}
    JSON_FILE.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"{summary_line(english)}\n{summary_line(welsh)} Report: {REPORT_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
