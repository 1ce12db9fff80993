"""The web app over HTTP: pages, widget files, the JSON API, its errors, CORS and headers.

Most tests need no answers from Rasa, so they use a web app whose Rasa address
is a closed port; the last ones forward to the real assistant.
"""

from __future__ import annotations

import time
from html.parser import HTMLParser

import pytest
import requests

from bot.knowledge import load_knowledge
from web.settings import Settings, SettingsError, parse_origins
from web.validation import InvalidRequest, feedback_command, message

GOOD_ID = "0123456789abcdef0123456789abcdef"
KB = load_knowledge()


MESSAGES, FEEDBACK, TRANSCRIPT = "/api/messages", "/api/feedback", "/api/transcript"


def post(
    app, path: str, body=None, *, raw: str | None = None, headers=None, conversation=GOOD_ID
) -> requests.Response:
    """POST JSON to the API; a dict body gets the conversation id, as the widget sends it."""
    headers = {"Content-Type": "application/json", **(headers or {})}
    if raw is not None:
        return requests.post(f"{app.url}{path}", data=raw, headers=headers, timeout=20)
    if isinstance(body, dict) and conversation is not None:
        body = {"conversation": conversation, **body}
    return requests.post(f"{app.url}{path}", json=body, headers=headers, timeout=20)


# ---- Pages and files --------------------------------------------------------------------


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts, self.inline_scripts, self.style_attrs, self.handlers = [], 0, 0, []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.style_attrs += "style" in attrs
        self.handlers += [name for name in attrs if name.startswith("on")]
        if tag == "script":
            self.scripts.append(attrs)
            self._in_script = "src" not in attrs

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline_scripts += 1

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False


@pytest.mark.parametrize(
    ("path", "lang"),
    [("/", "en-GB"), ("/cy/", "cy"), ("/pay-and-benefits", "en-GB"), ("/privacy", "en-GB"),
     ("/accessibility", "en-GB"), ("/algorithmic-transparency", "en-GB"), ("/accuracy", "en-GB")],
)
def test_demo_pages_embed_the_widget_with_one_tag_and_no_inline_code(web_without_rasa, path, lang):
    response = requests.get(web_without_rasa.url + path, timeout=10)
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in response.text
    tags = Tags()
    tags.feed(response.text)
    assert tags.inline_scripts == 0 and tags.style_attrs == 0 and tags.handlers == []
    (script,) = tags.scripts
    assert script["src"] == f"{web_without_rasa.url}/widget/widget.js"
    assert script["data-server"] == web_without_rasa.url
    assert {"data-position", "data-greeting", "defer"} <= set(script)
    assert script["data-lang"] == lang  # the widget starts in the page's language
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp


def test_every_response_has_the_security_headers(web_without_rasa):
    paths = ("/", "/widget/widget.js", "/widget/widget.css", "/no-such-page", MESSAGES)
    for path in paths:
        response = requests.get(web_without_rasa.url + path, timeout=10)
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin", path
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], path


def test_widget_files_are_served_for_other_sites_to_load(web_without_rasa):
    script = requests.get(web_without_rasa.url + "/widget/widget.js", timeout=10)
    style = requests.get(web_without_rasa.url + "/widget/widget.css", timeout=10)
    assert script.status_code == style.status_code == 200
    assert "javascript" in script.headers["Content-Type"]
    assert style.headers["Content-Type"].startswith("text/css")
    assert script.headers["Cross-Origin-Resource-Policy"] == "cross-origin"
    # The widget never parses text as HTML.
    for forbidden in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert forbidden not in script.text
    assert "localStorage" not in script.text  # session storage only (shared computers)


def test_nothing_in_the_widget_animates_endlessly(web_without_rasa):
    css = requests.get(web_without_rasa.url + "/widget/widget.css", timeout=10).text
    assert "infinite" not in css  # WCAG 2.2.2: the typing dots pulse three times, then stop
    assert "@media (prefers-reduced-motion: reduce)" in css
    assert ":focus-visible" in css and "#ffdd00" in css  # GOV.UK focus style


def test_a_hostile_host_header_does_not_reach_the_page(web_without_rasa):
    response = requests.get(
        web_without_rasa.url + "/", headers={"Host": 'evil.example"><script>x</script>'}, timeout=10
    )
    assert "<script>x</script>" not in response.text
    assert 'src="http://127.0.0.1:' in response.text


