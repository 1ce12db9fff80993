"""After the soak: was every message answered, and is each stored once, in order, with its reply?

A conversation's events, as Rasa's tracker store keeps them in PostgreSQL, are split at
each user event; the user events must be exactly the messages that reached Rasa (as
stored: screened and redacted), and each answered turn's bot events must be the texts
and the contract payload the visitor got. A turn answered with the apology while a
component was being restarted counts as answered; its stored answer, if Rasa finished
the turn later, is counted as a late answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from soak_load import APOLOGY, Conversation, SoakRun, Turn

from bench.contract import Messages, topic_payloads
from bot.channels.intent_shortcuts import load_commands
from bot.privacy import redact

Events = list[dict]


@lru_cache(maxsize=1)
def _screen() -> Callable[[str], str]:
    return load_commands().screen


def stored_text(text: str) -> str:
    """What the tracker store keeps of a message: screened by the channel, then redacted."""
    return redact(_screen()(text.strip())).text


@dataclass
class Findings:
    problems: list[str] = field(default_factory=list)
    user_events: int = 0
    bot_events: int = 0
    late_answers: int = 0  # apology turns whose answer Rasa stored after all

    def add(self, other: Findings) -> None:
        self.problems += other.problems
        self.user_events += other.user_events
        self.bot_events += other.bot_events
        self.late_answers += other.late_answers


def split_turns(events: Events) -> list[tuple[dict, Events]]:
    """(user event, the bot events after it) for each user event, in stored order."""
    turns: list[tuple[dict, Events]] = []
    for event in events:
        if event["event"] == "user":
            turns.append((event, []))
        elif event["event"] == "bot" and turns:
            turns[-1][1].append(event)
    return turns


def _texts(messages: Iterable[dict]) -> list[str]:
    return [m["text"] for m in messages if m.get("text")]


def _stored_payloads(bot_events: Events) -> list[dict]:
    return topic_payloads([event.get("data") or {} for event in bot_events])


def _same_reply(bot_events: Events, reply: Messages) -> bool:
    """The stored bot events say what the visitor was sent: the texts and the contract payload."""
    return _texts(bot_events) == _texts(reply) and _stored_payloads(bot_events) == topic_payloads(
        reply
    )


def _first_difference(sent: list[str], stored: list[str]) -> str:
    for index, (one, other) in enumerate(zip(sent, stored, strict=False)):
        if one != other:
            return f"message {index + 1}: sent {one!r}, stored {other!r}"
    return f"{len(sent)} sent, {len(stored)} stored"


def check_conversation(
    conversation: Conversation, events: Events, text_as_stored: Callable[[str], str] = stored_text
) -> Findings:
    found = Findings()
    name = conversation.id
    reached: list[Turn] = []  # the turns Rasa was given
    for number, turn in enumerate(conversation.turns, start=1):
        if turn.reply is None:
            found.problems.append(f"{name}: message {number} got no reply ({turn.error})")
        elif turn.notice not in (None, APOLOGY):
            found.problems.append(f"{name}: message {number} was refused ({turn.notice})")
        else:
            reached.append(turn)
    if any(e["event"] == "bot" for e in events[: _first_user(events)]):
        found.problems.append(f"{name}: the assistant spoke before the visitor")
    timestamps = [event["timestamp"] for event in events]
    if timestamps != sorted(timestamps):
        found.problems.append(f"{name}: events are stored out of order")

    stored = split_turns(events)
    sent_texts = [text_as_stored(turn.text) for turn in reached]
    stored_texts = [user["text"] for user, _ in stored]
    found.user_events = len(stored)
    found.bot_events = sum(len(bots) for _, bots in stored)
    if stored_texts != sent_texts:
        difference = _first_difference(sent_texts, stored_texts)
        found.problems.append(f"{name}: stored messages are not those sent; {difference}")
        return found
    for number, (turn, (_, bots)) in enumerate(zip(reached, stored, strict=True), start=1):
        if turn.notice == APOLOGY:
            found.late_answers += bool(bots)
        elif not _same_reply(bots, turn.reply):
            found.problems.append(f"{name}: message {number}'s stored reply is not the one sent")
    return found


def _first_user(events: Events) -> int:
    return next((i for i, e in enumerate(events) if e["event"] == "user"), len(events))


def stray_apologies(run: SoakRun) -> list[Turn]:
    """Apologies sent while no component was being restarted: faults the soak did not make."""
    return [
        turn
        for conversation in run.conversations
        for turn in conversation.turns
        if turn.notice == APOLOGY and not any(r.covers(turn.sent_at) for r in run.restarts)
    ]


def check_run(run: SoakRun, events_by_conversation: dict[str, Events]) -> Findings:
    found = Findings()
    for restart in run.restarts:
        if restart.error:
            found.problems.append(f"restarting {restart.name} failed: {restart.error}")
    for conversation in run.conversations:
        found.add(check_conversation(conversation, events_by_conversation.get(conversation.id, [])))
    strays = stray_apologies(run)
    if strays:
        found.problems.append(f"{len(strays)} apologies while nothing was being restarted")
    return found
