"""The pure parts of the load generator: budgets, routing, recording outcomes."""

import time
import uuid

import pytest

from bench.load import EXAMPLES_KEPT, Budget, LevelRun, Outcome, route


def test_a_message_budget_allows_exactly_that_many():
    budget = Budget(messages=3)
    budget.start()
    assert [budget.claim() for _ in range(5)] == [True, True, True, False, False]


def test_a_time_budget_stops_after_its_seconds():
    budget = Budget(seconds=0.05)
    budget.start()
    assert budget.claim()
    time.sleep(0.06)
    assert not budget.claim()


def test_a_budget_needs_a_limit():
    with pytest.raises(ValueError):
        Budget()


def test_a_conversation_always_goes_to_the_same_instance_and_all_are_used():
    urls = ["http://a", "http://b"]
    ids = [uuid.uuid4().hex for _ in range(200)]
    assert [route(i, urls) for i in ids] == [route(i, urls) for i in ids]
    assert {route(i, urls) for i in ids} == set(urls)
    assert {route(i, ["http://only"]) for i in ids} == {"http://only"}


def test_a_run_records_latencies_and_errors_by_kind_with_a_few_examples():
    run = LevelRun(visitors=1)
    run.record("hi", Outcome(0.02, [{"custom": {"topic": "greeting"}}], None))
    run.record("q", Outcome(None, [], "timeout"))
    for _ in range(EXAMPLES_KEPT + 3):
        run.record("q", Outcome(0.5, [], "contract: 0 topic payloads instead of one"))
    assert run.sent == EXAMPLES_KEPT + 5
    assert run.latencies == [0.02] + [0.5] * (EXAMPLES_KEPT + 3)  # no latency for a timeout
    assert run.errors == {"timeout": 1, "contract": EXAMPLES_KEPT + 3}
    assert len(run.examples) == EXAMPLES_KEPT
    assert run.examples[0] == "'q': timeout"
