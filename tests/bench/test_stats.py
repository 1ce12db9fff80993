"""Percentiles and throughput of a run."""

import pytest

from bench.stats import percentile_ms, summarise


def test_percentiles_interpolate_between_ranks_in_milliseconds():
    latencies = [i / 1000 for i in range(1, 101)]  # 1 ms .. 100 ms
    assert percentile_ms(latencies, 50) == pytest.approx(50.5)
    assert percentile_ms(latencies, 95) == pytest.approx(95.05)
    assert percentile_ms(latencies, 99) == pytest.approx(99.01)
    assert percentile_ms(latencies, 100) == pytest.approx(100)


def test_percentiles_do_not_depend_on_order():
    assert percentile_ms([0.3, 0.1, 0.2], 50) == pytest.approx(200)


def test_a_single_latency_is_every_percentile():
    assert percentile_ms([0.042], 99) == pytest.approx(42)


def test_no_latencies_have_no_percentile():
    assert percentile_ms([], 95) is None


def test_throughput_counts_only_answered_messages():
    summary = summarise([0.1] * 90, messages=100, errors=10, seconds=10)
    assert summary.per_second == pytest.approx(9)
    assert (summary.messages, summary.errors) == (100, 10)
    assert summary.p95_ms == pytest.approx(100)


def test_a_run_that_took_no_time_is_refused():
    with pytest.raises(ValueError):
        summarise([], messages=0, errors=0, seconds=0)
