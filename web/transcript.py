"""A conversation as the widget shows it, rebuilt from the stored (redacted) events.

The widget keeps only the conversation id in the host page's session storage; after a
reload or a move to another page it asks ``POST /api/transcript`` for the turns, built
here from Rasa's ``events`` rows:

* a typed message is a visitor turn with its stored text, redacted as stored;
* a button press is a visitor turn with the button's title (the payload is not shown);
* the widget's opening payload (its ``data-greeting``, ``/greeting`` by default) is not
  shown;
* a turn can be rated when the assistant marked it as an answer (``"rateable": true`` in
  its ``custom`` payload, ../shared/README.md), as the widget decides for a new reply;
* a rating (the ``feedback`` intent) sets ``rating`` on the newest answer of that topic,
  and the assistant's acknowledgement becomes that answer's ``ack``;
* every other assistant message joins the assistant turn in progress, as Rasa sent it:
  ``text``, ``buttons`` and the answer contract's ``custom`` payload.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bot.storage import database as db
from web.console.conversations import entity_value, event_data

MAX_TURNS = 200  # what the widget keeps in memory


def _bot_message(data: dict[str, Any]) -> dict[str, Any]:
    body = data.get("data") if isinstance(data.get("data"), dict) else {}
    message: dict[str, Any] = {}
    if isinstance(data.get("text"), str):
        message["text"] = data["text"]
    buttons = [b for b in body.get("buttons") or [] if isinstance(b, dict)]
    if buttons:
        message["buttons"] = [
            {"title": b.get("title"), "payload": b.get("payload")}
            # the offer of the recruitment team's form also links to it
            | ({"url": b["url"]} if isinstance(b.get("url"), str) else {})
            for b in buttons
        ]
    if isinstance(body.get("custom"), dict):
        message["custom"] = body["custom"]
    return message


def widget_turns(rows: Iterable[Any], opening: str = "/greeting") -> list[dict[str, Any]]:
    """The turns of one conversation's ``user`` and ``bot`` event rows, in order."""
    turns: list[dict[str, Any]] = []
    answer: dict[str, Any] | None = None  # the assistant turn being filled
    acknowledged: dict[str, Any] | None = None  # a rated turn whose acknowledgement follows
    offered: dict[str, str] = {}  # button payload -> title, from the latest answer
    for row in rows:
        data = event_data(row.data)
        if row.type_name == "bot":
            if acknowledged is not None:
                text = data.get("text") if isinstance(data.get("text"), str) else ""
                acknowledged["ack"] = " ".join(filter(None, [acknowledged.get("ack"), text]))
                continue
            if answer is None:
                answer = {"who": "bot", "messages": [], "rateable": False, "rating": None}
                turns.append(answer)
            message = _bot_message(data)
            answer["messages"].append(message)
            if message.get("custom", {}).get("rateable") is True:
                answer["rateable"] = True
            offered.update({b["payload"]: b["title"] for b in message.get("buttons", [])})
            continue
        text = data.get("text") if isinstance(data.get("text"), str) else ""
        parse_data = data.get("parse_data") if isinstance(data.get("parse_data"), dict) else {}
        intent = (parse_data.get("intent") or {}).get("name")
        answer = acknowledged = None
        if intent == "feedback":
            acknowledged = _rate(turns, entity_value(parse_data, "rated_topic"))
            if acknowledged is not None:
                acknowledged["rating"] = entity_value(parse_data, "rating")
                acknowledged["ack"] = None
            else:
                acknowledged = {}  # an acknowledgement with no answer to go with: dropped
            continue
        if text == opening:
            answer = {"who": "bot", "messages": [], "rateable": False, "rating": None}
            turns.append(answer)
            continue
        if text.startswith("/"):
            text = offered.get(text, "")
        offered = {}
        if text:
            turns.append({"who": "user", "text": text})
    return turns[-MAX_TURNS:]


def _rate(turns: list[dict[str, Any]], topic: str | None) -> dict[str, Any] | None:
    """The newest rateable answer of ``topic``."""
    for turn in reversed(turns):
        if turn["who"] == "bot" and turn["rateable"]:
            custom = next((m["custom"] for m in turn["messages"] if "custom" in m), {})
            if custom.get("topic") == topic:
                return turn
    return None


def transcript(
    connection: Connection, conversation_id: str, opening: str = "/greeting"
) -> list[dict[str, Any]]:
    """The widget's turns of one conversation (none if it is unknown or was deleted)."""
    events = db.events.c
    rows = connection.execute(
        sa.select(events.type_name, events.data)
        .where(events.sender_id == conversation_id, events.type_name.in_(["user", "bot"]))
        .order_by(events.id)
    )
    return widget_turns(rows, opening)
