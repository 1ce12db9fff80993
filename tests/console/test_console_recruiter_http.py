"""What a recruiter and an administrator do over HTTP on the running web app, on SQLite
and PostgreSQL: find wrong answers and safeguarding cases, read runner-up topics, set
unanswered questions aside and back, export notes and sources, manage accounts; every
change audited."""

from __future__ import annotations

import csv
import io
import re
import uuid

import pytest
import requests
import sqlalchemy as sa
from conftest import Console
from seed import PASSWORD

from bench.console_client import csrf_token, submit_password
from bench.console_client import sign_in as bench_sign_in
from bot.storage import database as db
from web.console import dismissals


@pytest.fixture
def app(recruiter_console: Console) -> Console:
    return recruiter_console


def signed_in(app: Console, role: str = "recruiter") -> requests.Session:
    email, secret = app.new_account(role)
    session, _ = bench_sign_in(app.url, email, PASSWORD, secret)
    session.email = email
    return session


def get(session: requests.Session, app: Console, path: str, **params) -> requests.Response:
    return session.get(f"{app.url}{path}", params=params, timeout=10)


def post(session, app: Console, path: str, page: str, **data) -> requests.Response:
    token = csrf_token(get(session, app, page).text)
    return session.post(
        f"{app.url}{path}", data={"csrf_token": token, **data}, allow_redirects=False, timeout=10
    )


def password_accepted(app: Console, email: str, password: str) -> bool:
    """The first step of signing in only (a code is accepted once: not used up here)."""
    answer = submit_password(requests.Session(), app.url, email, password)
    return answer.status_code == 303 and "/console/sign-in/" in answer.headers["location"]


def audited(app: Console, actor: str) -> list[tuple[str, str]]:
    with app.engine.connect() as connection:
        return [
            (row.action, row.detail)
            for row in connection.execute(
                sa.select(db.audit).where(db.audit.c.actor == actor).order_by(db.audit.c.id)
            )
        ]


def test_the_list_shows_first_questions_titles_channels_and_signs(app):
    session = signed_in(app)
    page = get(session, app, "/console/conversations")
    assert page.status_code == 200
    assert "does the cps pay for the sqe" in page.text  # the first question, not an id
    assert "Flexible and hybrid working" in page.text and ">flexible-working<" not in page.text
    assert "Widget" in page.text and "Asked again" in page.text
    assert "Safeguarding: not signposted" in page.text
    unsure = get(session, app, "/console/conversations", low_confidence="1")
    assert unsure.text.count('href="/console/conversations/unsure-') == 1
    assert "1 conversation<" in unsure.text
    widget = get(session, app, "/console/conversations", channel="widget")
    assert "1 conversation<" in widget.text and app.ids["rephrased"] in widget.text
    oldest = get(session, app, "/console/conversations", sort="oldest").text
    assert oldest.index(app.ids["unsure"]) < oldest.index(app.ids["missed"])
    newest = get(session, app, "/console/conversations").text
    assert newest.index(app.ids["missed"]) < newest.index(app.ids["unsure"])
    bad = get(session, app, "/console/conversations", sort="1; drop table events")
    assert bad.status_code == 400 and "Sort: choose an order" in bad.text
    # The retention period, from the settings.
    assert "deleted 90 days after their last message" in page.text
    assert "sensitive ones after 30 days" in page.text


def test_the_transcript_shows_runner_up_topics_and_safeguarding(app):
    session = signed_in(app)
    unsure = get(session, app, f"/console/conversations/{app.ids['unsure']}").text
    assert "Runners-up: The Legal Trainee Scheme (0.30); Benefits (0.10)" in unsure
    assert ">unsure<" in unsure and "Left after an answer" in unsure
    missed = get(session, app, f"/console/conversations/{app.ids['missed']}").text
    assert "did not give the safety signposting" in missed and "Described: danger" in missed
    signposted = get(session, app, f"/console/conversations/{app.ids['signposted']}").text
    assert "The assistant gave the safety signposting" in signposted
    assert "Safety signposting</strong>" in signposted


def test_an_invalid_tag_returns_to_the_conversation_with_the_error(app):
    session = signed_in(app)
    path = f"/console/conversations/{app.ids['unsure']}"
    refused = post(session, app, f"{path}/tags", path, tag="call back jane")
    assert refused.status_code == 400
    assert "There is a problem" in refused.text and 'href="#tag"' in refused.text
    assert "Choose a tag from the list" in refused.text
    assert "does the cps pay for the sqe" in refused.text  # the conversation, still there
    with app.engine.connect() as connection:
        tags = connection.execute(
            sa.select(db.tags).where(db.tags.c.sender_id == app.ids["unsure"])
        ).all()
    assert tags == []


def test_safeguarding_lists_the_conversations_to_check(app):
    session = signed_in(app)
    page = get(session, app, "/console/safeguarding")
    assert page.status_code == 200 and "2 conversations" in page.text
    assert app.ids["missed"] in page.text and app.ids["signposted"] in page.text
    assert app.ids["unsure"] not in page.text
    assert page.text.count("Not signposted</strong>") == 1
    assert [action for action, _ in audited(app, session.email)][-1] == "view-safeguarding"


