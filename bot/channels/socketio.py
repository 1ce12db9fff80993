"""Rasa's socket.io channel, delivering the answer contract's `custom` payload.

Rasa 3.6's socket.io output passes a custom payload to `emit` as keyword
arguments, which only works for payloads shaped like `emit`'s parameters: our
`{"topic": ..., "source": ...}` raises a TypeError and the message is lost.
This channel emits it as `{"custom": {...}}`, the same shape the REST channel
returns, so the widget and any other client read both channels alike.

It also awaits `enter_room`: the python-socketio that Rasa 3.6's pins resolve to
(5.x) made it a coroutine, Rasa calls it without `await`, so with session
persistence no reply ever reached the client.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput


class ContractSocketIOOutput(SocketIOOutput):
    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


class ContractSocketIOInput(SocketIOInput):
    """Same protocol and settings as Rasa's `socketio` channel."""

    def get_output_channel(self) -> ContractSocketIOOutput | None:
        if self.sio is None:
            return None
        return ContractSocketIOOutput(self.sio, self.bot_message_evt)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> SocketBlueprint:
        blueprint = super().blueprint(on_new_message)

        # Replaces Rasa's handler, which never joins the client to its session room.
        async def session_request(sid: str, data: dict | None) -> None:
            data = data if isinstance(data, dict) else {}
            session_id = data.get("session_id")
            if not isinstance(session_id, str) or not session_id:
                session_id = uuid.uuid4().hex
            if self.session_persistence:
                await self.sio.enter_room(sid, session_id)
            await self.sio.emit("session_confirm", session_id, room=sid)

        # Replaces Rasa's handler, which builds its own SocketIOOutput inline.
        async def handle_message(sid: str, data: dict) -> None:
            if not isinstance(data, dict):
                return
            if self.session_persistence:
                sender_id = data.get("session_id")
                if not sender_id or not isinstance(sender_id, str):
                    return  # as Rasa does: without a session there is no conversation
            else:
                sender_id = sid
            metadata = data.get(self.metadata_key) or {}
            if isinstance(metadata, str):
                try:
                    metadata = json.loads(metadata)
                except ValueError:
                    metadata = {}
            message = data.get("message", "")
            await on_new_message(
                UserMessage(
                    message if isinstance(message, str) else "",
                    ContractSocketIOOutput(self.sio, self.bot_message_evt),
                    sender_id,
                    input_channel=self.name(),
                    metadata=metadata if isinstance(metadata, dict) else {},
                )
            )

        self.sio.on("session_request", session_request, namespace=self.namespace)
        self.sio.on(self.user_message_evt, handle_message, namespace=self.namespace)
        return blueprint
