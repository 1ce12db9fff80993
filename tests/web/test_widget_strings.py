"""The widget's words in English and Welsh, served from the knowledge file, and the
language every message carries to the assistant, over HTTP on the running web app."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from bot.knowledge import load_knowledge
from web.validation import InvalidRequest, metadata

ROOT = Path(__file__).resolve().parents[2]
WIDGET_JS = (ROOT / "web" / "static" / "widget" / "widget.js").read_text(encoding="utf-8")
HANDOFF_JS = (ROOT / "web" / "static" / "widget" / "handoff.js").read_text(encoding="utf-8")
GOOD_ID = "0123456789abcdef0123456789abcdef"
KB = load_knowledge()
WIDGET_LABELS = {key: label for key, label in KB.labels.items() if key.startswith("widget-")}
PLACEHOLDER = re.compile(r"\{[a-z]+\}")


def strings(app) -> dict:
    response = requests.get(f"{app.url}/api/strings", timeout=10)
    assert response.status_code == 200
    return response.json()


def test_the_strings_are_the_knowledge_files_widget_labels_in_both_languages(web_without_rasa):
    served = strings(web_without_rasa)
    assert set(served) == {"en", "cy"}
    assert set(served["en"]) == set(served["cy"])
    for key, label in WIDGET_LABELS.items():
        name = key.removeprefix("widget-")
        assert served["en"][name] == label.wording
        assert served["cy"][name] == label.cy.wording
    assert served["cy"]["launcher"] == "Gofynnwch i'n cynorthwyydd gyrfaoedd"
    assert served["cy"]["in-english"] == KB.label("source-in-english", "cy").text
    assert served["en"]["months"][2] == "March" and served["cy"]["months"][2] == "Mawrth"


def test_any_site_may_read_the_strings_and_nothing_caches_them_stale(web_without_rasa):
    response = requests.get(
        f"{web_without_rasa.url}/api/strings", headers={"Origin": "https://example.org"}, timeout=10
    )
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Cache-Control"] == "no-store"


def test_every_widget_label_has_welsh_with_the_same_placeholders():
    assert len(WIDGET_LABELS) > 40
    for key, label in WIDGET_LABELS.items():
        assert label.cy is not None and label.cy.wording, key
        assert label.cy.status in ("draft", "reviewed"), key
        english, welsh = PLACEHOLDER.findall(label.wording), PLACEHOLDER.findall(label.cy.wording)
        assert sorted(english) == sorted(welsh), key


def test_the_widget_and_its_form_ask_only_for_strings_that_exist_and_write_none_of_their_own():
    names = {key.removeprefix("widget-") for key in WIDGET_LABELS}
    names |= {"months", "in-english", "handoff-heading"}
    asked = set(re.findall(r'\b(?:t|said|sentence)\("([a-z-]+)"', WIDGET_JS))
    asked |= set(re.findall(r'"([a-z-]+)"', WIDGET_JS.split("var ERRORS = {")[1].split("};")[0]))
    asked |= set(re.findall(r'\bstrings\[[a-zA-Z.]+\]\["([a-z-]+)"\]', WIDGET_JS))
    asked |= set(re.findall(r'noticeLink\([^,]+, "([a-z-]+)"\)', WIDGET_JS))
    # The form for the recruitment team: t("sent") and say(words, "...") are "handoff-sent"...
    in_form = re.findall(r'\bt\("([a-z-]+)"|say\(words, "([a-z-]+)"', HANDOFF_JS)
    asked |= {"handoff-" + (plain or said) for plain, said in in_form}
    assert asked and asked - names == set()
    unused = (
        names
        - asked
        - {
            "character-left",
            "character-over",
            "characters-left",
            "characters-over",
            "source-checked",
            "source",
            "months",
        }
    )
    assert unused == set(), "labels the widget never shows"
    code = re.sub(r"/\*.*?\*/|^\s*//.*$", "", WIDGET_JS + HANDOFF_JS, flags=re.S | re.M)
    for key, label in WIDGET_LABELS.items():
        if " " in label.wording:  # a sentence, not a word that could be code
            assert label.wording not in code, f"{key} is written into widget.js"


@pytest.mark.parametrize(
    "value", [{"lang": "fr"}, "cy", ["cy"], {"lang": "cy", "name": "x"}, {"language": "cy"}]
)
def test_odd_metadata_is_refused_with_a_reason(web_without_rasa, value):
    response = requests.post(
        f"{web_without_rasa.url}/api/messages",
        json={"conversation": GOOD_ID, "message": "hello", "metadata": value},
        timeout=10,
    )
    assert response.status_code == 400
    assert response.json()["error"] == "bad_metadata"
    with pytest.raises(InvalidRequest):
        metadata({"metadata": value})


def test_metadata_checks_in_process():
    assert metadata({}) == {}
    assert metadata({"metadata": {"lang": "cy"}}) == {"lang": "cy"}
    assert metadata({"metadata": {"lang": "en"}}) == {"lang": "en"}


# ---- What reaches the assistant ---------------------------------------------------------------


class RecordingRasa:
    """A real HTTP server in Rasa's place that keeps each webhook body and answers nothing."""

    def __init__(self):
        self.bodies: list[dict] = []
        recorded = self.bodies

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (the http.server name)
                length = int(self.headers.get("Content-Length") or 0)
                recorded.append(json.loads(self.rfile.read(length)))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"[]")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture(scope="module")
