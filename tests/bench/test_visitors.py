"""The visitors against a stand-in for Rasa's REST channel (a local aiohttp server).

Fast and without Rasa: what is sent, how replies are judged, when visitors stop.
"""

import asyncio
import re
from collections import Counter

import aiohttp
import pytest
from aiohttp import web

from bench.conversations import Pools
from bench.load import Budget, RestClient, run_level
from bot.ops.services import free_port

POOLS = Pools(greetings=("hello",), goodbyes=("bye",), questions=("what does it pay",))
ANSWER = [
    {"text": "Pay ...", "buttons": [{"title": "More", "payload": "/tell-me-more"}]},
    {"custom": {"topic": "salary", "source": "https://example.org", "reviewed": "2026-01-01"}},
]
THANKS = [{"text": "Thanks", "custom": {"topic": "salary"}}]  # a rating's reply: no source


class FakeRasa:
    def __init__(self, reply=None, status=200, delay=0.0):
        self.reply, self.status, self.delay = reply, status, delay
        self.received: list[dict] = []

    async def webhook(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.received.append(body)
        await asyncio.sleep(self.delay)
        if self.reply is not None:
            return web.json_response(self.reply, status=self.status)
        return web.json_response(THANKS if body["message"].startswith("/feedback") else ANSWER)


@pytest.fixture
async def serve():
    runners = []

    async def start(fake: FakeRasa) -> str:
        app = web.Application()
        app.router.add_post("/webhooks/rest/webhook", fake.webhook)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        runners.append(runner)
        port = runner.addresses[0][1]
        return f"http://127.0.0.1:{port}"

    yield start
    for runner in runners:
        await runner.cleanup()


async def send_once(url, text="hi", timeout=5.0, answer=True):
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=timeout)) as session:
        client = RestClient(session, [url], knowledge_topics={"salary"})
        return await client.send("c0ffee" * 5 + "00", text, answer=answer)


async def test_a_contract_answer_is_a_success_with_its_latency(serve):
    outcome = await send_once(await serve(FakeRasa(reply=ANSWER)))
    assert outcome.error is None
    assert outcome.messages == ANSWER
    assert 0 < outcome.latency < 5


@pytest.mark.parametrize(
    ("fake", "error"),
    [
        (FakeRasa(reply=[{"text": "no topic"}]), "contract: 0 topic payloads"),
        (FakeRasa(reply=THANKS), "contract: knowledge answer on salary without an https source"),
        (FakeRasa(reply={"error": "boom"}, status=500), "HTTP 500"),
        (FakeRasa(reply=ANSWER, delay=6.0), "timeout"),
    ],
)
async def test_failures_are_errors_of_their_kind(serve, fake, error):
    outcome = await send_once(await serve(fake), timeout=3.0)  # room for a loaded machine
    assert outcome.error.startswith(error)


async def test_a_ratings_thanks_needs_no_source(serve):
    outcome = await send_once(await serve(FakeRasa(reply=THANKS)), answer=False)
    assert outcome.error is None


async def test_an_unreachable_server_is_a_connection_error():
    outcome = await send_once(f"http://127.0.0.1:{free_port()}")  # nothing listens there
    assert outcome.error.startswith("connection")


async def test_visitors_send_exactly_the_budget_in_fresh_conversations(serve):
    fake = FakeRasa()
    url = await serve(fake)
    run = await run_level([url], 5, Budget(messages=200), POOLS, {"salary"}, seed=1)
    assert run.sent == len(fake.received) == 200
    assert not run.errors
    assert len(run.latencies) == 200 and run.seconds > 0
    senders = Counter(body["sender"] for body in fake.received)
    assert all(re.fullmatch(r"[0-9a-f]{32}", sender) for sender in senders)
    assert len(senders) > 200 / 10  # conversations are short: many visitors, none shared
    messages = {body["message"] for body in fake.received}
    assert {"hello", "what does it pay", "bye", "tell me more", "/tell-me-more"} <= messages
    assert any(m.startswith('/feedback{"rating": ') for m in messages)


async def test_a_visitor_who_gets_no_answer_starts_a_new_conversation(serve):
    fake = FakeRasa(reply=[{"text": "no topic"}])
    run = await run_level([await serve(fake)], 1, Budget(messages=10), POOLS, {"salary"})
    assert run.errors == {"contract": 10}
    assert len({body["sender"] for body in fake.received}) == 10


async def test_conversations_are_spread_over_instances_and_stay_on_theirs(serve):
    fakes = [FakeRasa(), FakeRasa()]
    urls = [await serve(fake) for fake in fakes]
    await run_level(urls, 4, Budget(messages=120), POOLS, {"salary"})
    first, second = ({body["sender"] for body in fake.received} for fake in fakes)
    assert first and second and not first & second
