"""Render the evaluation as Markdown for docs/evaluation.md."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.evaluation.scoring import Report


def render(
    live: Report,
    thresholds: list[tuple[float, Report]],
    threshold: float,
    model_name: str,
    today: date,
    heldout: Path,
) -> str:
    lines = [
        "# Evaluation on held-out questions",
        "",
        f"Measured on {today.isoformat()} with model `{model_name}` by `make evaluate`, "
        f"on the {live.total} questions in `{heldout}` (written apart from the training data, "
        "each sent as the first message of a new conversation to the running assistant).",
        "",
        "| measure | result |",
        "| --- | --- |",
        f"| answered with the right topic | **{live.accuracy:.1%}** "
        f"({live.correct}/{live.total}) |",
        f"| confident wrong answers (wrong topic, not a fallback) | "
        f"**{live.confident_wrong_rate:.1%}** ({live.confident_wrong}) |",
        f"| fallbacks (said it was not sure) | {live.fallback_rate:.1%} ({live.fallbacks}) |",
        "",
        "## Fallback threshold",
        "",
        f"The FallbackClassifier threshold in `config.yml` is **{threshold}**. The table shows "
        "what the classifier alone (before the actions use entities and context) would score "
        "at each threshold; the chosen one keeps confident wrong answers low without sending "
        "many right answers to the fallback.",
        "",
        "| threshold | right topic | confident wrong | fallback |",
        "| --- | --- | --- | --- |",
    ]
    for value, report in thresholds:
        marker = " (chosen)" if abs(value - threshold) < 1e-9 else ""
        lines.append(
            f"| {value:.1f}{marker} | {report.accuracy:.1%} | {report.confident_wrong_rate:.1%} | "
            f"{report.fallback_rate:.1%} |"
        )
    lines += [
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
