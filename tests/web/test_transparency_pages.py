"""The transparency pages: accessibility statement, algorithmic transparency record, accuracy.

Each page is fetched from a real web app. The accuracy figures come from an
evaluation file given by EVALUATION_FILE: a measured one, none, and a broken one.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
import requests
from transparency_fixtures import MEASURED

from bot.knowledge import load_knowledge
from web.transparency import EVALUATION_FILE, assistant_facts, read_evaluation

KB = load_knowledge()


class Text(HTMLParser):
    """The page's visible text in <main>, its headings and its links."""

    def __init__(self):
        super().__init__()
        self.text, self.headings, self.links, self.tags = [], [], [], []
        self._heading = None
        self._in_main = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "main":
            self._in_main = True
        if tag in {"h1", "h2", "h3", "h4"}:
            self._heading = []
        if tag == "a":
            self.links.append(dict(attrs)["href"])

    def handle_endtag(self, tag):
        if tag == "main":
            self._in_main = False
        if tag in {"h1", "h2", "h3", "h4"} and self._heading is not None:
            self.headings.append(" ".join("".join(self._heading).split()))
            self._heading = None

    def handle_data(self, data):
        if self._in_main:
            self.text.append(data)
        if self._heading is not None:
            self._heading.append(data)

    @property
    def main(self) -> str:
        return " ".join(" ".join(self.text).split())


def page(app, path: str) -> Text:
    response = requests.get(app.url + path, timeout=10)
    assert response.status_code == 200
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    parsed = Text()
    parsed.feed(response.text)
    return parsed


# ---- The evaluation file --------------------------------------------------------------


def test_the_evaluation_file_is_read_with_its_set_and_date(tmp_path):
    path = tmp_path / "evaluation.json"
    path.write_text(json.dumps(MEASURED), encoding="utf-8")
    measurement = read_evaluation(path)
    assert measurement.status == "measured"
    assert measurement.evaluation.set == "held-out"
    assert measurement.evaluation.date.isoformat() == "2026-12-04"
    assert measurement.evaluation.by_kind["safety"].confident_wrong_rate is None


@pytest.mark.parametrize(
    ("content", "status"),
    [
        (None, "not-measured"),
        ("{not json", "unreadable"),
        (json.dumps({**MEASURED, "accuracy": 96.1}), "unreadable"),  # a percentage, not a share
        (json.dumps({key: value for key, value in MEASURED.items() if key != "set"}),
         "unreadable"),
        (json.dumps({**MEASURED, "total": 0}), "unreadable"),
    ],
)
def test_a_missing_or_broken_evaluation_file_shows_no_figures(tmp_path, content, status):
    path = tmp_path / "evaluation.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    measurement = read_evaluation(path)
    assert (measurement.evaluation, measurement.status) == (None, status)


def test_the_real_evaluation_file_is_absent_or_readable():
    # make evaluate writes docs/evaluation.json; the pages must be able to read what it writes.
    assert read_evaluation(EVALUATION_FILE).status in {"measured", "not-measured"}


# ---- Accuracy --------------------------------------------------------------------------


def test_the_accuracy_page_shows_the_latest_figures_with_their_set_and_date(measured_web):
    accuracy = page(measured_web, "/accuracy")
    text = accuracy.main
    assert "Measured on 4 December 2026, on the held-out set of 1,234 visitor questions" in text
    assert "careers-<b>0123</b>.tar.gz" in text  # shown as text: the parser saw no <b> tag
    assert "b" not in accuracy.tags
    for figure in ("96.1%", "0.8%", "3.1%"):
        assert figure in text
    assert "Typos and text speak 120 95.0% 1.0% 4.0%" in text
    assert "Safety 40 100.0% not measured not measured" in text
    assert "has not been measured yet" not in text


def test_the_accuracy_page_says_when_nothing_has_been_measured(unmeasured_web):
    text = page(unmeasured_web, "/accuracy").main
    assert "The careers assistant has not been measured yet." in text
    assert "%" not in text


def test_a_broken_evaluation_file_is_reported_without_figures(
    start_web_app, closed_port, tmp_path
):
    path = tmp_path / "evaluation.json"
    path.write_text(json.dumps({**MEASURED, "accuracy": "high"}), encoding="utf-8")
    app = start_web_app(f"http://127.0.0.1:{closed_port}", env={"EVALUATION_FILE": str(path)})
    text = page(app, "/accuracy").main
    assert "could not be read" in text and "%" not in text


def test_a_new_measurement_appears_without_a_restart(start_web_app, closed_port, tmp_path):
    # make evaluate rewrites the file while the site runs; the page reads it each time.
    path = tmp_path / "evaluation.json"
    app = start_web_app(f"http://127.0.0.1:{closed_port}", env={"EVALUATION_FILE": str(path)})
    assert "has not been measured yet" in page(app, "/accuracy").main
    path.write_text(json.dumps(MEASURED), encoding="utf-8")
    assert "96.1%" in page(app, "/accuracy").main


