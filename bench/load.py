"""Closed-loop simulated visitors over Rasa's REST channel.

Each visitor holds one conversation after another (a new random conversation id
each time) and sends its next message as soon as the reply arrives: no think
time, so the figures measure the server, not the visitors. A run stops after a
number of messages or seconds, whichever comes first.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
import zlib
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

import aiohttp

from bench.contract import Messages, contract_error
from bench.conversations import Pools, Rate, message_for, plan

EXAMPLES_KEPT = 5


@dataclass
class Budget:
    """How much a run sends: at most `messages`, and none after `seconds`."""

    messages: int | None = None
    seconds: float | None = None
    claimed: int = 0
    _deadline: float | None = None

    def __post_init__(self) -> None:
        if self.messages is None and self.seconds is None:
            raise ValueError("a run needs a message count or a duration")

    def start(self) -> None:
        if self.seconds is not None:
            self._deadline = time.monotonic() + self.seconds

    def claim(self) -> bool:
        """May one more message be sent?"""
        if self.messages is not None and self.claimed >= self.messages:
            return False
        if self._deadline is not None and time.monotonic() >= self._deadline:
            return False
        self.claimed += 1
        return True


@dataclass
class Outcome:
    latency: float | None  # seconds; None when no reply came back
    messages: Messages
    error: str | None


@dataclass
class LevelRun:
    visitors: int
    sent: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)  # a few failed turns, to debug with

    def record(self, text: str, outcome: Outcome) -> None:
        self.sent += 1
        if outcome.latency is not None:
            self.latencies.append(outcome.latency)
        if outcome.error:
            self.errors[outcome.error.split(":")[0]] += 1
            if len(self.examples) < EXAMPLES_KEPT:
                self.examples.append(f"{text!r}: {outcome.error}")


def route(conversation_id: str, urls: Sequence[str]) -> str:
    """The Rasa instance for a conversation: always the same one, as the load balancer does.

    Rasa's open-source Redis lock store is not safe when two instances take the same
    conversation at once (RasaHQ/rasa#9213), so a conversation stays on one instance.
    """
    return urls[zlib.crc32(conversation_id.encode()) % len(urls)]


class RestClient:
    def __init__(
        self, session: aiohttp.ClientSession, rasa_urls: Sequence[str], knowledge_topics
    ) -> None:
        self.session = session
        self.webhooks = [f"{url}/webhooks/rest/webhook" for url in rasa_urls]
        self.knowledge_topics = knowledge_topics

    async def send(self, conversation_id: str, text: str, *, answer: bool = True) -> Outcome:
        """Send one message. `answer`: the reply answers it (a rating's reply only thanks)."""
        url = route(conversation_id, self.webhooks)
        started = time.perf_counter()
        try:
            async with self.session.post(
                url, json={"sender": conversation_id, "message": text}
            ) as response:
                body = await response.json(content_type=None) if response.status == 200 else None
                latency = time.perf_counter() - started
                if response.status != 200:
                    return Outcome(latency, [], f"HTTP {response.status}")
        except asyncio.TimeoutError:
            return Outcome(None, [], "timeout")
        except aiohttp.ClientError as error:
            return Outcome(None, [], f"connection: {error}")
        except ValueError:
            return Outcome(time.perf_counter() - started, [], "not JSON")
        # The thanks for a rating carries the rated topic but is no knowledge answer.
        broken = contract_error(body, self.knowledge_topics if answer else ())
        if broken:
            return Outcome(latency, [], broken)
        return Outcome(latency, body, None)


async def visitor(
    client: RestClient, pools: Pools, rng: random.Random, budget: Budget, run: LevelRun
) -> None:
    while True:
        conversation_id = uuid.uuid4().hex
        previous: Messages = []
        for turn in plan(rng, pools):
            text = message_for(turn, previous, rng)
            if text is None:
                continue
            if not budget.claim():
                return
            outcome = await client.send(conversation_id, text, answer=not isinstance(turn, Rate))
            run.record(text, outcome)
            if outcome.error:
                break  # a visitor who got no proper answer leaves; the next one starts afresh
            previous = outcome.messages


async def run_level(
    rasa_urls: Sequence[str],
    visitors: int,
    budget: Budget,
    pools: Pools,
    knowledge_topics: Collection[str],
    *,
    seed: int = 0,
    timeout: float = 30,
) -> LevelRun:
    """`visitors` concurrent visitors until `budget` is spent."""
    run = LevelRun(visitors=visitors)
    connector = aiohttp.TCPConnector(limit=visitors)
    async with aiohttp.ClientSession(
        connector=connector, timeout=aiohttp.ClientTimeout(total=timeout)
    ) as session:
        client = RestClient(session, rasa_urls, knowledge_topics)
        budget.start()
        started = time.perf_counter()
        await asyncio.gather(
            *(
                visitor(client, pools, random.Random(seed * 1000 + i), budget, run)  # noqa: S311
                for i in range(visitors)
            )
        )
        run.seconds = time.perf_counter() - started
    return run
