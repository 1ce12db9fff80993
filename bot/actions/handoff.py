"""The offer to send a question to the recruitment team, who reply by email.

Made when a visitor asks for a person, after two turns in a row that were not
understood, and after a "not helpful" rating. The offer is a button with Rasa's
standard `title` and `payload` and, for any channel that can open a page, a `url`:
the web app's form (web/handoff.py). The widget opens the same form inside the chat.
A channel that only sends payloads sends `/human-handoff`, whose reply makes the offer
again with its link in the button.

The conversation id goes in the address's fragment, which browsers never send to a
server, so no access log ties it to the visitor's address.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.actions.language import reply_language
from bot.knowledge import KnowledgeBase
from bot.knowledge.welsh import ENGLISH

HANDOFF_PAYLOAD = "/human-handoff"
FORM_PATH = "/ask-the-recruitment-team"
BUTTON_LABEL = "handoff-button"
OFFER = "handoff-offer"
FALLBACK = "fallback"


def form_url(
    conversation_id: str, env: Mapping[str, str] | None = None, lang: str = ENGLISH
) -> str:
    """The web app's form page for this conversation (``PUBLIC_WEB_URL``, else the web
    app on this machine, as `make run` starts it), in the conversation's language."""
    env = os.environ if env is None else env
    base = (env.get("PUBLIC_WEB_URL") or "").strip().rstrip("/")
    if not base.startswith(("https://", "http://")):
        base = f"http://localhost:{env.get('WEB_PORT') or 8000}"
    path = FORM_PATH if lang == ENGLISH else f"/{lang}{FORM_PATH}"
    return f"{base}{path}#conversation={quote(conversation_id, safe='')}"


def handoff_button(kb: KnowledgeBase, tracker: Tracker) -> dict[str, str]:
    return {
        "title": kb.label(BUTTON_LABEL, ENGLISH).text,
        "payload": HANDOFF_PAYLOAD,
        "url": form_url(tracker.sender_id, lang=reply_language(tracker)),
    }


def send_offer(dispatcher: CollectingDispatcher, kb: KnowledgeBase, tracker: Tracker) -> None:
    """The offer as a message of its own, after the turn's reply (it has no topic)."""
    dispatcher.utter_message(
        text=kb.conversation[OFFER].answer, buttons=[handoff_button(kb, tracker)]
    )


def _previous_reply(tracker: Tracker) -> tuple[str | None, bool]:
    """The topic of the reply to the visitor's previous message, and whether that turn
    already offered the form."""
    seen_current = False
    topic, offered = None, False
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "user":
            if seen_current:
                break  # the turn before the previous one: stop
            seen_current = True
            continue
        if kind != "bot" or not seen_current:
            continue
        data: dict[str, Any] = event.get("data") or {}
        buttons = data.get("buttons") or []
        offered = offered or any(b.get("payload") == HANDOFF_PAYLOAD for b in buttons)
        custom = data.get("custom") or {}
        if isinstance(custom, dict) and isinstance(custom.get("topic"), str):
            topic = custom["topic"]
    return topic, offered


def second_miss_in_a_row(tracker: Tracker) -> bool:
    """This turn was not understood, nor was the one before it (and that one made no offer)."""
    topic, offered = _previous_reply(tracker)
    return topic == FALLBACK and not offered
