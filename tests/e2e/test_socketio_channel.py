"""The socket.io channel delivers the same messages as REST (answer contract, point 6)."""

import asyncio

import pytest
import socketio
from assistant_client import new_sender

from bot.knowledge import load_knowledge

pytestmark = pytest.mark.e2e


async def ask_over_socketio(
    url: str, session_id: str, message: str, metadata: dict | None = None
) -> list:
    client = socketio.AsyncClient()
    received: list = []
    confirmed = asyncio.Event()
    answered = asyncio.Event()

    @client.on("session_confirm")
    async def on_confirm(_data):
        confirmed.set()

    @client.on("bot_uttered")
    async def on_bot_uttered(data):
        received.append(data)
        if "custom" in data:
            answered.set()

    await client.connect(url, transports=["polling"], socketio_path="/socket.io")
    try:
        await client.emit("session_request", {"session_id": session_id})
        await asyncio.wait_for(confirmed.wait(), 10)
        uttered = {"message": message, "session_id": session_id}
        if metadata is not None:
            uttered["metadata"] = metadata  # the widget sends the chosen language
        await client.emit("user_uttered", uttered)
        await asyncio.wait_for(answered.wait(), 30)
    finally:
        await client.disconnect()
    return received


def test_socketio_answers_carry_the_contract_payload(assistant):
    entry = load_knowledge().entries["pension"]
    received = asyncio.run(ask_over_socketio(assistant.rasa_url, new_sender(), "/pension"))
    texts = [m["text"] for m in received if "text" in m]
    payloads = [m["custom"] for m in received if "custom" in m]
    assert "\n\n".join(texts) == entry.answer.strip()
    assert payloads == [
        {
            "topic": "pension",
            "source": entry.source,
            "reviewed": entry.reviewed.isoformat(),
            "title": entry.title,
            "subject": "pension",
            "rateable": True,
            "lang": "en",
        }
    ]


def test_socketio_keeps_the_chosen_language_and_answers_in_it(assistant):
    entry = load_knowledge().entries["pension"]
    received = asyncio.run(
        ask_over_socketio(assistant.rasa_url, new_sender(), "/pension", {"lang": "cy", "x": 1})
    )
    payloads = [m["custom"] for m in received if "custom" in m]
    texts = [m["text"] for m in received if "text" in m]
    assert payloads[0]["lang"] == "cy"
    assert "\n\n".join(texts) == entry.text("answer", "cy").text.strip()
