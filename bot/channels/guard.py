"""What every public channel does between a visitor and Rasa's message processor.

Before Rasa: the rate limits and the conversation-length cap, control characters
stripped, empty and over-long messages answered here, button imitations screened
(bot.channels.intent_shortcuts). Around Rasa: a fault, a turn that produces no answer or one
slower than REPLY_TIMEOUT gets the `unavailable` apology with the human contact route.

Every reply sent from here follows the answer contract, with its words from the
knowledge file's `conversation` section and a `notice` naming which one it is. Nothing
here logs what a visitor typed.
"""

from __future__ import annotations

import asyncio
import logging
import re
import traceback
from collections.abc import Awaitable, Callable
from functools import lru_cache
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage

from bot.actions.replies import FALLBACK, conversation_reply
from bot.channels.intent_shortcuts import Commands, load_commands
from bot.knowledge import load_knowledge
from bot.limits.limiter import CONVERSATION_FULL, SLOW_DOWN, Limiter
from bot.limits.settings import ChannelSettings
from bot.rasa_patches import require_installed

logger = logging.getLogger(__name__)

EMPTY_MESSAGE = "empty-message"
MESSAGE_TOO_LONG = "message-too-long"
UNAVAILABLE = "unavailable"
# The contract's topic for each reply sent from here.
NOTICE_TOPICS = {
    EMPTY_MESSAGE: FALLBACK,
    MESSAGE_TOO_LONG: FALLBACK,
    SLOW_DOWN: FALLBACK,
    CONVERSATION_FULL: FALLBACK,
    UNAVAILABLE: "human-handoff",  # it gives the human contact route
}

# Random ids from the widget and socket.io clients fit easily; "default" is where Rasa puts
# every message without a sender, so no visitor may share it.
SENDER_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")
RESERVED_SENDERS = frozenset({"default"})
# C0 and C1 controls except tab and line breaks, and lone surrogates (they cannot be
# stored as UTF-8). Format characters stay: right-to-left marks and emoji joiners are text.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def valid_sender(sender: object) -> bool:
    return (
        isinstance(sender, str)
        and bool(SENDER_ID.match(sender))
        and (sender not in RESERVED_SENDERS)
    )


def clean_text(text: str) -> str:
    return CONTROL.sub("", text).strip()


def notice(key: str) -> dict[str, Any]:
    """A reply from the knowledge file, as a Rasa bot message (text and contract payload)."""
    reply = conversation_reply(load_knowledge(), key, topic=NOTICE_TOPICS[key])
    return {"text": reply.text, "custom": {**reply.custom(), "notice": key}}


class GuardedOutput(OutputChannel):
    """Mixed into an output channel: notes whether the contract's topic payload went out
    and, once the guard has answered instead, drops what Rasa sends late (it is still
    saved in the conversation), so a turn never carries two topics."""

    answered = False
    closed = False

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        if self.closed:
            return
        custom = message.get("custom")
        self.answered = self.answered or (isinstance(custom, dict) and "topic" in custom)
        await super().send_response(recipient_id, message)

    async def answer_instead(self, recipient_id: str, key: str) -> None:
        self.closed = True
        await super().send_response(recipient_id, notice(key))


class Guard:
    def __init__(
        self, settings: ChannelSettings, limiter: Limiter, commands: Commands | None = None
    ):
        self.settings = settings
        self.limiter = limiter
        self.commands = commands or load_commands()

    async def handle(
        self,
        on_new_message: OnNewMessage,
        output: GuardedOutput,
        sender: str,
        text: str,
        address: str | None,
        channel: str,
        metadata: dict[str, str] | None = None,
    ) -> None:
        """Answer one message from a valid `sender`: here, or by Rasa through `output`.

        `metadata` is what the channel keeps of the client's (bot.channels.metadata)."""
        refusal = await self.limiter.admit(sender, address)
        text = clean_text(text)
        if not refusal and len(text) > self.settings.max_message_chars:
            refusal = MESSAGE_TOO_LONG
        text = text if refusal else self.commands.screen(text)
        if not refusal and not text:
            refusal = EMPTY_MESSAGE
        if refusal:
            await output.answer_instead(sender, refusal)
            return
        message = UserMessage(text, output, sender, input_channel=channel, metadata=metadata)
        await self.process(on_new_message, message, output, channel)

    async def process(
        self,
        on_new_message: OnNewMessage,
        message: UserMessage,
        output: GuardedOutput,
        channel: str,
    ) -> None:
        # Shielded: when the visitor has had the apology, Rasa still finishes the turn and
        # saves the conversation, so nothing is half-written.
        task = asyncio.ensure_future(on_new_message(message))
        task.add_done_callback(_retrieve)
        try:
            await asyncio.wait_for(asyncio.shield(task), self.settings.reply_timeout)
        except asyncio.TimeoutError:
            fault = f"no answer within {self.settings.reply_timeout:g} s"
            task.add_done_callback(_log_late_failure)
        except Exception as error:  # any fault: the visitor still gets an answer
            fault = f"{type(error).__name__} at {_where(error)}"
        else:
            if output.answered:
                return
            fault = "no reply carrying a topic (is the action server down?)"
        if output.answered:
            output.closed = True
            logger.error("%s channel: %s, after the answer was sent", channel, fault)
            return
        logger.error("%s channel: %s; the visitor got the apology", channel, fault)
        await output.answer_instead(message.sender_id, UNAVAILABLE)


def _where(error: BaseException) -> str:
    """file:line where it was raised; not the message, which may quote what was typed."""
    frames = traceback.extract_tb(error.__traceback__)
    return f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"


def _retrieve(task: asyncio.Future) -> None:
    # Keeps asyncio from logging "exception never retrieved" with the exception's message.
    if not task.cancelled():
        task.exception()


def _log_late_failure(task: asyncio.Future) -> None:
    error = None if task.cancelled() else task.exception()
    if error is not None:
        logger.error("a late turn failed: %s at %s", type(error).__name__, _where(error))


@lru_cache(maxsize=1)
def shared_guard() -> Guard:
    """One guard per process, so the REST and socket.io channels share their counts."""
    # The guard's timeout relies on Rasa's action calls being bounded (bot.rasa_patches).
    require_installed("The assistant's channels")
    settings = ChannelSettings.from_env()
    return Guard(settings, Limiter(settings.limits, scope="rasa"))
