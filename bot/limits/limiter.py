"""Rate limits per conversation and per address, and the cap on a conversation's length.

Counts live in this process's memory unless REDIS_URL names a Redis, which every worker
and host then shares. In memory each worker counts on its own: with N workers a visitor
whose messages are spread over them can send up to N times a limit.

Limits are sliding windows of one minute (the times of the messages let through, so a
burst at the turn of a minute gets no double allowance). A message turned away is not
counted, so a visitor who waits is let through again.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import OrderedDict, deque
from dataclasses import replace
from typing import Any, Protocol

from bot.limits.address import address_key
from bot.limits.settings import Limits

logger = logging.getLogger(__name__)

SLOW_DOWN = "slow-down"
CONVERSATION_FULL = "conversation-full"
WINDOW = 60.0  # seconds: the limits are messages a minute
IDLE_RESET = 24 * 3600  # a conversation's message count is forgotten after a quiet day
MAX_KEYS = 100_000  # conversations and addresses remembered in memory, least recent dropped


class Counts(Protocol):
    async def take(self, key: str, limit: int, period: float) -> bool:
        """Count one message under `key` if fewer than `limit` came in the last `period` s."""

    async def count(self, key: str, idle: float) -> int:
        """Count one message under `key`; return its total (reset after `idle` quiet s)."""


class MemoryCounts:
    def __init__(self, max_keys: int = MAX_KEYS, clock=time.monotonic):
        self._windows: OrderedDict[str, deque[float]] = OrderedDict()
        self._totals: OrderedDict[str, tuple[int, float]] = OrderedDict()
        self._max_keys = max_keys
        self._clock = clock

    async def take(self, key: str, limit: int, period: float) -> bool:
        now = self._clock()
        window = self._windows.pop(key, None) or deque()
        while window and window[0] <= now - period:
            window.popleft()
        allowed = len(window) < limit
        if allowed:
            window.append(now)
        self._keep(self._windows, key, window)
        return allowed

    async def count(self, key: str, idle: float) -> int:
        now = self._clock()
        total, last = self._totals.pop(key, (0, now))
        total = 1 if now - last > idle else total + 1
        self._keep(self._totals, key, (total, now))
        return total

    def _keep(self, store: OrderedDict, key: str, value: Any) -> None:
        store[key] = value  # (re)inserted last: the most recently used
        while len(store) > self._max_keys:
            store.popitem(last=False)


# Trim the window, refuse when full, else add this message; atomic inside Redis.
TAKE_SCRIPT = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
"""


class RedisCounts:
    """The same counts in Redis. If Redis fails, messages pass (logged): limits protect the
    assistant, and an outage of the limiter must not become an outage of the assistant."""

    def __init__(self, url: str, prefix: str = "cps-careers:guard:"):
        import redis.asyncio as redis  # only needed when REDIS_URL is set

        self._errors = (redis.RedisError, OSError)
        self._redis = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self._take = self._redis.register_script(TAKE_SCRIPT)
        self._prefix = prefix

    async def take(self, key: str, limit: int, period: float) -> bool:
        now_ms = int(time.time() * 1000)
        member = f"{now_ms}:{uuid.uuid4().hex[:8]}"
        try:
            args = [now_ms, int(period * 1000), limit, member]
            return bool(await self._take(keys=[self._prefix + key], args=args))
        except self._errors as error:
            logger.warning("rate limit not applied: Redis failed (%s)", type(error).__name__)
            return True

    async def count(self, key: str, idle: float) -> int:
        try:
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.incr(self._prefix + key).expire(self._prefix + key, int(idle))
                total, _ = await pipe.execute()
            return int(total)
        except self._errors as error:
            logger.warning("length cap not applied: Redis failed (%s)", type(error).__name__)
            return 0


class Limiter:
    """Says whether one more message may pass, and if not, why (SLOW_DOWN, CONVERSATION_FULL).

    `scope` keeps the counts of the web app and of Rasa's channels apart in a shared Redis,
    where one widget message passes both.
    """

    def __init__(self, limits: Limits, scope: str, counts: Counts | None = None):
        self.limits = limits
        self.scope = scope
        if counts is None:
            counts = RedisCounts(limits.redis_url) if limits.redis_url else MemoryCounts()
        self.counts = counts

    @classmethod
    def rates_only(cls, limits: Limits, scope: str) -> Limiter:
        """No length cap: for a front end whose conversations Rasa's channel caps."""
        return cls(replace(limits, conversation_messages=0), scope)

    async def admit(self, conversation: str, address: str | None) -> str | None:
        limits, scope = self.limits, self.scope
        address = address_key(address)  # an IPv6 visitor counts per /64
        if limits.per_conversation and not await self.counts.take(
            f"{scope}:conversation:{conversation}", limits.per_conversation, WINDOW
        ):
            return SLOW_DOWN
        if (
            address
            and limits.per_address
            and not await self.counts.take(f"{scope}:address:{address}", limits.per_address, WINDOW)
        ):
            return SLOW_DOWN
        if limits.conversation_messages:
            total = await self.counts.count(f"{scope}:messages:{conversation}", IDLE_RESET)
            if total > limits.conversation_messages:
                return CONVERSATION_FULL
        return None