# ---- Input checks ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "conversation_id",
    ["short", "x" * 65, "has space 0123456789", "semi;colon0123456789", "%2e%2e%2f0123456789ab"],
)
def test_odd_conversation_ids_are_refused(web_without_rasa, conversation_id):
    for path in (MESSAGES, FEEDBACK, TRANSCRIPT):
        response = post(web_without_rasa, path, {"message": "hello"}, conversation=conversation_id)
        assert response.status_code == 400
        assert response.json()["error"] == "bad_conversation_id"


@pytest.mark.parametrize("body", [{"message": "hello"}, {"conversation": 42, "message": "hi"}])
def test_a_missing_conversation_id_is_refused(web_without_rasa, body):
    response = post(web_without_rasa, MESSAGES, body, conversation=None)
    assert response.status_code == 400
    assert response.json()["error"] == "bad_conversation_id"


@pytest.mark.parametrize("path", ["messages", "feedback", "transcript"])
def test_the_id_in_the_path_is_refused_with_a_reason_not_redirected(web_without_rasa, path):
    response = requests.post(
        f"{web_without_rasa.url}/api/conversations/{GOOD_ID}/{path}",
        json={"message": "hello"},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 410
    assert response.json()["error"] == "moved"
    assert '"conversation"' in response.json()["reason"]
    assert "Location" not in response.headers


@pytest.mark.parametrize(
    ("body", "raw", "status", "code"),
    [
        (None, "{not json", 400, "bad_json"),
        ([1, 2], None, 400, "bad_json"),
        ({"text": "hello"}, None, 400, "bad_message"),
        ({"message": 42}, None, 400, "bad_message"),
        ({"message": "   "}, None, 400, "empty_message"),
        ({"message": "x" * 51}, None, 413, "message_too_long"),
        ({"message": '/feedback{"rating": "up"}'}, None, 400, "bad_command"),
    ],
)
def test_bad_messages_get_a_short_json_reason(web_without_rasa, body, raw, status, code):
    response = post(web_without_rasa, MESSAGES, body, raw=raw)
    assert response.status_code == status
    assert response.json()["error"] == code
    assert response.json()["reason"]


def test_the_body_must_be_json(web_without_rasa):
    response = post(
        web_without_rasa,
        MESSAGES,
        raw="message=hi",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 415
    assert response.json()["error"] == "bad_content_type"


def test_a_message_too_long_says_the_limit_for_the_widget_to_state(web_without_rasa):
    response = post(web_without_rasa, MESSAGES, {"message": "x" * 51})
    assert response.status_code == 413
    assert response.json()["limit"] == 50  # its MAX_MESSAGE_CHARS


def test_a_huge_body_is_refused_with_json(web_without_rasa):
    response = post(web_without_rasa, MESSAGES, {"message": "x" * 200_000})
    assert response.status_code == 413
    assert response.json()["error"]


@pytest.mark.parametrize(
    "body",
    [
        {"topic": "salary", "rating": "sideways"},
        {"topic": 'salary", "rating": "down', "rating": "up"},
        {"topic": "", "rating": "up"},
        {"rating": "up"},
    ],
)
def test_bad_feedback_is_refused(web_without_rasa, body):
    response = post(web_without_rasa, FEEDBACK, body)
    assert response.status_code == 400
    assert response.json()["error"] in ("bad_rating", "bad_topic")


def test_message_checks_in_process():
    assert message({"message": "  What is pay?  "}, 100) == "What is pay?"
    assert message({"message": "/pupillage"}, 100) == "/pupillage"  # a button's payload
    with pytest.raises(InvalidRequest):
        message({"message": "/greeting{}"}, 100)
    assert feedback_command({"topic": "legal-trainee-scheme", "rating": "down"}) == (
        '/feedback{"rating": "down", "rated_topic": "legal-trainee-scheme"}'
    )


# ---- When Rasa is not there ---------------------------------------------------------------


def test_an_unreachable_assistant_is_a_503_with_a_reason(web_without_rasa):
    response = post(web_without_rasa, MESSAGES, {"message": "hello"})
    assert response.status_code == 503
    assert response.json() == {
        "error": "assistant_unavailable",
        "reason": "The careers assistant is not answering.",
    }


def test_a_silent_assistant_is_a_504_after_the_timeout(start_web_app, silent_upstream):
    app = start_web_app(silent_upstream, env={"RASA_TIMEOUT": "1"})
    started = time.monotonic()
    response = post(app, MESSAGES, {"message": "hello"})
    assert response.status_code == 504
    assert response.json()["error"] == "assistant_timeout"
    assert time.monotonic() - started < 5


# ---- CORS -------------------------------------------------------------------------------


def test_cors_answers_only_the_configured_origins(start_web_app, closed_port):
    app = start_web_app(
        f"http://127.0.0.1:{closed_port}", env={"ALLOWED_ORIGINS": "https://careers.example.org"}
    )
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }

    allowed = requests.options(
        app.url + MESSAGES,
        timeout=10,
        headers={"Origin": "https://careers.example.org", **preflight},
    )
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://careers.example.org"
    assert "POST" in allowed.headers["Access-Control-Allow-Methods"]

    other = requests.options(
        app.url + MESSAGES, timeout=10, headers={"Origin": "https://evil.example", **preflight}
    )
    assert "Access-Control-Allow-Origin" not in other.headers

    # CORS alone does not stop a request being sent, so the server refuses it too.
    forged = post(app, MESSAGES, {"message": "hello"}, headers={"Origin": "https://evil.example"})
    assert forged.status_code == 403
    assert forged.json()["error"] == "origin_not_allowed"


# ---- Settings -----------------------------------------------------------------------------


def test_settings_defaults_and_errors():
    settings = Settings.from_env({})
    assert (settings.host, settings.port, settings.rasa_url) == (
        "127.0.0.1",
        8000,
        "http://127.0.0.1:5005",
    )
    assert settings.allowed_origins == ("http://localhost:8000", "http://127.0.0.1:8000")
    assert settings.max_message_chars == 1000
    assert Settings.from_env({"WEB_PORT": "9000"}).allowed_origins[0] == "http://localhost:9000"
    assert parse_origins(" https://A.example/ ,http://b.example:81") == (
        "https://a.example",
        "http://b.example:81",
    )
    for env in (
        {"ALLOWED_ORIGINS": "*"},
        {"ALLOWED_ORIGINS": "https://a.example/path"},
        {"WEB_PORT": "eighty"},
        {"MAX_MESSAGE_CHARS": "0"},
        {"RASA_URL": "ftp://x"},
    ):
        with pytest.raises(SettingsError):
            Settings.from_env(env)


# ---- Forwarding to the real assistant ---------------------------------------------------


@pytest.mark.e2e
def test_messages_are_forwarded_to_the_assistant_as_it_answers(web):
    response = post(web, MESSAGES, {"message": "/greeting"})
    assert response.status_code == 200
    messages = response.json()["messages"]
    topics = [m["custom"]["topic"] for m in messages if isinstance(m.get("custom"), dict)]
    assert topics == ["greeting"]
    assert all(m["recipient_id"] == GOOD_ID for m in messages)


@pytest.mark.e2e
def test_feedback_reaches_the_assistant_with_the_rated_topic(web):
    conversation = "feedback" + GOOD_ID
    post(web, MESSAGES, {"message": "/greeting"}, conversation=conversation)
    response = post(web, FEEDBACK, {"topic": "salary", "rating": "up"}, conversation=conversation)
    assert response.status_code == 200
    messages = response.json()["messages"]
    topics = [m["custom"]["topic"] for m in messages if isinstance(m.get("custom"), dict)]
    assert topics == ["salary"]  # the acknowledgement carries the topic it rated
    assert any(m.get("text") for m in messages)


@pytest.mark.e2e
def test_the_transcript_is_the_stored_redacted_conversation(web):
    conversation = "transcript" + GOOD_ID
    post(web, MESSAGES, {"message": "/greeting"}, conversation=conversation)
    # An answer (only answers can be rated), with personal details in its background.
    typed = "my name is Jane Smith and my case is 01AB1234567. What does a paralegal officer earn?"
    answer = post(web, MESSAGES, {"message": typed}, conversation=conversation).json()
    topic = next(m["custom"]["topic"] for m in answer["messages"] if "custom" in m)
    post(web, FEEDBACK, {"topic": topic, "rating": "up"}, conversation=conversation)
    response = post(web, TRANSCRIPT, {}, conversation=conversation)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    greeting, visitor, reply = response.json()["turns"]
    assert greeting["who"] == "bot" and greeting["rateable"] is False
    assert greeting["messages"][0]["custom"]["topic"] == "greeting"
    assert visitor == {
        "who": "user",
        "text": (
            "my name is [name] and my case is [case reference]. "
            "What does a paralegal officer earn?"
        ),
    }
    assert reply["rateable"] and reply["rating"] == "up" and reply["ack"]
    texts = [m.get("text") for m in reply["messages"]]
    assert texts[-1] == KB.conversation["personal-details-removed"].answer  # said once
    assert "Jane" not in response.text and "1234567" not in response.text
    unknown = post(web, TRANSCRIPT, {}, conversation="neverseen" + GOOD_ID)
    assert unknown.status_code == 200 and unknown.json() == {"turns": []}
