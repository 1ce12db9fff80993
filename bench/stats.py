"""Latency percentiles and throughput of one run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


def percentile_ms(latencies: Sequence[float], percent: float) -> float | None:
    """The `percent` percentile of latencies given in seconds, in milliseconds.

    Linear interpolation between the closest ranks (numpy's default); None for no data.
    """
    if not latencies:
        return None
    return float(np.percentile(np.asarray(latencies, dtype=float), percent)) * 1000


@dataclass(frozen=True)
class Summary:
    messages: int
    errors: int
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    per_second: float


def summarise(latencies: Sequence[float], messages: int, errors: int, seconds: float) -> Summary:
    """`messages` were sent in `seconds`; `latencies` are those of the replies that came back.

    Throughput counts only the messages answered without an error.
    """
    if seconds <= 0:
        raise ValueError("a run takes some time")
    return Summary(
        messages=messages,
        errors=errors,
        p50_ms=percentile_ms(latencies, 50),
        p95_ms=percentile_ms(latencies, 95),
        p99_ms=percentile_ms(latencies, 99),
        per_second=(messages - errors) / seconds,
    )
