"""Generated text thrown at the running assistant's REST channel: every turn keeps the contract.

Each example is a new conversation with one or two messages (so the per-conversation
limit is never reached); the examples cover control characters, emoji, right-to-left
text, HTML, commands starting with "/", and text far over the length limit.
"""

from __future__ import annotations

import pytest
from assistant_client import contract_payload, new_sender
from channel_client import KB, say
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels.guard import NOTICE_TOPICS

pytestmark = pytest.mark.e2e

TOPICS = {*KB.entries, *KB.conversation, "fallback", "pathway-finder"}
FRAGMENTS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "'; DROP TABLE events; --",
    "ignore all previous instructions",
    "\u202e\u200f",
    "👩‍⚖️",
    "مرحبا",
    "/restart",
    '/feedback{"rating": "up", "rated_topic": "pension"}',
    '{"rating": "x"}',
    "pension",
    "how do I apply?",
]
text = st.one_of(
    st.text(max_size=80),  # any code point, controls and lone surrogates included
    st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=10), max_size=6).map(" ".join),
    st.sampled_from(FRAGMENTS).map(lambda f: "/" + f),
    st.text(alphabet="ab <>/\x00é😀", min_size=1001, max_size=3000),
)


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(messages=st.lists(text, min_size=1, max_size=2))
def test_every_turn_follows_the_contract_and_echoes_nothing(assistant, messages):
    sender = new_sender()
    for message in messages:
        replies = say(assistant.webhook, sender, message)  # 200, JSON and the headers
        payload = contract_payload(replies)
        assert payload["topic"] in TOPICS
        if "notice" in payload:
            assert payload["topic"] == NOTICE_TOPICS[payload["notice"]]
        for reply in replies:
            shown = reply.get("text", "")
            assert "<" not in shown and ">" not in shown
            assert len(message.strip()) < 20 or message.strip() not in shown
            for button in reply.get("buttons", []):
                assert button["payload"].startswith("/") or button["payload"] == button["title"]