def recording_rasa() -> Iterator[RecordingRasa]:
    rasa = RecordingRasa()
    yield rasa
    rasa.server.shutdown()
    rasa.server.server_close()


def test_the_chosen_language_reaches_the_assistant_with_each_message(start_web_app, recording_rasa):
    app = start_web_app(recording_rasa.url)
    sent = [
        ("messages", {"message": "Beth yw cyflog erlynydd?", "metadata": {"lang": "cy"}}),
        ("feedback", {"topic": "salary", "rating": "up", "metadata": {"lang": "cy"}}),
        ("messages", {"message": "What is the pay?", "metadata": {"lang": "en"}}),
        ("messages", {"message": "What is the pay?"}),  # an older widget says nothing
    ]
    for kind, body in sent:
        response = requests.post(
            f"{app.url}/api/{kind}", json={"conversation": GOOD_ID, **body}, timeout=10
        )
        assert response.status_code == 200, response.text
    assert [body.get("metadata") for body in recording_rasa.bodies] == [
        {"lang": "cy"},
        {"lang": "cy"},
        {"lang": "en"},
        None,
    ]
    assert recording_rasa.bodies[0] == {
        "sender": GOOD_ID,
        "message": "Beth yw cyflog erlynydd?",
        "metadata": {"lang": "cy"},
    }


def test_the_welsh_home_page_is_welsh_and_points_to_the_english_one(web_without_rasa):
    welsh = requests.get(f"{web_without_rasa.url}/cy/", timeout=10).text
    english = requests.get(f"{web_without_rasa.url}/", timeout=10).text
    assert '<html lang="cy">' in welsh
    assert "<h1>Gyrfaoedd gyda Gwasanaeth Erlyn y Goron</h1>" in welsh
    assert '<a href="/" lang="en-GB" hreflang="en-GB">English</a>' in welsh
    assert '<a href="/cy/" lang="cy" hreflang="cy">Cymraeg</a>' in english
    for page in (welsh, english):
        assert '<link rel="alternate" hreflang="cy" href="/cy/">' in page
        assert '<link rel="alternate" hreflang="en-GB" href="/">' in page
    # The pages about the assistant are in English only: the Welsh footer says so.
    assert "Datganiad hygyrchedd</a>" in welsh  # translated: no "(Saesneg)"
    assert "Cofnod tryloywder algorithmig (Saesneg)" in welsh  # English only, and says so
    assert requests.get(f"{web_without_rasa.url}/cy", timeout=10).status_code == 200
