"""The socket.io channel passes messages through the same guards as REST."""

from __future__ import annotations

import asyncio

import pytest
import requests
import socketio
from assistant_client import new_sender
from channel_client import KB

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


def test_socketio_responses_carry_the_security_headers(assistant):
    response = requests.get(
        assistant.rasa_url + "/socket.io/", params={"EIO": "4", "transport": "polling"}, timeout=10
    )
    assert response.status_code == 200
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, name
