"""The limiter on its own: sliding windows, the length cap, memory bounds, and Redis."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from bot.limits.limiter import (
    CONVERSATION_FULL,
    SLOW_DOWN,
    Limiter,
    MemoryCounts,
    RedisCounts,
)
from bot.limits.settings import ChannelSettings, Limits, SettingsError

REDIS_URL = "redis://127.0.0.1:6379/15"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_a_window_lets_the_limit_through_then_refuses_until_the_oldest_ages_out():
    clock = Clock()
    counts = MemoryCounts(clock=clock)
    assert [await counts.take("k", 3, 60) for _ in range(4)] == [True, True, True, False]
    clock.now += 59.9
    assert not await counts.take("k", 3, 60)
    clock.now += 0.2  # the first three are now over a minute old
    assert await counts.take("k", 3, 60)
    assert await counts.take("other", 3, 60)


async def test_refused_messages_are_not_counted():
    clock = Clock()
    counts = MemoryCounts(clock=clock)
    for _ in range(2):
        await counts.take("k", 2, 60)
    clock.now += 30
    for _ in range(50):  # hammering while refused does not extend the wait
        assert not await counts.take("k", 2, 60)
    clock.now += 30.1
    assert await counts.take("k", 2, 60)


async def test_a_conversation_count_grows_and_is_forgotten_after_a_quiet_spell():
    clock = Clock()
    counts = MemoryCounts(clock=clock)
    assert [await counts.count("c", idle=100) for _ in range(3)] == [1, 2, 3]
    clock.now += 101
    assert await counts.count("c", idle=100) == 1


async def test_memory_is_bounded_by_dropping_the_least_recently_seen():
    counts = MemoryCounts(max_keys=3, clock=Clock())
    for key in ("a", "b", "c"):
        await counts.take(key, 1, 60)
    await counts.take("a", 1, 60)  # "a" is seen again: "b" is now the oldest
    await counts.take("d", 1, 60)
    assert await counts.take("b", 1, 60)  # forgotten, so allowed again
    assert not await counts.take("a", 1, 60)


async def test_the_limiter_says_why_a_message_is_refused():
    limiter = Limiter(Limits(per_conversation=2, per_address=3, conversation_messages=4), "t")
    assert [await limiter.admit("one", "192.0.2.1") for _ in range(3)] == [None, None, SLOW_DOWN]
    assert await limiter.admit("two", "192.0.2.1") is None
    assert await limiter.admit("three", "192.0.2.1") == SLOW_DOWN  # the address is spent
    assert await limiter.admit("three", None) is None  # a local caller: no address limit

    capped = Limiter(Limits(per_conversation=0, per_address=0, conversation_messages=2), "t")
    verdicts = [await capped.admit("long", None) for _ in range(4)]
    assert verdicts == [None, None, CONVERSATION_FULL, CONVERSATION_FULL]


async def test_rates_only_has_no_length_cap():
    limiter = Limiter.rates_only(Limits(per_conversation=0, conversation_messages=1), "t")
    assert [await limiter.admit("c", None) for _ in range(3)] == [None, None, None]


def test_settings_come_from_the_environment_and_bad_values_are_named():
    settings = ChannelSettings.from_env(
        {"RATE_LIMIT_PER_CONVERSATION": "5", "ACTION_TIMEOUT": "0.5", "MAX_MESSAGE_CHARS": "80"}
    )
    assert settings.limits.per_conversation == 5
    assert settings.limits.per_address == Limits.per_address
    assert (settings.action_timeout, settings.max_message_chars) == (0.5, 80)
    assert ChannelSettings.from_env({}) == ChannelSettings()
    for env, named in [
        ({"RATE_LIMIT_PER_ADDRESS": "many"}, "RATE_LIMIT_PER_ADDRESS"),
        ({"MAX_CONVERSATION_MESSAGES": "-1"}, "MAX_CONVERSATION_MESSAGES"),
        ({"ACTION_TIMEOUT": "0"}, "ACTION_TIMEOUT"),
        ({"REPLY_TIMEOUT": "soon"}, "REPLY_TIMEOUT"),
        ({"REDIS_URL": "localhost:6379"}, "REDIS_URL"),
    ]:
        with pytest.raises(SettingsError, match=named):
            ChannelSettings.from_env(env)


# ---- Redis, the real one on this machine ------------------------------------------------


@pytest.fixture
async def redis_counts():
    counts = RedisCounts(REDIS_URL, prefix=f"test-guard-{uuid.uuid4().hex}:")
    try:
        await counts._redis.ping()
    except OSError as error:
        pytest.fail(f"Redis at {REDIS_URL} is needed for this test: {error}")
    yield counts
    keys = [key async for key in counts._redis.scan_iter(match=f"{counts._prefix}*")]
    if keys:
        await counts._redis.delete(*keys)
    await counts._redis.close()


async def test_redis_keeps_the_same_window_and_count(redis_counts):
    assert [await redis_counts.take("k", 3, 60) for _ in range(4)] == [True, True, True, False]
    # A window that has passed leaves room again. (Not a 1 ms window right after the takes
    # above: on a fast machine all of them fit in the same millisecond.)
    assert [await redis_counts.take("w", 2, 1.0) for _ in range(3)] == [True, True, False]
    await asyncio.sleep(1.1)
    assert await redis_counts.take("w", 2, 1.0)
    assert [await redis_counts.count("c", idle=60) for _ in range(3)] == [1, 2, 3]
    ttl = await redis_counts._redis.ttl(f"{redis_counts._prefix}c")
    assert 0 < ttl <= 60


async def test_two_workers_sharing_redis_share_the_limit(redis_counts):
    other_worker = RedisCounts(REDIS_URL, prefix=redis_counts._prefix)
    limits = Limits(per_conversation=2, per_address=0, conversation_messages=0)
    first, second = Limiter(limits, "t", redis_counts), Limiter(limits, "t", other_worker)
    assert await first.admit("c", None) is None
    assert await second.admit("c", None) is None
    assert await first.admit("c", None) == SLOW_DOWN
    await other_worker._redis.close()


async def test_when_redis_is_down_messages_pass_and_it_is_logged(closed_port, caplog):
    counts = RedisCounts(f"redis://127.0.0.1:{closed_port}/0")
    assert await counts.take("k", 1, 60)
    assert await counts.take("k", 1, 60)
    assert await counts.count("c", idle=60) == 0
    assert "Redis failed (ConnectionError)" in caplog.text
