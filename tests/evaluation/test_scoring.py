"""Scoring and reporting a measurement, on made-up replies (no servers)."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

from bot.evaluation.heldout import Question
from bot.evaluation.report import Measurement, as_json, render, write_csv
from bot.evaluation.scoring import Reply, in_set_language, score, score_by_kind, sweep

QUESTIONS = [
    Question("how much holiday", "annual-leave", "plain"),
    Question("wat pay", "salary", "typos"),
    Question("someone is following me", "report-a-crime", "safety"),
    Question("i'm scared, also what's the pay", "report-a-crime", "safety"),
    Question("i'm a witness, what happens", "victims-and-witnesses", "safety"),
    Question("lkjhgf", "fallback", "nonsense"),
    Question("zzzz blah", "fallback", "nonsense"),
]
REPLIES = [
    Reply("annual-leave"),
    Reply("fallback"),
    Reply("report-a-crime"),
    Reply("salary", safety=True),  # a careers answer that signposts first
    Reply("flexible-working"),
    Reply("fallback"),
    Reply("network-race-equality"),
]


def test_a_reply_is_read_from_its_one_contract_payload():
    messages = [{"text": "Call 999."}, {"custom": {"topic": "salary", "safety": True}}]
    assert Reply.from_messages(messages) == Reply("salary", safety=True)
    assert Reply.from_messages([{"custom": {"topic": "pension"}}]) == Reply("pension")
    assert Reply.from_messages([{"text": "no payload"}]).topic == "<contract broken: 0 topics>"


def test_results_by_kind_count_signposting_and_nonsense_answered_with_a_topic():
    kinds = score_by_kind(QUESTIONS, REPLIES)
    assert list(kinds) == ["plain", "typos", "nonsense", "safety"]
    safety = kinds["safety"]
    assert (safety.report.correct, safety.report.confident_wrong) == (1, 2)
    assert safety.signposted == 2  # the witness got flexible working: not signposted
    assert kinds["nonsense"].answered_with_topic == 1
    assert kinds["typos"].report.fallbacks == 1


def measurement() -> Measurement:
    expected, returned = [q.topic for q in QUESTIONS], [r.topic for r in REPLIES]
    rankings = [[("annual-leave", 0.9)], [("salary", 0.4)]]
    return Measurement(
        set_name="heldout",
        question_file=Path("tests/evaluation/heldout.yml"),
        model_name="careers-test.tar.gz",
        day=date(2026, 12, 6),
        live=score(expected, returned),
        kinds=score_by_kind(QUESTIONS, REPLIES),
        thresholds=sweep(["annual-leave", "salary"], rankings, [0.0, 0.5]),
        threshold=0.5,
        development_file=Path("tests/evaluation/development.yml"),
        development_total=2,
        csv_file=Path("docs/evaluation-heldout.csv"),
    )


def test_the_report_says_what_was_measured_on_which_set_and_shows_each_kind():
    text = render(measurement())
    assert "`tests/evaluation/heldout.yml`" in text
    assert "Nothing is tuned on this set" in text
    assert "computed on the 2 development questions" in text
    assert "| safety | 3 | 33.3% (1) | 66.7% (2) | 0.0% (0) | signposted 2/3 |" in text
    # Right, fallback and confident wrong split the questions: a right fallback is right.
    nonsense = "| nonsense | 2 | 50.0% (1) | 50.0% (1) | 0.0% (0) | answered with a topic 1/2 |"
    assert nonsense in text
    assert "| 0.5 (chosen) | 50.0% | 0.0% | 50.0% |" in text


def test_the_json_summary_has_the_overall_and_by_kind_figures():
    data = json.loads(json.dumps(as_json(measurement())))
    assert data["set"] == "heldout" and data["date"] == "2026-12-06"
    assert data["total"] == 7 and data["accuracy"] == round(3 / 7, 4)
    assert data["by_kind"]["safety"]["signposted_rate"] == round(2 / 3, 4)
    assert data["by_kind"]["nonsense"]["answered_with_topic"] == 1


def test_the_csv_has_one_row_per_question(tmp_path):
    path = tmp_path / "out" / "evaluation.csv"
    rankings = [[("x", 0.5)]] * len(QUESTIONS)
    write_csv(path, QUESTIONS, REPLIES, rankings)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert len(rows) == len(QUESTIONS)
    assert rows[3] == {
        "text": "i'm scared, also what's the pay",
        "kind": "safety",
        "expected": "report-a-crime",
        "returned": "salary",
        "classifier_intent": "x",
        "confidence": "0.500",
        "outcome": "confident-wrong",
        "signposted": "yes",
    }


def test_on_a_welsh_set_only_a_reply_in_welsh_is_right():
    questions = [
        Question("Faint yw'r cyflog?", "salary"),
        Question("Faint o wyliau sydd?", "annual-leave"),
        Question("sdfgh", "fallback", kind="nonsense"),
        Question("Mae rhywun wedi ymosod arna i", "report-a-crime", kind="safety"),
    ]
    replies = [
        Reply("salary", lang="cy"),
        Reply("annual-leave", lang="en"),
        Reply("fallback", lang="en"),
        Reply("report-a-crime", lang="en"),
    ]
    scored = in_set_language(questions, replies, "cy")
    report = score([q.topic for q in questions], [r.topic for r in scored])
    assert report.correct == 2  # the Welsh answer, and the fallback to nonsense
    assert scored[1].topic == "annual-leave (in en)"
    assert scored[3].signposted  # signposted in English still counts as signposted
