"""The language of each conversation in the console, over HTTP on the running web app, on
SQLite and PostgreSQL: shown in the list and the transcript, filtered on, counted in the
insights and carried in the exports. The conversations are real Rasa events stored as
the assistant stores them (seed.LANGUAGE_CASES)."""

from __future__ import annotations

import csv
import io
import re

import pytest
import requests
from conftest import Console
from seed import PASSWORD

from bench.console_client import sign_in as bench_sign_in

WELSH_CASES = {"welsh", "answered-in-welsh", "chosen-welsh"}
ENGLISH_CASES = {"english", "before-languages"}


@pytest.fixture
def app(language_console: Console) -> Console:
    return language_console


@pytest.fixture
def session(app: Console) -> requests.Session:
    email, secret = app.new_account("recruiter")
    signed_in, _ = bench_sign_in(app.url, email, PASSWORD, secret)
    return signed_in


def get(session: requests.Session, app: Console, path: str, **params) -> requests.Response:
    return session.get(f"{app.url}{path}", params=params, timeout=10)


def listed(app: Console, html: str) -> set[str]:
    """The seeded conversations a list page links to, by name."""
    return {name for name, sender in app.ids.items() if f"/console/conversations/{sender}" in html}


def test_the_language_filter_finds_the_conversations_in_each_language(app, session):
    everything = get(session, app, "/console/conversations")
    assert listed(app, everything.text) == WELSH_CASES | ENGLISH_CASES
    assert '<select class="govuk-select" id="language" name="language">' in everything.text

    welsh = get(session, app, "/console/conversations", language="cy")
    assert welsh.status_code == 200
    assert listed(app, welsh.text) == WELSH_CASES
    assert '<option value="cy" selected>Welsh</option>' in welsh.text
    # Stored before the widget said its language: read as English.
    assert listed(app, get(session, app, "/console/conversations", language="en").text) == (
        ENGLISH_CASES
    )
    # Filters combine: Welsh conversations the assistant did not understand.
    not_understood = get(session, app, "/console/conversations", language="cy", fallback="1")
    assert listed(app, not_understood.text) == {"answered-in-welsh"}


def test_an_unknown_language_is_refused_with_a_reason(app, session):
    answer = get(session, app, "/console/conversations", language="fr")
    assert answer.status_code == 400
    assert "Language: choose English, Welsh or any" in answer.text


def test_the_list_and_the_transcript_say_the_language(app, session):
    row = re.search(
        rf'href="/console/conversations/{app.ids["chosen-welsh"]}".*?</tr>',
        get(session, app, "/console/conversations").text,
        re.S,
    )
    assert '<td class="govuk-table__cell">Welsh</td>' in row.group(0)
    for name, language in (("welsh", "Welsh"), ("before-languages", "English")):
        transcript = get(session, app, f"/console/conversations/{app.ids[name]}").text
        assert re.search(
            rf'Language</dt><dd class="govuk-summary-list__value">{language}</dd>', transcript
        ), name


def test_exports_carry_each_conversations_language(app, session):
    rows = list(csv.DictReader(io.StringIO(get(session, app, "/console/export.csv").text)))
    by_conversation = {row["conversation"]: row["language"] for row in rows}
    assert {name: by_conversation[app.ids[name]] for name in app.ids} == {
        "welsh": "cy",
        "english": "en",
        "answered-in-welsh": "cy",
        "chosen-welsh": "cy",
        "before-languages": "en",
    }
    exported = get(session, app, "/console/export.json", language="cy").json()["conversations"]
    assert {c["conversation"] for c in exported} == {app.ids[name] for name in WELSH_CASES}
    assert {c["language"] for c in exported} == {"cy"}
    (welsh,) = [c for c in exported if c["conversation"] == app.ids["welsh"]]
    asked = [m for m in welsh["messages"] if m["speaker"] == "visitor" and m["text"][:4] == "beth"]
    answered = [m.get("lang") for m in welsh["messages"] if m["speaker"] == "assistant"]
    assert [m["lang"] for m in asked] == ["cy"]  # as chosen in the widget
    assert answered == ["cy", "cy", None]  # greeting, answer, thanks for the rating (unsaid)


def test_insights_count_each_language(app, session):
    page = get(session, app, "/console/insights").text
    table = re.search(r'id="languages".*?</table>', page, re.S).group(0)
    cells = {
        name: re.findall(r'numeric">([^<]*)</td>', row)
        for name, row in re.findall(r">(English|Welsh)</a></th>(.*?)</tr>", table, re.S)
    }
    # Conversations, visitor messages, not understood, helpful, not helpful.
    assert cells["Welsh"] == ["3", "4", "25.0%", "0", "1"]
    assert cells["English"] == ["2", "2", "50.0%", "0", "0"]
    assert "/console/conversations?language=cy&amp;" in table
