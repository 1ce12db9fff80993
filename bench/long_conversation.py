"""The long-conversation scenario: does a turn cost more the longer the conversation?

A few visitors each hold ONE conversation of many turns (100 by default), drawn like the
load's conversations (bench.conversations: questions, follow-ups, button clicks, ratings)
one plan after another under the same conversation id, with a pause between turns so that
the server is not saturated and each turn's latency is its own, and so that the
conversation stays under the channels' limit of RATE_LIMIT_PER_CONVERSATION (20) messages
a minute: a turn over it would be answered "please slow down" without reaching the
dialogue, and is counted as an error (stock Rasa has no such limit). The result is the
median latency of each turn number over the visitors, and the medians of the first ten
and the last ten turns.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import uuid
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field

import aiohttp

from bench.contract import reply_topic
from bench.conversations import Pools, Rate, Turn, message_for, plan
from bench.load import RestClient

TURNS, VISITORS, PAUSE_SECONDS = 100, 2, 3.2
SLOW_DOWN = "slow-down"  # the topic of the channels' rate-limit reply (bot/limits)
EDGE = 10  # turns compared at each end


@dataclass
class LongResult:
    turns: int
    visitors: int
    pause_seconds: float
    latencies_ms: list[list[float | None]] = field(default_factory=list)  # per visitor, per turn
    errors: int = 0

    def by_turn(self) -> list[float | None]:
        """The median latency of each turn number over the visitors (None: no reply)."""
        medians = []
        for number in range(self.turns):
            seen = [v[number] for v in self.latencies_ms if number < len(v) and v[number]]
            medians.append(statistics.median(seen) if seen else None)
        return medians

    def _median(self, numbers: range) -> float | None:
        seen = [v[n] for v in self.latencies_ms for n in numbers if n < len(v) and v[n]]
        return statistics.median(seen) if seen else None

    @property
    def first_ms(self) -> float | None:
        return self._median(range(min(EDGE, self.turns)))

    @property
    def last_ms(self) -> float | None:
        return self._median(range(max(0, self.turns - EDGE), self.turns))

    @property
    def ratio(self) -> float | None:
        first, last = self.first_ms, self.last_ms
        return last / first if first and last else None


def endless_turns(rng: random.Random, pools: Pools) -> Iterator[Turn]:
    """One planned conversation after another, to be played as a single conversation."""
    while True:
        yield from plan(rng, pools)


async def long_visitor(
    client: RestClient, pools: Pools, rng: random.Random, turns: int, pause: float
) -> tuple[list[float | None], int]:
    conversation_id = uuid.uuid4().hex
    latencies: list[float | None] = []
    errors = 0
    previous: list = []
    for turn in endless_turns(rng, pools):
        if len(latencies) >= turns:
            break
        text = message_for(turn, previous, rng)
        if text is None:
            continue
        outcome = await client.send(conversation_id, text, answer=not isinstance(turn, Rate))
        limited = not outcome.error and reply_topic(outcome.messages) == SLOW_DOWN
        answered = outcome.latency is not None and not limited
        latencies.append(outcome.latency * 1000 if answered else None)
        if outcome.error or limited:
            errors += 1  # the conversation goes on: its length is what is measured
        else:
            previous = outcome.messages
        await asyncio.sleep(pause)
    return latencies, errors


async def run_long(
    rasa_urls: Sequence[str],
    pools: Pools,
    knowledge_topics: Collection[str],
    *,
    turns: int = TURNS,
    visitors: int = VISITORS,
    pause: float = PAUSE_SECONDS,
    seed: int = 0,
    timeout: float = 30,
) -> LongResult:
    result = LongResult(turns, visitors, pause)
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session:
        client = RestClient(session, rasa_urls, knowledge_topics)
        done = await asyncio.gather(
            *(
                long_visitor(client, pools, random.Random(seed * 1000 + i), turns, pause)  # noqa: S311
                for i in range(visitors)
            )
        )
    for latencies, errors in done:
        result.latencies_ms.append(latencies)
        result.errors += errors
    return result
