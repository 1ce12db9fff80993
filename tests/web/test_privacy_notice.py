"""The privacy notice (/privacy) is true to the code: the retention it states is the
configuration in force, the personal details it says are removed are the redaction's
kinds, and it names the controller, the lawful basis and the visitor's rights. The Welsh
notice (/cy/privacy, a draft translation) has the same sections and states the same
settings, so neither can change alone."""

from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import expect
from widget_page import axe_violations

from bot.privacy import PII_KINDS
from bot.storage.retention import DEFAULT_DAYS, DEFAULT_SENSITIVE_DAYS

# How the notice names each kind of detail the redaction removes.
KIND_WORDS = {
    "name": "names",
    "email": "email addresses",
    "phone": "phone numbers",
    "address": "home addresses",
    "postcode": "postcodes",
    "date-of-birth": "dates of birth",
    "national-insurance": "National Insurance",
    "passport-number": "passport",
    "driving-licence": "driving licence",
    "nhs-number": "NHS numbers",
    "sort-code": "bank and card details",
    "bank-account": "bank and card details",
    "iban": "bank and card details",
    "card-number": "bank and card details",
    "card-expiry": "bank and card details",
    "card-security-code": "bank and card details",
    "case-reference": "CPS case references",
    "police-reference": "police crime reference numbers",
    "personal-reference": "other reference numbers",
    "profile-link": "social media profiles",
}


def stated(page: str, setting: str) -> int:
    return int(re.search(rf'data-setting="{setting}">(\d+)<', page).group(1))


def notice(app, path: str = "/privacy") -> str:
    response = requests.get(app.url + path, timeout=10)
    assert response.status_code == 200
    return response.text


def test_the_retention_stated_is_the_default_configuration(web_without_rasa):
    page = notice(web_without_rasa)
    assert stated(page, "RETENTION_DAYS") == DEFAULT_DAYS == 90
    assert stated(page, "SENSITIVE_RETENTION_DAYS") == DEFAULT_SENSITIVE_DAYS == 30
    assert "{{" not in page


def test_the_retention_stated_follows_the_settings(start_web_app, closed_port):
    app = start_web_app(
        f"http://127.0.0.1:{closed_port}",
        env={"RETENTION_DAYS": "60", "SENSITIVE_RETENTION_DAYS": "14"},
    )
    page = notice(app)
    assert (stated(page, "RETENTION_DAYS"), stated(page, "SENSITIVE_RETENTION_DAYS")) == (60, 14)


SETTINGS = (
    "RETENTION_DAYS",
    "SENSITIVE_RETENTION_DAYS",
    "REQUEST_RETENTION_DAYS",
    "REQUEST_REPLY_DAYS",
)


def test_the_welsh_notice_has_every_section_and_setting_of_the_english(start_web_app, closed_port):
    env = {"RETENTION_DAYS": "60", "SENSITIVE_RETENTION_DAYS": "14", "REQUEST_REPLY_DAYS": "2"}
    app = start_web_app(f"http://127.0.0.1:{closed_port}", env=env)
    english, welsh = notice(app), notice(app, "/cy/privacy")
    assert '<html lang="cy">' in welsh and "{{" not in welsh
    sections = re.compile(r'<(?:h2|p) id="([a-z-]+)"')
    assert sections.findall(welsh) == sections.findall(english)
    for setting in SETTINGS:
        assert stated(welsh, setting) == stated(english, setting), setting
    assert (stated(welsh, "RETENTION_DAYS"), stated(welsh, "REQUEST_REPLY_DAYS")) == (60, 2)
    # Each names the other as its translation.
    assert '<link rel="alternate" hreflang="cy" href="/cy/privacy">' in english
    assert '<link rel="alternate" hreflang="en-GB" href="/privacy">' in welsh


def test_the_hand_off_to_the_recruitment_team_states_its_settings(start_web_app, closed_port):
    default = notice(start_web_app(f"http://127.0.0.1:{closed_port}"))
    assert (stated(default, "REQUEST_RETENTION_DAYS"), stated(default, "REQUEST_REPLY_DAYS")) == (
        30, 5)
    app = start_web_app(
        f"http://127.0.0.1:{closed_port}",
        env={"REQUEST_RETENTION_DAYS": "7", "REQUEST_REPLY_DAYS": "2"},
    )
    page = notice(app)
    assert (stated(page, "REQUEST_RETENTION_DAYS"), stated(page, "REQUEST_REPLY_DAYS")) == (7, 2)
    said = " ".join(page.split())
    for words in ("the email address you give for the reply", "used only to reply",
                  "not in the service's logs"):
        assert words in said, words


def test_every_kind_of_detail_removed_is_named():
    assert set(KIND_WORDS) == PII_KINDS, "a new kind of detail: say so in the privacy notice"


def test_it_says_what_a_privacy_notice_must(web_without_rasa):
    page = " ".join(notice(web_without_rasa).split())
    for words in set(KIND_WORDS.values()):
        assert words in page, words
    for required in (
        "The Crown Prosecution Service is the controller",
        "Data Protection Officer",
        "Article 6(1)(e)",
        "Articles 9(2)(g) and 10",
        "ask for a copy of your conversation",
        "delete it",
        "object to us keeping it",
        "Information Commissioner's Office",
        "https://ico.org.uk/make-a-complaint/",
        "CPS recruiters who have signed in",
        'id="hand-off"',  # the section a human hand-off fills in
    ):
        assert required in page, required


@pytest.mark.browser
def test_the_notice_is_reached_by_keyboard_and_passes_axe(web_without_rasa, page):
    page.goto(web_without_rasa.url + "/")
    link = page.get_by_role("link", name="Privacy notice for the careers assistant")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/privacy")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Privacy notice for the careers assistant"
    )
    assert axe_violations(page) == []


@pytest.mark.browser
def test_the_welsh_notice_is_reached_from_the_welsh_page_and_passes_axe(web_without_rasa, page):
    page.goto(web_without_rasa.url + "/cy/")
    footer = page.get_by_role("navigation", name="Am y cynorthwyydd gyrfaoedd")
    link = footer.get_by_role("link", name="Hysbysiad preifatrwydd y cynorthwyydd gyrfaoedd")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/cy/privacy")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Hysbysiad preifatrwydd y cynorthwyydd gyrfaoedd"
    )
    assert axe_violations(page) == []
