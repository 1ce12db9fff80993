"""The soak's load: many conversations held at once, while components are restarted.

Each simulated visitor holds one conversation for the whole run: a message, the reply,
a pause to read it (the think time), the next message, drawn as `make bench` draws them
(bench/conversations.py: held-out questions, follow-ups that rely on context, button
presses, ratings). Every conversation stays on one Rasa instance, chosen by a hash of its
id as the deployment's router does (bench.load.route), and, like that router, only while
the instance passes its health check: a message for an instance that is down (being
restarted) waits until it is back, and one that meets it going down is sent again then.

Meanwhile the action server is restarted at a quarter of the run and the last Rasa
instance at half of it; each restart is timed.
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from bench.contract import Messages
from bench.conversations import Pools, message_for, plan
from bench.load import route
from bot.limits.settings import env_float, env_int
from bot.ops import PROJECT_ROOT
from bot.ops.services import Service

APOLOGY = "unavailable"  # the notice bot/channels/guard.py answers a failed turn with
# A restart's effects (a cold instance, a reconnecting pool) can outlast its "healthy"
# moment by a little; apologies this soon after still count as the restart's.
RESTART_MARGIN = 10.0
# A message sent this long before a stop can still meet it: the turn takes up to the
# channel's REPLY_TIMEOUT (3 s) and a busy machine adds to that.
TURN_IN_PROGRESS = 5.0
WARM_UP_ROUNDS, WARM_UP_CONCURRENCY = 3, 4  # per Rasa instance, before the clock starts


@dataclass(frozen=True)
class SoakSettings:
    conversations: int = 300
    seconds: float = 180.0
    # Seconds a visitor reads before the next message. At least 3: the channel lets one
    # conversation send 20 messages a minute (RATE_LIMIT_PER_CONVERSATION).
    think_min: float = 10.0
    think_max: float = 30.0
    restart_timeout: float = 300.0  # the longest a restarted component may take to answer
    reply_timeout: float = 30.0  # a reply slower than this counts as none
    report: Path = PROJECT_ROOT / "docs" / "soak.md"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SoakSettings:
        env = os.environ if env is None else env
        settings = cls(
            conversations=env_int(env, "SOAK_CONVERSATIONS", cls.conversations, 1, 5000),
            seconds=env_float(env, "SOAK_SECONDS", cls.seconds, 20, 3600),
            think_min=env_float(env, "SOAK_THINK_MIN", cls.think_min, 3, 600),
            think_max=env_float(env, "SOAK_THINK_MAX", cls.think_max, 3, 600),
            restart_timeout=env_float(env, "SOAK_RESTART_TIMEOUT", cls.restart_timeout, 30, 1800),
            report=Path(env.get("SOAK_REPORT") or cls.report),
        )
        if settings.think_max < settings.think_min:
            raise ValueError("SOAK_THINK_MAX must not be less than SOAK_THINK_MIN")
        return settings


@dataclass
class Turn:
    """One message sent and what came back."""

    text: str
    sent_at: float  # time.time() of the first attempt
    attempts: int = 0
    held: bool = False  # waited for its Rasa instance to come back
    latency: float | None = None  # seconds, of the attempt that was answered
    waited: float | None = None  # seconds from the first attempt to the reply
    reply: Messages | None = None
    error: str | None = None

    @property
    def notice(self) -> str | None:
        """Which channel notice answered it, if one did (None for the assistant's answer)."""
        for message in self.reply or []:
            custom = message.get("custom")
            if isinstance(custom, dict) and "topic" in custom:
                return custom.get("notice")
        return None


@dataclass
class Conversation:
    id: str
    instance: int  # index of the Rasa instance its turns go to
    turns: list[Turn] = field(default_factory=list)


@dataclass
class Restart:
    name: str
    stopped_at: float  # time.time()
    back_at: float | None = None
    error: str | None = None

    def covers(self, moment: float) -> bool:
        end = (self.back_at or float("inf")) + RESTART_MARGIN
        return self.stopped_at - TURN_IN_PROGRESS <= moment <= end


class Instance:
    """One Rasa instance as the router sees it: up or down by its health check.

    Like the deployment's HAProxy router (`check ... fall 2 rise 2`): two failed checks in
    a row take it out, two good ones bring it back. A Rasa instance with several workers
    accepts connections a minute or more before it can answer them (Sanic binds the port
    before the workers load the model), so a working connection proves nothing.
    """

    FALL, RISE, EVERY = 2, 2, 1.0  # checks, checks, seconds

    def __init__(self, url: str):
        self.url = url
        self.webhook = f"{url}/webhooks/rest/webhook"
        self.up = asyncio.Event()
        self.up.set()  # started healthy (Stack.start waited for it)

    async def watch(self, session: aiohttp.ClientSession) -> None:
        failed = passed = 0
        while True:
            try:
                timeout = aiohttp.ClientTimeout(total=2)
                async with session.get(f"{self.url}/webhooks/rest/", timeout=timeout) as response:
                    healthy = response.status == 200
            except (aiohttp.ClientError, asyncio.TimeoutError):
                healthy = False
            failed, passed = (0, passed + 1) if healthy else (failed + 1, 0)
            if failed >= self.FALL:
                self.up.clear()
            elif passed >= self.RISE:
                self.up.set()
            await asyncio.sleep(self.EVERY)


class Visitors:
    """Sends each conversation's messages to its own Rasa instance, while it is up."""

    def __init__(self, session: aiohttp.ClientSession, rasa_urls: Sequence[str], give_up: float):
        self.session = session
        self.instances = [Instance(url) for url in rasa_urls]
        self.give_up = give_up  # time.monotonic() after which a restarted instance is not awaited

    def instance(self, conversation_id: str) -> int:
        urls = [instance.url for instance in self.instances]
        return urls.index(route(conversation_id, urls))

    async def _until_up(self, instance: Instance) -> bool:
        try:
            await asyncio.wait_for(instance.up.wait(), max(0.0, self.give_up - time.monotonic()))
        except asyncio.TimeoutError:
            return False
        return True

    async def send(self, conversation: Conversation, text: str) -> Turn:
        turn = Turn(text=text, sent_at=time.time())
        conversation.turns.append(turn)
        instance = self.instances[conversation.instance]
        first = time.perf_counter()
        while True:
            turn.held = turn.held or not instance.up.is_set()
            if not await self._until_up(instance):
                turn.error = "its Rasa instance did not come back"
                return turn
            turn.attempts += 1
            started = time.perf_counter()
            try:
                body = {"sender": conversation.id, "message": text}
                async with self.session.post(instance.webhook, json=body) as response:
                    if response.status != 200:
                        turn.error = f"HTTP {response.status}"
                        return turn
                    turn.reply = await response.json(content_type=None)
            except aiohttp.ClientConnectionError:
                # Refused, or cut before an answer: the instance went down since the last
                # check. Send it again when the router sees the instance up.
                turn.held = True
                await asyncio.sleep(Instance.EVERY)
                continue
            except asyncio.TimeoutError:
                turn.error = "no reply in time"
                return turn
            turn.latency = time.perf_counter() - started
            turn.waited = time.perf_counter() - first
            return turn


async def hold_conversation(
    visitors: Visitors,
    conversation: Conversation,
    pools: Pools,
    settings: SoakSettings,
    deadline: float,
    rng: random.Random,
) -> None:
    """One visitor: messages with pauses between them until `deadline` (time.monotonic())."""
    await asyncio.sleep(rng.uniform(0, settings.think_max))  # visitors arrive over a while
    previous: Messages = []
    while True:
        for step in plan(rng, pools):
            text = message_for(step, previous, rng)
            if text is None:
                continue
            if time.monotonic() >= deadline:
                return
            turn = await visitors.send(conversation, text)
            if turn.reply is None:
                return  # no answer: this visitor gives up, and the check reports it
            previous = turn.reply
            await asyncio.sleep(rng.uniform(settings.think_min, settings.think_max))


async def restart(service: Service, timeout: float) -> Restart:
    record = Restart(name=service.name, stopped_at=time.time())
    try:
        await asyncio.to_thread(service.stop)
        await asyncio.to_thread(service.start)
        await asyncio.to_thread(service.wait_until_healthy, timeout)
        record.back_at = time.time()
    except Exception as error:  # the report says what went wrong; the check fails on it
        record.error = f"{type(error).__name__}: {error}"
    return record


async def restart_during(
    schedule: Sequence[tuple[float, Service]], started: float, timeout: float
) -> list[Restart]:
    """Restart each service `seconds` after `started` (time.monotonic()), one after another."""
    done = []
    for seconds, service in schedule:
        await asyncio.sleep(max(0.0, started + seconds - time.monotonic()))
        done.append(await restart(service, timeout))
    return done


async def warm_up(session: aiohttp.ClientSession, rasa_urls: Sequence[str], pools: Pools) -> None:
    """A few messages to every Rasa worker before the clock starts: a worker's first answers
    are slow while TensorFlow builds its graphs, and the channel would answer them with the
    apology. (After the restart the instance is cold again; those count as the restart's.)"""

    async def ask(instance: int, number: int) -> None:
        # One conversation per instance and number: a conversation stays on one instance.
        body = {"sender": f"warm-up-{instance}-{number}", "message": pools.questions[number]}
        webhook = f"{rasa_urls[instance]}/webhooks/rest/webhook"
        async with session.post(webhook, json=body) as response:
            await response.read()

    for _ in range(WARM_UP_ROUNDS):
        await asyncio.gather(
            *(ask(i, n) for i in range(len(rasa_urls)) for n in range(WARM_UP_CONCURRENCY))
        )


@dataclass
class SoakRun:
    conversations: list[Conversation]
    restarts: list[Restart]
    started_at: float  # time.time()
    seconds: float  # wall time, until the last reply


async def soak(
    rasas: Sequence[Service], actions: Service, pools: Pools, settings: SoakSettings, seed: int = 0
) -> SoakRun:
    rng = random.Random(seed)  # noqa: S311 (simulated visitors, not security)
    connector = aiohttp.TCPConnector(limit=settings.conversations)
    timeout = aiohttp.ClientTimeout(total=settings.reply_timeout)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        await warm_up(session, [rasa.url for rasa in rasas], pools)
        started_at, started = time.time(), time.monotonic()
        deadline = started + settings.seconds
        visitors = Visitors(
            session, [rasa.url for rasa in rasas], give_up=deadline + settings.restart_timeout
        )
        conversations = []
        for _ in range(settings.conversations):
            conversation_id = f"soak-{rng.getrandbits(64):016x}"
            conversations.append(Conversation(conversation_id, visitors.instance(conversation_id)))
        schedule = [(settings.seconds / 4, actions), (settings.seconds / 2, rasas[-1])]
        watchers = [asyncio.create_task(i.watch(session)) for i in visitors.instances]
        restarts, *_ = await asyncio.gather(
            restart_during(schedule, started, settings.restart_timeout),
            *(
                hold_conversation(
                    visitors,
                    c,
                    pools,
                    settings,
                    deadline,
                    random.Random(rng.random()),  # noqa: S311
                )
                for c in conversations
            ),
        )
        for watcher in watchers:
            watcher.cancel()
    return SoakRun(conversations, restarts, started_at, time.monotonic() - started)
