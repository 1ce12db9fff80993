"""The action server answers Rasa, never a browser: no CORS headers for any origin.

A web page on another site that tried to call the action server directly (to run
an action with a made-up tracker) gets no Access-Control-Allow-Origin, so the
browser refuses to hand it the answer or to send the preflighted POST at all.
"""

from __future__ import annotations

import pytest
import requests

pytestmark = pytest.mark.e2e

ORIGINS = ["https://evil.example", "null", "http://localhost:8000"]
CORS_HEADERS = (
    "Access-Control-Allow-Origin",
    "Access-Control-Allow-Credentials",
    "Access-Control-Allow-Methods",
    "Access-Control-Allow-Headers",
)


def assert_no_cors(response: requests.Response) -> None:
    present = [name for name in CORS_HEADERS if name in response.headers]
    assert present == [], (response.request.method, response.url, present)


@pytest.mark.parametrize("origin", ORIGINS)
def test_health_has_no_cors_headers(assistant, origin):
    response = requests.get(
        f"{assistant.actions_url}/health", headers={"Origin": origin}, timeout=10
    )
    assert response.status_code == 200  # it answered; it just does not invite browsers
    assert_no_cors(response)


@pytest.mark.parametrize("origin", ORIGINS)
def test_preflight_for_the_webhook_is_not_granted(assistant, origin):
    response = requests.options(
        f"{assistant.actions_url}/webhook",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
        timeout=10,
    )
    assert_no_cors(response)


def test_a_cross_site_action_call_is_answered_without_cors_headers(assistant):
    """A well-formed call really runs the action; the browser would still not see the answer.

    What keeps browsers and other machines away is the loopback address (see
    test_listening_addresses.py); the missing CORS headers are the second line.
    """
    tracker = {
        "sender_id": "someone-else",
        "slots": {},
        "latest_message": {"text": "what does it pay?", "intent": {"name": "salary"}},
        "events": [],
        "paused": False,
        "followup_action": None,
        "active_loop": {},
        "latest_action_name": None,
    }
    body = {"next_action": "action_answer_knowledge", "sender_id": "someone-else",
            "tracker": tracker, "domain": {}}
    response = requests.post(
        f"{assistant.actions_url}/webhook",
        json=body,
        headers={"Origin": "https://evil.example"},
        timeout=10,
    )
    assert response.status_code == 200 and response.json()["responses"]
    assert_no_cors(response)
