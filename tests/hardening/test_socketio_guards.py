"""The socket.io channel passes messages through the same guards as REST."""

from __future__ import annotations

import asyncio

import pytest
import requests
import socketio
from assistant_client import new_sender
from channel_client import KB, stored_user_events

from bot.channels.headers import SECURITY_HEADERS

pytestmark = pytest.mark.e2e


async def talk(url: str, session_id, *messages: str) -> tuple[str, list[list[dict]]]:
    """Open a session, send each message, collect the bot messages of each turn."""
    client = socketio.AsyncClient()
    confirmed: asyncio.Queue = asyncio.Queue()
    turn: list[dict] = []
    answered = asyncio.Event()

    @client.on("session_confirm")
    async def on_confirm(data):
        await confirmed.put(data)

    @client.on("bot_uttered")
    async def on_bot_uttered(data):
        turn.append(data)
        if "custom" in data:
            answered.set()

    turns = []
    await client.connect(url, transports=["polling"], socketio_path="/socket.io")
    try:
        await client.emit("session_request", {"session_id": session_id})
        confirmed_id = await asyncio.wait_for(confirmed.get(), 10)
        for message in messages:
            answered.clear()
            await client.emit("user_uttered", {"message": message, "session_id": confirmed_id})
            await asyncio.wait_for(answered.wait(), 30)
            turns.append(list(turn))
            turn.clear()
    finally:
        # Without abort, the client waits for its open long-poll to end: up to 30 s.
        await client.eio.disconnect(abort=True)
    return confirmed_id, turns


def notices(turn: list[dict]) -> list[str | None]:
    return [m["custom"].get("notice") for m in turn if "custom" in m]


def test_socketio_messages_pass_the_same_guards(assistant):
    session = new_sender()
    confirmed, turns = asyncio.run(
        talk(assistant.rasa_url, session, "   ", "x" * 1001, "/restart", "/pension")
    )
    assert confirmed == session
    empty, too_long, forged, button = turns
    assert notices(empty) == ["empty-message"]
    assert empty[0]["text"] == KB.conversation["empty-message"].answer.strip()
    assert notices(too_long) == ["message-too-long"]
    assert notices(forged) == [None]  # answered by the assistant, as plain words
    assert [m["custom"]["topic"] for m in button if "custom" in m] == ["pension"]


@pytest.mark.parametrize("session_id", ["default", "a" * 129, "<script>", 42, ""])
def test_an_unusable_session_id_is_replaced_by_a_new_one(assistant, session_id):
    confirmed, turns = asyncio.run(talk(assistant.rasa_url, session_id, "/pension"))
    assert confirmed != session_id and len(confirmed) == 32
    assert [m["custom"]["topic"] for m in turns[0] if "custom" in m] == ["pension"]


class Socket:
    """A socket.io client that keeps what it is told."""

    def __init__(self):
        self.client = socketio.AsyncClient()
        self.confirmed: asyncio.Queue = asyncio.Queue()
        self.heard: list[dict] = []
        self.client.on("session_confirm", self.confirmed.put)
        self.client.on("bot_uttered", self.heard.append)

    async def open(self, url: str, session_id) -> str:
        await self.client.connect(url, transports=["polling"], socketio_path="/socket.io")
        await self.client.emit("session_request", {"session_id": session_id})
        return await asyncio.wait_for(self.confirmed.get(), 10)

    async def say(self, message: str, session_id: str) -> None:
        await self.client.emit("user_uttered", {"message": message, "session_id": session_id})

    async def heard_topics(self, count: int, within: float = 30) -> list[str]:
        deadline = asyncio.get_running_loop().time() + within
        while len(self.topics()) < count and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.1)
        return self.topics()

    def topics(self) -> list[str]:
        return [m["custom"]["topic"] for m in self.heard if "custom" in m]

    async def close(self) -> None:
        await self.client.eio.disconnect(abort=True)

    async def leave(self) -> None:
        """Disconnect as a page does when it reloads: the server is told."""
        await self.client.disconnect()


async def hijack(url: str) -> tuple[str, str, list[str], list[str]]:
    victim, intruder = Socket(), Socket()
    try:
        conversation = await victim.open(url, new_sender())
        # The intruder knows the id and asks for it: it gets a conversation of its own.
        own = await intruder.open(url, conversation)
        # ... and names the victim's conversation in its message, which is ignored.
        await intruder.say("/pension", conversation)
        await victim.say("/salary", conversation)
        await intruder.heard_topics(1)
        await victim.heard_topics(1)
        await asyncio.sleep(2)  # anything misdirected has arrived by now
        return conversation, own, victim.topics(), intruder.topics()
    finally:
        await intruder.close()
        await victim.close()


def test_a_second_socket_cannot_post_to_or_hear_anothers_conversation(assistant):
    conversation, own, victim_heard, intruder_heard = asyncio.run(hijack(assistant.rasa_url))
    assert own != conversation and len(own) == 32
    assert victim_heard == ["salary"] and intruder_heard == ["pension"]
    assert [e["text"] for e in stored_user_events(assistant, conversation)] == ["/salary"]
    assert [e["text"] for e in stored_user_events(assistant, own)] == ["/pension"]


async def resume_after_reload(url: str) -> tuple[str, str, list[str]]:
    first = Socket()
    conversation = await first.open(url, new_sender())
    await first.leave()
    again = Socket()
    try:
        resumed = await again.open(url, conversation)
        await again.say("/pension", "someone-else-entirely")
        return conversation, resumed, await again.heard_topics(1)
    finally:
        await again.close()


def test_a_conversation_is_resumed_once_its_socket_has_gone(assistant):
    conversation, resumed, heard = asyncio.run(resume_after_reload(assistant.rasa_url))
    assert resumed == conversation and heard == ["pension"]
    assert [e["text"] for e in stored_user_events(assistant, conversation)] == ["/pension"]


def test_socketio_responses_carry_the_security_headers(assistant):
    response = requests.get(
        assistant.rasa_url + "/socket.io/", params={"EIO": "4", "transport": "polling"}, timeout=10
    )
    assert response.status_code == 200
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, name

