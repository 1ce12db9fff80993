"""The performance goals of the production profile, each judged by the figure it names.

All three concern the production profile on this 2-core machine; the last one
compares it with the stock baseline measured in the same run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bench.results import BenchResult, LevelResult

P95_VISITORS, P95_LIMIT_MS = 10, 250
SUSTAINED_VISITORS, SUSTAINED_MESSAGES = 50, 10_000
THROUGHPUT_VISITORS, THROUGHPUT_RATIO = 10, 1.5
NOT_MEASURED = "not measured"


@dataclass(frozen=True)
class Goal:
    name: str
    measured: str
    met: bool | None  # None: not measured in this run


def _level(result: BenchResult, key: str, visitors: int) -> LevelResult | None:
    target = result.target(key)
    return target.level(visitors) if target else None


def latency_goal(result: BenchResult) -> Goal:
    name = f"production p95 under {P95_LIMIT_MS} ms at {P95_VISITORS} visitors"
    level = _level(result, "production", P95_VISITORS)
    if level is None or level.summary.p95_ms is None:
        return Goal(name, NOT_MEASURED, None)
    p95 = level.summary.p95_ms
    return Goal(name, f"{p95:,.0f} ms", p95 < P95_LIMIT_MS)


def sustained_goal(result: BenchResult) -> Goal:
    name = (
        f"production: no errors over at least {SUSTAINED_MESSAGES:,} messages "
        f"at {SUSTAINED_VISITORS} visitors"
    )
    level = _level(result, "production", SUSTAINED_VISITORS)
    if level is None:
        return Goal(name, NOT_MEASURED, None)
    s = level.summary
    met = s.errors == 0 and s.messages >= SUSTAINED_MESSAGES
    return Goal(name, f"{s.errors} errors in {s.messages:,} messages", met)


def throughput_goal(result: BenchResult) -> Goal:
    name = (
        f"production throughput at {THROUGHPUT_VISITORS} visitors at least "
        f"{THROUGHPUT_RATIO}x the stock baseline's"
    )
    ours = _level(result, "production", THROUGHPUT_VISITORS)
    stock = _level(result, "stock", THROUGHPUT_VISITORS)
    if ours is None or stock is None or stock.summary.per_second <= 0:
        return Goal(name, NOT_MEASURED, None)
    ratio = ours.summary.per_second / stock.summary.per_second
    # Rounded down, so a ratio just short of the goal never reads as reaching it.
    measured = (
        f"{math.floor(ratio * 100) / 100:.2f}x ({ours.summary.per_second:.1f} against "
        f"{stock.summary.per_second:.1f} messages/s)"
    )
    return Goal(name, measured, ratio >= THROUGHPUT_RATIO)


def goals(result: BenchResult) -> list[Goal]:
    return [latency_goal(result), sustained_goal(result), throughput_goal(result)]
