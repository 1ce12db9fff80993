"""The soak's summary: printed, and written into docs/soak.md as its latest result."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from soak_check import Findings, stray_apologies
from soak_load import (
    APOLOGY,
    RESTART_MARGIN,
    TURN_IN_PROGRESS,
    Restart,
    SoakRun,
    SoakSettings,
)

from bench.machine import describe
from bench.stats import percentile_ms

START = "<!-- soak:result:start -->"
END = "<!-- soak:result:end -->"
PROBLEMS_SHOWN = 10


@dataclass(frozen=True)
class Counts:
    messages: int
    answered: int
    restart_apologies: int  # the apology, sent while a component was being restarted
    stray_apologies: int  # the apology, with nothing being restarted
    held: int  # answered after waiting for a restarted Rasa instance
    unanswered: int
    longest_wait: float  # seconds, first attempt to reply, of a held message


def count(run: SoakRun) -> Counts:
    turns = [turn for conversation in run.conversations for turn in conversation.turns]
    strays = len(stray_apologies(run))
    held = [turn for turn in turns if turn.held and turn.waited is not None]
    return Counts(
        messages=len(turns),
        answered=sum(turn.reply is not None for turn in turns),
        restart_apologies=sum(turn.notice == APOLOGY for turn in turns) - strays,
        stray_apologies=strays,
        held=len(held),
        unanswered=sum(turn.reply is None for turn in turns),
        longest_wait=max((turn.waited for turn in held), default=0.0),
    )


def _restart(restart: Restart, run: SoakRun) -> str:
    at = f"{restart.name} at {restart.stopped_at - run.started_at:.0f} s"
    if restart.back_at is None:
        return f"{at}, not back: {restart.error}"
    apologies = sum(
        turn.notice == APOLOGY and restart.covers(turn.sent_at)
        for conversation in run.conversations
        for turn in conversation.turns
    )
    return (
        f"{at}, answering again {restart.back_at - restart.stopped_at:.1f} s later; "
        f"{apologies} apologies from {TURN_IN_PROGRESS:g} s before it stopped to "
        f"{RESTART_MARGIN:g} s after it was back"
    )


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f} ms"


def markdown(
    run: SoakRun, findings: Findings, settings: SoakSettings, workers: dict[str, int]
) -> str:
    machine = describe()
    counts = count(run)
    latencies = [t.latency for c in run.conversations for t in c.turns if t.latency is not None]
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    verdict = "passed" if not findings.problems else f"failed ({len(findings.problems)} problems)"
    lines = [
        f"Run {when} on {machine.cpu} ({machine.cores} cores, {machine.memory_gib} GiB, "
        f"{machine.os}, Python {machine.python}, Rasa {machine.rasa}). **Result: {verdict}.**",
        "",
        "| setting | value |",
        "| --- | --- |",
        f"| conversations held at once | {settings.conversations} |",
        f"| messages sent for | {settings.seconds:.0f} s (the run took {run.seconds:.0f} s) |",
        f"| think time between messages | {settings.think_min:g}-{settings.think_max:g} s |",
        f"| Rasa | 2 instances x {workers['rasa']} workers, conversations routed by id |",
        f"| action server | {workers['actions']} workers |",
        "| stores | PostgreSQL tracker store, Redis lock store (production profile) |",
        *(f"| restart | {_restart(r, run)} |" for r in run.restarts),
        "",
        "| result | count |",
        "| --- | ---: |",
        f"| messages sent | {counts.messages:,} |",
        f"| answered | {counts.answered:,} |",
        f"| of which the apology, during a restart | {counts.restart_apologies:,} |",
        f"| of which the apology, with nothing restarting | {counts.stray_apologies:,} |",
        f"| held until the restarted Rasa instance was back | {counts.held:,} |",
        f"| without a reply | {counts.unanswered:,} |",
        f"| visitor messages found in the tracker store | {findings.user_events:,} |",
        f"| bot messages found in the tracker store | {findings.bot_events:,} |",
        f"| answers stored after the visitor got the apology | {findings.late_answers:,} |",
        f"| problems | {len(findings.problems):,} |",
        "",
        f"Latency of the answered attempt: p50 {_ms(percentile_ms(latencies, 50))}, "
        f"p95 {_ms(percentile_ms(latencies, 95))}, p99 {_ms(percentile_ms(latencies, 99))}, "
        f"max {_ms(max(latencies) * 1000 if latencies else None)}. The longest wait of a "
        f"message held for the restarted Rasa instance: {counts.longest_wait:.1f} s.",
    ]
    if findings.problems:
        lines += ["", "Problems (the first ones):", ""]
        lines += [f"- {problem}" for problem in findings.problems[:PROBLEMS_SHOWN]]
    return "\n".join(lines) + "\n"


def write_result(report: Path, text: str) -> None:
    """Replace what stands between the result markers of `report`."""
    page = report.read_text(encoding="utf-8")
    if START not in page or END not in page:
        raise ValueError(f"{report} has no {START} ... {END} markers for the result")
    before, rest = page.split(START, 1)
    _, after = rest.split(END, 1)
    report.write_text(f"{before}{START}\n{text}{END}{after}", encoding="utf-8")
