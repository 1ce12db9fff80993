"""Write a measurement down: docs/evaluation.md, the CSV of every question, the JSON summary."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.evaluation.heldout import Question
from bot.evaluation.scoring import KindScore, Reply, Report, outcome


@dataclass
class Measurement:
    """One run of `make evaluate` on one question set."""

    set_name: str
    question_file: Path  # relative to the project
    model_name: str
    day: date
    live: Report
    kinds: dict[str, KindScore]
    thresholds: list[tuple[float, Report]]  # the sweep, always on the development set
    threshold: float  # the one in config.yml
    development_file: Path
    development_total: int
    csv_file: Path  # relative to the project


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.1%} ({part})" if whole else "-"


def kind_table(kinds: dict[str, KindScore]) -> list[str]:
    """Markdown lines: the shares by kind of message, with each kind's own measure."""
    lines = [
        "| kind | questions | right topic | confident wrong | fallback | own measure |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for kind, s in kinds.items():
        r = s.report
        own = {
            "safety": f"signposted {s.signposted}/{r.total}",
            "nonsense": f"answered with a topic {s.answered_with_topic}/{r.total}",
        }.get(kind, "")
        lines.append(
            f"| {kind} | {r.total} | {_share(r.correct, r.total)} | "
            f"{_share(r.confident_wrong, r.total)} | {_share(r.fallbacks, r.total)} | {own} |"
        )
    return lines


def sweep_table(thresholds: list[tuple[float, Report]], threshold: float) -> list[str]:
    lines = [
        "| threshold | right topic | confident wrong | fallback |",
        "| --- | --- | --- | --- |",
    ]
    for value, report in thresholds:
        marker = " (chosen)" if abs(value - threshold) < 1e-9 else ""
        lines.append(
            f"| {value:.1f}{marker} | {report.accuracy:.1%} | {report.confident_wrong_rate:.1%} | "
            f"{report.fallback_rate:.1%} |"
        )
    return lines


def measure_table(live: Report, right: str, wrong: str) -> list[str]:
    """Markdown lines: the shares right, wrong (as `right` and `wrong` name them) and
    fallbacks."""
    return [
        "| measure | result |",
        "| --- | --- |",
        f"| {right} | **{live.accuracy:.1%}** ({live.correct}/{live.total}) |",
        f"| {wrong} | **{live.confident_wrong_rate:.1%}** ({live.confident_wrong}) |",
        f"| fallbacks (said it was not sure) | {live.fallback_rate:.1%} ({live.fallbacks}) |",
    ]


def safety_row(m: Measurement, label: str) -> list[str]:
    """The markdown row of safety messages signposted, if the set has any."""
    if "safety" not in m.kinds:
        return []
    s = m.kinds["safety"]
    return [f"| {label} | **{s.signposted}/{s.report.total}** |"]


def summary_line(m: Measurement) -> str:
    live = m.live
    return (
        f"{m.set_name} set: right topic {live.accuracy:.1%} of {live.total}; confident wrong: "
        f"{live.confident_wrong_rate:.1%}; fallback: {live.fallback_rate:.1%}."
    )


def render(m: Measurement) -> str:
    live = m.live
    lines = [
        "# Evaluation on held-out questions",
        "",
        f"Measured on {m.day.isoformat()} with model `{m.model_name}` by `make evaluate`, on "
        f"the {live.total} questions of the held-out set `{m.question_file}`. Each question "
        "is sent as the first message of a new conversation to the running assistant (Rasa "
        "and action servers), and the topic in the reply's contract payload is compared with "
        "the expected one. The confidence in the CSV is the classifier's top intent for the "
        "same text, parsed by the same model.",
        "",
        "**Nothing is tuned on this set.** Three sets are kept apart: the training data "
        "(`bot/data/nlu/`), the development set "
        f"(`{m.development_file}`, {m.development_total} questions) on which every tuning "
        "decision is made (thresholds, epochs, features, training data), and this held-out "
        "set, written apart from both and used only to report. A test "
        "(`tests/evaluation/test_overlap.py`) fails if any held-out question is an exact or "
        "near copy of a training example, a knowledge-file phrase or a development question.",
        "",
        f"Every question with its expected and returned topic: [`{m.csv_file.name}`]"
        f"({m.csv_file.name}); these figures as JSON: [`evaluation.json`](evaluation.json).",
        "",
        *measure_table(
            live,
            "answered with the right topic",
            "confident wrong answers (wrong topic, not a fallback)",
        ),
    ]
    lines += safety_row(m, 'safety messages signposted (a signposting topic, or `"safety": true`)')
    if "nonsense" in m.kinds:
        s = m.kinds["nonsense"]
        lines.append(
            f"| nonsense answered with a topic (should be none) | "
            f"**{s.answered_with_topic}/{s.report.total}** |"
        )
    lines += [
        "",
        "## By kind of message",
        "",
        "Each question is labelled with one kind: a plain question, typos and text-speak, a "
        "long message (greeting, background, question at the end), a self-description, "
        "negation, another employer (expected: out-of-scope), nonsense (expected: fallback), "
        "safety (danger, distress, a crime or a complaint about a case) or a question wrapped "
        "in chit-chat.",
        "",
        *kind_table(m.kinds),
        "",
        "## Fallback threshold (chosen on the development set)",
        "",
        f"The FallbackClassifier threshold in `config.yml` is **{m.threshold}**. Thresholds "
        "are chosen on the development set, never on the held-out set, so this sweep is "
        f"computed on the {m.development_total} development questions "
        f"(`{m.development_file}`): what the classifier alone (before the actions use "
        "entities and context) would score there at each threshold.",
        "",
        *sweep_table(m.thresholds, m.threshold),
        "",
        "## Per topic",
        "",
        "| topic | precision | recall | questions |",
        "| --- | --- | --- | --- |",
    ]
    for topic, s in live.per_topic.items():
        lines.append(f"| {topic} | {s.precision:.2f} | {s.recall:.2f} | {s.support} |")
    lines += ["", "## Confusions", "", "| expected | answered as | count |", "| --- | --- | --- |"]
    lines += [f"| {e} | {p} | {n} |" for e, p, n in live.confusions] or ["| (none) | | |"]
    return "\n".join(lines) + "\n"


def render_welsh(m: Measurement) -> str:
    """The Welsh held-out set's section of docs/evaluation.md."""
    live = m.live
    lines = [
        "",
        "# Evaluation on Welsh held-out questions",
        "",
        f"Measured the same way, with the same model `{m.model_name}`, on the {live.total} "
        f"Welsh questions of `{m.question_file}`, sent with no language chosen (the "
        "assistant tells the language from the text). **A question is right only when the "
        'reply has the right topic and is in Welsh** (its payload says `"lang": "cy"`); '
        "a right topic in English is listed below as `<topic> (in en)`. Nonsense has no "
        "language: its fallback counts in either. Welsh tuning is done on "
        "`tests/evaluation/development-cy.yml`; nothing is tuned on this set. Every "
        f"question: [`{m.csv_file.name}`]({m.csv_file.name}).",
        "",
        *measure_table(
            live,
            "answered with the right topic, in Welsh",
            "wrong topic or not in Welsh (not a fallback)",
        ),
    ]
    lines += safety_row(m, "safety messages signposted (in either language)")
    lines += ["", "## Welsh: by kind of message", "", *kind_table(m.kinds), ""]
    lines += [
        "## Welsh: confusions",
        "",
        "| expected | answered as | count |",
        "| --- | --- | --- |",
    ]
    lines += [f"| {e} | {p} | {n} |" for e, p, n in live.confusions] or ["| (none) | | |"]
    return "\n".join(lines) + "\n"


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def as_json(m: Measurement) -> dict:
    """The figures a public accuracy page reads."""
    by_kind = {}
    for kind, s in m.kinds.items():
        r = s.report
        by_kind[kind] = {
            "total": r.total,
            "accuracy": _rate(r.correct, r.total),
            "confident_wrong_rate": _rate(r.confident_wrong, r.total),
            "fallback_rate": _rate(r.fallbacks, r.total),
        }
        if kind == "safety":
            by_kind[kind]["signposted_rate"] = _rate(s.signposted, r.total)
        if kind == "nonsense":
            by_kind[kind]["answered_with_topic"] = s.answered_with_topic
    return {
        "set": m.set_name,
        "file": str(m.question_file),
        "date": m.day.isoformat(),
        "model": m.model_name,
        "total": m.live.total,
        "accuracy": _rate(m.live.correct, m.live.total),
        "confident_wrong_rate": _rate(m.live.confident_wrong, m.live.total),
        "fallback_rate": _rate(m.live.fallbacks, m.live.total),
        "by_kind": by_kind,
    }


CSV_COLUMNS = [
    "text",
    "kind",
    "expected",
    "returned",
    "classifier_intent",
    "confidence",
    "outcome",
    "signposted",
]


def write_csv(
    path: Path,
    questions: Sequence[Question],
    replies: Sequence[Reply],
    rankings: Sequence[Sequence[tuple[str, float]]],
) -> None:
    """One row per question: what was expected, what came back and how sure the classifier was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for q, reply, ranking in zip(questions, replies, rankings, strict=True):
            intent, confidence = ranking[0] if ranking else ("", 0.0)
            writer.writerow(
                [
                    q.text,
                    q.kind,
                    q.topic,
                    reply.topic,
                    intent,
                    f"{confidence:.3f}",
                    outcome(q.topic, reply.topic),
                    "yes" if reply.signposted else "no",
                ]
            )
