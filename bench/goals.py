"""The performance goals, each judged by the figure it names.

They concern the production profile on this 2-core machine, except the embedded profile's
throughput. Throughput is compared with stock Rasa measured in the same run at the same
number of Rasa workers: production (2) with stock-2w, embedded (1) with stock. A long
conversation must not slow down: the median of its last ten turns within FLAT_RATIO of
its first ten.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bench.results import BenchResult, LevelResult

P95_VISITORS, P95_LIMIT_MS = 10, 100
SUSTAINED_VISITORS, SUSTAINED_MESSAGES = 50, 10_000
THROUGHPUT_VISITORS, THROUGHPUT_RATIO = 10, 3.0
# Ours and the stock target with as many Rasa workers.
EQUAL_WORKERS = {"production": "stock-2w", "embedded": "stock"}
FLAT_RATIO = 1.15
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
    name = f"production p95 at most {P95_LIMIT_MS} ms at {P95_VISITORS} visitors"
    level = _level(result, "production", P95_VISITORS)
    if level is None or level.summary.p95_ms is None:
        return Goal(name, NOT_MEASURED, None)
    p95 = level.summary.p95_ms
    return Goal(name, f"{p95:,.0f} ms", p95 <= P95_LIMIT_MS)


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


def throughput_goal(result: BenchResult, key: str = "production") -> Goal:
    baseline = EQUAL_WORKERS[key]
    name = (
        f"{key} throughput at {THROUGHPUT_VISITORS} visitors at least "
        f"{THROUGHPUT_RATIO}x {baseline}'s (as many Rasa workers)"
    )
    ours = _level(result, key, THROUGHPUT_VISITORS)
    stock = _level(result, baseline, THROUGHPUT_VISITORS)
    if ours is None or stock is None or stock.summary.per_second <= 0:
        return Goal(name, NOT_MEASURED, None)
    ratio = ours.summary.per_second / stock.summary.per_second
    # Rounded down, so a ratio just short of the goal never reads as reaching it.
    measured = (
        f"{math.floor(ratio * 100) / 100:.2f}x ({ours.summary.per_second:.1f} against "
        f"{stock.summary.per_second:.1f} messages/s)"
    )
    return Goal(name, measured, ratio >= THROUGHPUT_RATIO)


def flat_goal(result: BenchResult, key: str = "production") -> Goal:
    name = (
        f"{key}: in long conversations, the median latency of the last ten turns within "
        f"{FLAT_RATIO - 1:.0%} of the first ten's"
    )
    target = result.target(key)
    long = target.long if target else None
    if long is None or long.ratio is None:
        return Goal(name, NOT_MEASURED, None)
    measured = (
        f"{long.ratio:.2f}x ({long.last_ms:,.0f} ms at turns {long.turns - 9}-{long.turns} "
        f"against {long.first_ms:,.0f} ms at turns 1-10)"
    )
    return Goal(name, measured, long.ratio <= FLAT_RATIO)


def goals(result: BenchResult) -> list[Goal]:
    return [
        latency_goal(result),
        sustained_goal(result),
        throughput_goal(result, "production"),
        throughput_goal(result, "embedded"),
        flat_goal(result, "production"),
    ]