def test_exports_carry_notes_sources_and_iso_dates(app):
    session = signed_in(app)
    path = f"/console/conversations/{app.ids['unsure']}"
    post(session, app, f"{path}/review", path, reviewed="yes", note="wrong topic: SQE funding")
    exported = get(session, app, "/console/export.csv", low_confidence="1").text
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert {"note", "source"} <= set(rows[0])
    assert rows[0]["note"] == "wrong topic: SQE funding"
    assert any(row["source"] == "https://www.cps.gov.uk/careers" for row in rows)
    iso = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
    assert all(iso.match(row["started"]) and iso.match(row["time"]) for row in rows)
    (conversation,) = get(session, app, "/console/export.json", low_confidence="1").json()[
        "conversations"
    ]
    assert conversation["note"] == "wrong topic: SQE funding"
    assert iso.match(conversation["started"]) and iso.match(conversation["last"])
    assert all(iso.match(m["at"]) for m in conversation["messages"])
    assert conversation["messages"][1]["source"] == "https://www.cps.gov.uk/careers"


def test_insights_trends_ratings_and_setting_questions_aside(app):
    session = signed_in(app)
    page = get(session, app, "/console/insights")
    assert page.status_code == 200
    for heading in ("Not understood: share of", "Confident answers: share of", "Rated helpful"):
        assert heading in page.text
    assert page.text.count("Week starting") == 4  # three trends and the ratings by topic
    ratings = page.text[page.text.index('id="satisfaction"') :]
    assert re.search(r"Flexible and hybrid working</td><td[^>]*>0</td><td[^>]*>1</td>", ratings)
    assert "someone is following me home every night" in page.text

    key = dismissals.question_key("someone is following me home every night")
    dismissed = post(session, app, "/console/insights/dismissals", "/console/insights", key=key)
    assert dismissed.status_code == 303 and "notice=dismissed" in dismissed.headers["location"]
    page = get(session, app, "/console/insights")
    unanswered = page.text[page.text.index('id="unanswered"') : page.text.index('id="set-aside"')]
    assert "following me home" not in unanswered
    (number,) = re.findall(r"/console/insights/dismissals/(\d+)/restore", page.text)
    post(session, app, f"/console/insights/dismissals/{number}/restore", "/console/insights")
    page = get(session, app, "/console/insights")
    unanswered = page.text[page.text.index('id="unanswered"') : page.text.index('id="set-aside"')]
    assert "following me home" in unanswered

    too_short = post(
        session, app, "/console/insights/dismissals", "/console/insights", pattern=" a "
    )
    assert too_short.status_code == 400 and "at least 3 characters" in too_short.text
    actions = [action for action, _ in audited(app, session.email)]
    assert actions.count("dismiss-questions") == 1 and actions.count("restore-dismissal") == 1


def test_administrators_manage_accounts_audited(app):
    admin = signed_in(app, "admin")
    email = f"new-{uuid.uuid4().hex[:8]}@cps.example"
    accounts = "/console/accounts"
    added = post(admin, app, accounts, accounts, email=email, role="recruiter")
    assert added.status_code == 200 and f"The account {email} was added" in added.text
    password = re.search(r'id="new-password">([^<]+)<', added.text).group(1)
    assert len(password) >= 20
    twice = post(admin, app, "/console/accounts", "/console/accounts", email=email, role="admin")
    assert twice.status_code == 400 and "already has an account" in twice.text

    with app.engine.begin() as connection:
        account_id, role = connection.execute(
            sa.select(db.accounts.c.id, db.accounts.c.role).where(db.accounts.c.email == email)
        ).one()
    assert role == "recruiter"
    post(admin, app, f"/console/accounts/{account_id}/role", "/console/accounts", role="admin")

    # The other account signs in (setting up its authenticator), then is disabled.
    other, _ = bench_sign_in(app.url, email, password)
    assert get(other, app, "/console/accounts").status_code == 200  # an administrator now
    post(admin, app, f"/console/accounts/{account_id}/disable", "/console/accounts")
    signed_out = other.get(f"{app.url}/console/conversations", allow_redirects=False, timeout=10)
    assert signed_out.status_code == 303  # its session ended
    assert not password_accepted(app, email, password)  # a disabled account cannot sign in
    post(
        admin, app, f"/console/accounts/{account_id}/disable", "/console/accounts", disabled="no"
    )

    renewed = post(admin, app, f"/console/accounts/{account_id}/password", "/console/accounts")
    new_password = re.search(r'id="new-password">([^<]+)<', renewed.text).group(1)
    assert new_password != password
    assert password_accepted(app, email, new_password)
    assert not password_accepted(app, email, password)

    with app.engine.connect() as connection:
        own_id = connection.execute(
            sa.select(db.accounts.c.id).where(db.accounts.c.email == admin.email)
        ).scalar()
    itself = post(admin, app, f"/console/accounts/{own_id}/disable", "/console/accounts")
    assert itself.status_code == 400

    actions = [action for action, detail in audited(app, admin.email) if email in detail]
    assert actions == [
        "account-add",
        "account-role",
        "account-disable",
        "account-enable",
        "account-password-reset",
    ]
    assert all(password not in detail for _, detail in audited(app, admin.email))


def test_recruiters_cannot_manage_accounts(app):
    recruiter = signed_in(app)
    refused = post(
        recruiter, app, "/console/accounts", "/console/conversations", email="a@cps.example",
        role="admin",
    )
    assert refused.status_code == 403
