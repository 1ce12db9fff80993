"""Nobody reads or changes a conversation through Rasa's HTTP API without the token.

* By default (`RASA_API_TOKEN` unset) the API is not served at all: the session
  assistant, started as `make run` starts it, answers 404/405 on every API route.
* With `RASA_API_TOKEN` set, a second Rasa (started here, the only configuration
  that differs) requires it: no token, a wrong one or a forged JWT get 401; the
  right one works. Its CORS list is exact: a look-alike origin is not allowed.
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Iterator

import pytest
import requests
from assistant_client import Assistant, new_sender
from started_service import running

from bot.ops.services import Service, free_port, rasa_server

pytestmark = pytest.mark.e2e

ALLOWED_ORIGIN = "http://127.0.0.1:8000"
CONVERSATION = "{conversation}"

# Every route of Rasa 3.6's HTTP API that reads or changes a conversation or the model.
API_ROUTES = [
    ("GET", "/status", None),
    ("GET", "/domain", None),
    ("GET", "/conversations/{conversation}/tracker", None),
    ("GET", "/conversations/{conversation}/story", None),
    ("POST", "/conversations/{conversation}/tracker/events", {"event": "restart"}),
    ("PUT", "/conversations/{conversation}/tracker/events", []),
    ("POST", "/conversations/{conversation}/messages", {"text": "hi", "sender": "user"}),
    ("POST", "/conversations/{conversation}/trigger_intent", {"name": "greeting"}),
    ("POST", "/conversations/{conversation}/execute", {"name": "action_listen"}),
    ("POST", "/conversations/{conversation}/predict", None),
    ("POST", "/model/parse", {"text": "what does a crown prosecutor earn?"}),
    ("POST", "/model/predict", []),
    ("POST", "/model/train", {}),
    ("POST", "/model/test/intents", {}),
    ("POST", "/model/test/stories", {}),
    ("PUT", "/model", {"model_file": "/tmp/not-our-model.tar.gz"}),
    ("DELETE", "/model", None),
]


def call(
    base_url: str, method: str, path: str, body, conversation: str, **params
) -> requests.Response:
    url = base_url + path.replace(CONVERSATION, conversation)
    return requests.request(method, url, json=body, params=params or None, timeout=30)


def unsigned_jwt(claims: dict) -> str:
    """A token with `alg: none`: what an attacker sends hoping nobody checks signatures."""

    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


# ---- API off: the default ------------------------------------------------------------------


@pytest.fixture(scope="module")
def visitor_conversation(assistant) -> tuple[str, str]:
    """A real conversation in the session assistant's tracker store."""
    sender, text = new_sender(), "tell me about the legal trainee scheme"
    assistant.send(sender, text)
    return sender, text


@pytest.mark.parametrize(("method", "path", "body"), API_ROUTES)
def test_without_a_token_setting_the_api_is_not_served(
    assistant, visitor_conversation, method, path, body
):
    sender, _ = visitor_conversation
    for params in ({}, {"token": "guess"}, {"token": ""}):
        response = call(assistant.rasa_url, method, path, body, sender, **params)
        assert response.status_code in (404, 405), (method, path, params, response.status_code)


def test_a_visitors_conversation_cannot_be_read_back(assistant, visitor_conversation):
    sender, text = visitor_conversation
    for path in ("/conversations/{conversation}/tracker", "/conversations/{conversation}/story"):
        response = call(assistant.rasa_url, "GET", path, None, sender)
        assert response.status_code == 404
        assert text not in response.text  # (the 404 page repeats the path it was asked for)


# ---- API on, behind RASA_API_TOKEN --------------------------------------------------------


class TokenRasa(Assistant):
    def __init__(self, service: Service, token: str):
        super().__init__(rasa_url=service.url, actions_url="")
        self.service = service
        self.token = token


@pytest.fixture(scope="module")
def token_rasa(assistant, trained_model, tmp_path_factory) -> Iterator[TokenRasa]:
    state = tmp_path_factory.mktemp("rasa-api")
    token = secrets.token_urlsafe(24)
    service = rasa_server(
        trained_model,
        port=free_port(),
        action_url=assistant.actions_url,  # the session's action server: only Rasa differs
        tracker_db=state / "tracker.db",
        cors=[ALLOWED_ORIGIN],
        api_token=token,
        log_path=state / "rasa.log",
    )
    # A throwaway server: no need to wait long for a graceful stop.
    with running(service, timeout=240, stop_timeout=5):
        yield TokenRasa(service, token)


@pytest.mark.parametrize(("method", "path", "body"), API_ROUTES)
def test_every_api_route_refuses_a_missing_or_wrong_token(token_rasa, method, path, body):
    attempts = {
        "no token": {},
        "empty token": {"token": ""},
        "wrong token": {"token": secrets.token_urlsafe(24)},
        "token with a different case": {"token": token_rasa.token.swapcase()},
        "token with a trailing space": {"token": token_rasa.token + " "},
    }
    for attempt, params in attempts.items():
        response = call(token_rasa.rasa_url, method, path, body, "someone", **params)
        assert response.status_code == 401, (method, path, attempt, response.status_code)


def test_a_forged_jwt_is_refused(token_rasa):
    forged = unsigned_jwt({"user": {"username": "admin", "role": "admin"}})
    for scheme in ("Bearer", "JWT"):
        response = requests.get(
            f"{token_rasa.rasa_url}/status",
            headers={"Authorization": f"{scheme} {forged}"},
            timeout=10,
        )
        assert response.status_code == 401, scheme


def test_the_right_token_reads_a_conversation(token_rasa):
    sender, text = new_sender(), "what does a crown prosecutor earn?"
    token_rasa.send(sender, text)
    response = call(
        token_rasa.rasa_url, "GET", "/conversations/{conversation}/tracker", None, sender,
        token=token_rasa.token,
    )
    assert response.status_code == 200
    tracker = response.json()
    assert tracker["sender_id"] == sender
    assert any(event.get("text") == text for event in tracker["events"])


def test_the_right_token_parses_and_reports_status(token_rasa):
    parsed = call(
        token_rasa.rasa_url, "POST", "/model/parse", {"text": "what does it pay?"}, "x",
        token=token_rasa.token,
    )
    assert parsed.status_code == 200 and parsed.json()["intent"]["name"]
    status = call(token_rasa.rasa_url, "GET", "/status", None, "x", token=token_rasa.token)
    assert status.status_code == 200 and status.json()["model_file"]


@pytest.mark.parametrize(
    "origin",
    [
        "http://127.0.0.1:8000.evil.example",  # the allowed origin as a prefix
        "http://evil.example/http://127.0.0.1:8000",
        "https://127.0.0.1:8000",  # another scheme is another origin
        "http://127.0.0.1:80001",
        "null",
    ],
)
def test_cors_allows_only_the_exact_configured_origin(token_rasa, origin):
    allowed = preflight(token_rasa.rasa_url, ALLOWED_ORIGIN)
    assert allowed.headers.get("Access-Control-Allow-Origin") == ALLOWED_ORIGIN
    refused = preflight(token_rasa.rasa_url, origin)
    assert "Access-Control-Allow-Origin" not in refused.headers, origin


def preflight(base_url: str, origin: str) -> requests.Response:
    return requests.options(
        f"{base_url}/webhooks/rest/webhook",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
        timeout=10,
    )
