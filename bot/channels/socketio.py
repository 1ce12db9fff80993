"""Rasa's socket.io channel, delivering the answer contract's `custom` payload.

Rasa 3.6's socket.io output passes a custom payload to `emit` as keyword
arguments, which only works for payloads shaped like `emit`'s parameters: our
`{"topic": ..., "source": ...}` raises a TypeError and the message is lost.
This channel emits it as `{"custom": {...}}`, the same shape the REST channel
returns, so the widget and any other client read both channels alike.

It also awaits `enter_room`: the python-socketio that Rasa 3.6's pins resolve to
(5.x) made it a coroutine, Rasa calls it without `await`, so with session
persistence no reply ever reached the client.

Every message passes the same guards as the REST channel (bot.channels.guard); a
session id that is not a short id is replaced by a new one, a message without a
confirmed session is dropped (as Rasa drops one without a session), and of the client's
`metadata` only the visitor's chosen language is kept (bot.channels.metadata).

A socket's conversation is bound to it when its session is confirmed: its messages go
to that conversation whatever `session_id` they name (Rasa's handler believed each
message), and a conversation another connected socket holds is not handed out again
(the asker gets a new one), so no socket can post to or listen in on another's
conversation. A conversation can be resumed by its id once its socket has gone (a page
reload), as on the REST channel, where the id is the key to the conversation. Bindings
are kept per Rasa process; the router keeps each socket on one.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from rasa.core.channels.channel import decode_bearer_token
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Request, Sanic, response
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot.channels.guard import GuardedOutput, OnNewMessage, shared_guard, valid_sender
from bot.channels.headers import add_security_headers
from bot.channels.metadata import kept_metadata
from bot.limits.address import client_address

logger = logging.getLogger(__name__)


class ContractSocketIOOutput(SocketIOOutput):
    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


class GuardedSocketIOOutput(GuardedOutput, ContractSocketIOOutput):
    pass


class HeaderedSocketBlueprint(SocketBlueprint):
    """Rasa's socket.io blueprint; the engine.io route it adds to the app gets the headers."""

    def register(self, app: Sanic, options: dict[str, Any]) -> None:
        path = "/" + self.ctx.socketio_path.strip("/")

        async def headers(request: Request, response: HTTPResponse) -> None:
            if request.path.startswith(path):
                add_security_headers(response)

        app.register_middleware(headers, "response")
        super().register(app, options)


class ContractSocketIOInput(SocketIOInput):
    """Same protocol and settings as Rasa's `socketio` channel."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.guard = shared_guard()  # fails at start-up if a setting is wrong
        self.conversation_of: dict[str, str] = {}  # socket id -> its confirmed conversation
        self.socket_of: dict[str, str] = {}  # conversation -> the socket holding it

    def bind(self, sid: str, wanted: object) -> str:
        """The conversation of socket ``sid``: the one it already has, else ``wanted`` if it
        is usable and no other socket holds it, else a new one."""
        bound = self.conversation_of.get(sid)
        if bound is not None:
            return bound
        holder = self.socket_of.get(wanted) if isinstance(wanted, str) else None
        if not valid_sender(wanted) or holder not in (None, sid):
            wanted = uuid.uuid4().hex
        self.conversation_of[sid], self.socket_of[wanted] = wanted, sid
        return wanted

    def unbind(self, sid: str) -> None:
        conversation = self.conversation_of.pop(sid, None)
        if conversation is not None and self.socket_of.get(conversation) == sid:
            del self.socket_of[conversation]

    def get_output_channel(self) -> ContractSocketIOOutput | None:
        if self.sio is None:
            return None
        return ContractSocketIOOutput(self.sio, self.bot_message_evt)

    def client_address(self, sid: str) -> str | None:
        environ = self.sio.get_environ(sid, namespace=self.namespace) or {}
        request = environ.get("sanic.request")
        return client_address(request) if request is not None else None

    def blueprint(self, on_new_message: OnNewMessage) -> SocketBlueprint:
        """Rasa's socket.io blueprint (SocketIOInput.blueprint, rasa 3.6.21) with our
        handlers for sessions and messages and the security headers on its routes."""
        # Any origin, as Rasa allows: the server's CORS setting is what limits origins.
        self.sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[])
        blueprint = HeaderedSocketBlueprint(
            self.sio, self.socketio_path, "socketio_webhook", __name__
        )

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        async def connect(sid: str, environ: dict, auth: dict | None) -> bool:
            if not self.jwt_key:
                return True
            token = auth.get("token") if isinstance(auth, dict) else None
            return bool(token) and bool(
                decode_bearer_token(token, self.jwt_key, self.jwt_algorithm)
            )

        # Rasa's handler never joins the client to its session room and hands any client
        # the conversation it names.
        async def session_request(sid: str, data: dict | None) -> None:
            data = data if isinstance(data, dict) else {}
            session_id = self.bind(sid, data.get("session_id"))
            if self.session_persistence:
                await self.sio.enter_room(sid, session_id)
            await self.sio.emit("session_confirm", session_id, room=sid)

        # Rasa's handler builds its own SocketIOOutput inline and takes the conversation
        # from each message.
        async def handle_message(sid: str, data: dict) -> None:
            if not isinstance(data, dict):
                return
            sender = self.conversation_of.get(sid) if self.session_persistence else sid
            if sender is None:
                logger.warning("socket.io message before its session was confirmed dropped")
                return  # as Rasa does: without a session there is no conversation
            text = data.get("message")
            await self.guard.handle(
                on_new_message,
                GuardedSocketIOOutput(self.sio, self.bot_message_evt),
                sender,
                text if isinstance(text, str) else "",
                self.client_address(sid),
                self.name(),
                kept_metadata(data.get("metadata")),
            )

        async def disconnect(sid: str) -> None:
            self.unbind(sid)

        self.sio.on("connect", connect, namespace=self.namespace)
        self.sio.on("disconnect", disconnect, namespace=self.namespace)
        self.sio.on("session_request", session_request, namespace=self.namespace)
        self.sio.on(self.user_message_evt, handle_message, namespace=self.namespace)
        return blueprint