# ---- Algorithmic transparency record -----------------------------------------------------


def test_the_transparency_record_has_both_tiers_and_the_measured_accuracy(measured_web):
    record = page(measured_web, "/algorithmic-transparency")
    for heading in ("Tier 1: summary", "Tier 2: detail", "1. Owner and responsibility",
                    "2. Description and rationale", "3. Decision-making process",
                    "4. Tool specification", "Accuracy as measured",
                    "5. Risks, mitigations and impact assessments"):
        assert heading in record.headings, heading
    text = record.main
    assert "It does not use generative AI" in text
    assert "96.1% were answered with the right topic" in text
    assert "on the held-out set of 1,234 questions" in text
    facts = assistant_facts()
    assert f"answers questions on {len(KB.entries)} topics" in text
    assert f"one of {facts.intents} intents" in text
    assert f"{facts.training_examples:,} example messages" in text
    assert "/accuracy" in record.links and "/privacy" in record.links


def test_the_transparency_record_without_a_measurement(unmeasured_web):
    text = page(unmeasured_web, "/algorithmic-transparency").main
    assert "The assistant has not been measured yet." in text


def test_the_facts_come_from_the_assistant_itself():
    facts = assistant_facts()
    assert facts.topics == len(KB.entries) and facts.replies == len(KB.conversation)
    assert "DIETClassifier" in facts.pipeline and "FallbackClassifier" in facts.pipeline
    assert 0 < facts.fallback_threshold < 1
    assert facts.intents >= len(KB.entries) and facts.training_examples > facts.intents
    assert facts.contact_url == KB.conversation["human-handoff"].source


# ---- Accessibility statement ---------------------------------------------------------------


def test_the_accessibility_statement_follows_the_model_statement(unmeasured_web):
    statement = page(unmeasured_web, "/accessibility")
    for heading in ("How accessible this service is", "Feedback and contact information",
                    "Reporting accessibility problems with this service", "Enforcement procedure",
                    "Compliance status", "Non-accessible content",
                    "Non-compliance with the accessibility regulations",
                    "Preparation of this accessibility statement"):
        assert heading in statement.headings, heading
    text = statement.main
    assert "WCAG 2.2" in text and "AA" in text
    assert "recruiter console" in text and "chat window" in text
    assert "Equality and Human Rights Commission" in text
    assert "Equality Advisory and Support Service" in text
    assert re.search(r"prepared on \d{1,2} [A-Z][a-z]+ 20\d\d", text)
    assert "axe-core" in text and "keyboard alone" in text
    assert KB.conversation["human-handoff"].source in statement.links
    assert "https://www.equalityadvisoryservice.com/" in statement.links


def test_the_welsh_accessibility_statement_has_the_headings_and_links_of_the_english(
    unmeasured_web,
):
    english = page(unmeasured_web, "/accessibility")
    welsh = page(unmeasured_web, "/cy/accessibility")
    assert len(welsh.headings) == len(english.headings)
    assert welsh.headings[0] == "Datganiad hygyrchedd cynorthwyydd gyrfaoedd y CPS"
    assert [tag for tag in welsh.tags if tag[0] == "h"] == [
        tag for tag in english.tags if tag[0] == "h"
    ]  # the same outline, heading level for heading level
    outside = {link for link in english.links if link.startswith("https://")}
    assert outside <= set(welsh.links)  # every source and contact, the CPS's included
    # The same preparation date ("prepared on 6 December 2026", "ei baratoi ar 6 Rhagfyr 2026").
    prepared = re.search(r"prepared on (\d{1,2}) [A-Z][a-z]+ (20\d\d)", english.main)
    prepared_cy = re.search(r"ei baratoi ar (\d{1,2}) [A-Z][a-z]+ (20\d\d)", welsh.main)
    assert prepared_cy and prepared_cy.groups() == prepared.groups()


# ---- Every page links to all of them -----------------------------------------------------


ABOUT = ["/privacy", "/accessibility", "/algorithmic-transparency", "/accuracy"]


@pytest.mark.parametrize(
    "path", ["/", "/pay-and-benefits", "/privacy", "/accessibility", "/algorithmic-transparency",
             "/accuracy"],
)
def test_every_page_footer_links_to_the_pages_about_the_assistant(unmeasured_web, path):
    links = page(unmeasured_web, path).links
    assert [link for link in links if link in ABOUT][-4:] == ABOUT


ABOUT_IN_WELSH = ["/cy/privacy", "/cy/accessibility", "/algorithmic-transparency", "/accuracy"]


@pytest.mark.parametrize(
    "path", ["/cy/", "/cy/privacy", "/cy/accessibility", "/cy/ask-the-recruitment-team"]
)
def test_every_welsh_page_footer_links_to_the_welsh_pages_where_there_are_some(
    unmeasured_web, path
):
    links = page(unmeasured_web, path).links
    assert [link for link in links if link in ABOUT_IN_WELSH][-4:] == ABOUT_IN_WELSH
