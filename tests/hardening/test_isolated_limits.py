"""The per-address limit and the length cap, on an assistant of our own whose limits are low
(tests/hardening/conftest.py: 5 messages a minute per address, 6 in a conversation)."""

from __future__ import annotations

import pytest
from assistant_client import new_sender
from channel_client import notice_of, say, stored_user_events

pytestmark = pytest.mark.e2e


def visitor(address: str) -> dict[str, str]:
    """What a reverse proxy in front of Rasa adds to each request."""
    return {"X-Forwarded-For": address}


def test_one_address_sending_too_fast_is_asked_to_slow_down(isolated, actions_running):
    for _ in range(5):
        reply = say(isolated.webhook, new_sender(), "/thanks", headers=visitor("203.0.113.7"))
        assert notice_of(reply) is None
    limited = say(isolated.webhook, new_sender(), "/thanks", headers=visitor("203.0.113.7"))
    assert notice_of(limited) == "slow-down"
    # An address the visitor writes in front of the proxy's does not get round it.
    spoofed = visitor("198.51.100.1, 203.0.113.7")
    assert notice_of(say(isolated.webhook, new_sender(), "/thanks", headers=spoofed)) == "slow-down"
    other = visitor("203.0.113.8")
    assert notice_of(say(isolated.webhook, new_sender(), "/thanks", headers=other)) is None
    # Callers on this machine without a forwarded address (the web app, evaluation) are not
    # limited per address; each of their conversations still is.
    for _ in range(6):
        assert notice_of(say(isolated.webhook, new_sender(), "/thanks")) is None


def test_a_full_conversation_says_so_and_a_new_one_starts_afresh(isolated, actions_running):
    sender, cap = new_sender(), 6
    for _ in range(cap):
        assert notice_of(say(isolated.webhook, sender, "/thanks")) is None
    assert notice_of(say(isolated.webhook, sender, "/thanks")) == "conversation-full"
    assert notice_of(say(isolated.webhook, sender, "/pension")) == "conversation-full"
    assert len(stored_user_events(isolated, sender)) == cap
    assert notice_of(say(isolated.webhook, new_sender(), "/thanks")) is None
