"""The console over HTTP: sign-in, sessions, roles, CSRF, rate limit, escaping, audit."""

from __future__ import annotations

import re

import pytest
import requests
import sqlalchemy as sa
from seed import ADMIN, PASSWORD, RECRUITER

from bot.storage import database as db

CONVERSATION = "c0ffee00000000000000000000000000"
# Every console route that shows or changes data (the sign-in page and the GOV.UK
# Frontend files are public). test_every_route_is_listed keeps this list complete.
PROTECTED = [
    ("GET", "/console/conversations"),
    ("GET", f"/console/conversations/{CONVERSATION}"),
    ("GET", "/console/insights"),
    ("GET", "/console/export.csv"),
    ("GET", "/console/export.json"),
    ("POST", "/console/sign-out"),
    ("POST", f"/console/conversations/{CONVERSATION}/tags"),
    ("POST", f"/console/conversations/{CONVERSATION}/tags/remove"),
    ("POST", f"/console/conversations/{CONVERSATION}/review"),
    ("POST", f"/console/conversations/{CONVERSATION}/erase"),
]
PUBLIC = {"/console", "/console/", "/console/sign-in", "/console/govuk/govuk-frontend.min.css"}


def sign_in(console, email: str = RECRUITER, password: str = PASSWORD) -> requests.Session:
    session = requests.Session()
    form = session.get(f"{console.url}/console/sign-in", timeout=10).text
    token = re.search(r'name="signin_token" value="([^"]+)"', form).group(1)
    response = session.post(
        f"{console.url}/console/sign-in",
        data={"email": email, "password": password, "signin_token": token},
        allow_redirects=False,
        timeout=20,
    )
    session.last = response
    return session


def csrf(session: requests.Session, console, path: str) -> str:
    page = session.get(f"{console.url}{path}", timeout=10).text
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_every_route_is_listed():
    from web.app import create_app

    app = create_app(name="console_route_listing")
    paths = set()
    for route in app.router.routes:
        path = "/" + route.path.lstrip("/")
        if path.startswith("/console"):
            paths.add(re.sub(r"<conversation_id[^>]*>", CONVERSATION, path))
    listed = {path for _, path in PROTECTED} | PUBLIC
    unlisted = {
        p
        for p in paths
        if p not in listed and not p.startswith(("/console/govuk/assets", "/console/static"))
    }
    assert unlisted == set(), f"console routes missing from PROTECTED: {unlisted}"


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_signed_out_access_is_refused(console, method, path):
    response = requests.request(method, f"{console.url}{path}", allow_redirects=False, timeout=10)
    if method == "GET":
        assert response.status_code == 303
        assert response.headers["location"].startswith("/console/sign-in")
    else:
        assert response.status_code == 401
    assert "c0ffee" not in response.text and "jane" not in response.text


def test_sign_in_sets_a_strict_httponly_expiring_cookie(console):
    session = sign_in(console)
    assert session.last.status_code == 303
    cookie = session.last.headers["set-cookie"]
    assert "cps_console_session=" in cookie
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Max-Age=28800" in cookie
    page = session.get(f"{console.url}/console/conversations", timeout=10)
    assert page.status_code == 200 and RECRUITER in page.text
    assert page.headers["Cache-Control"] == "no-store"
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]


def test_secure_cookie_setting():
    from web.console.views import ConsoleSettings

    assert ConsoleSettings({}).cookie_secure is True  # the default
    assert ConsoleSettings({"CONSOLE_COOKIE_SECURE": "false"}).cookie_secure is False


def test_wrong_password_and_rate_limit(console):
    target = "target@cps.example"  # not an account: failures count the same
    for _ in range(5):
        assert sign_in(console, target, "not the password").last.status_code == 401
    blocked = sign_in(console, target, "any password").last
    assert blocked.status_code == 429 and "Too many attempts" in blocked.text


def test_sign_in_without_its_token_is_refused(console):
    response = requests.post(
        f"{console.url}/console/sign-in",
        data={"email": RECRUITER, "password": PASSWORD, "signin_token": "forged"},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 403


def test_csrf_missing_wrong_or_cross_site_is_refused(console, console_engine):
    session = sign_in(console)
    sender = console.ids["salary"]
    url = f"{console.url}/console/conversations/{sender}/tags"
    token = csrf(session, console, f"/console/conversations/{sender}")
    assert session.post(url, data={"tag": "csrf-a"}, timeout=10).status_code == 403
    assert (
        session.post(url, data={"tag": "csrf-b", "csrf_token": "x" * 43}, timeout=10).status_code
        == 403
    )
    cross = session.post(
        url,
        data={"tag": "csrf-c", "csrf_token": token},
        headers={"Origin": "https://evil.example"},
        timeout=10,
    )
    assert cross.status_code == 403
    with console_engine.connect() as connection:
        tags = {r[0] for r in connection.execute(sa.select(db.tags.c.tag))}
    assert not tags & {"csrf-a", "csrf-b", "csrf-c"}
    ok = session.post(
        url, data={"tag": "Pay question", "csrf_token": token}, allow_redirects=False, timeout=10
    )
    assert ok.status_code == 303


def test_sql_injection_in_search_is_harmless(console):
    session = sign_in(console)
    for hostile in ("' OR 1=1 --", "'; DROP TABLE events; --", "%' UNION SELECT email FROM x--"):
        page = session.get(
            f"{console.url}/console/conversations", params={"q": hostile}, timeout=10
        )
        assert page.status_code == 200
        assert "0 conversations" in page.text
    bad = session.get(
        f"{console.url}/console/conversations", params={"topic": "x' OR '1'='1"}, timeout=10
    )
    assert bad.status_code == 400 and "not a topic id" in bad.text
    everything = session.get(f"{console.url}/console/conversations", timeout=10)
    assert "4 conversations" in everything.text


def test_transcript_is_escaped_redacted_and_audited(console, console_engine):
    session = sign_in(console)
    sender = console.ids["dog"]
    page = session.get(f"{console.url}/console/conversations/{sender}", timeout=10)
    assert page.status_code == 200
    assert "<b>please</b>" not in page.text and "&lt;b&gt;please&lt;/b&gt;" in page.text
    assert "QQ 12 34 56 C" not in page.text and "[national insurance number]" in page.text
    assert "0.31" in page.text and "not helpful" in page.text
    with console_engine.connect() as connection:
        actions = [
            (r.actor, r.action, r.conversation_id) for r in connection.execute(sa.select(db.audit))
        ]
    assert (RECRUITER, "view-transcript", sender) in actions


def test_note_is_redacted_and_review_mark_saved(console, console_engine):
    session = sign_in(console)
    sender = console.ids["parking"]
    token = csrf(session, console, f"/console/conversations/{sender}")
    session.post(
        f"{console.url}/console/conversations/{sender}/review",
        data={"csrf_token": token, "reviewed": "yes", "note": "visitor said email a@b.co"},
        timeout=10,
    )
    with console_engine.connect() as connection:
        row = connection.execute(
            sa.select(db.reviews).where(db.reviews.c.sender_id == sender)
        ).first()
    assert row.reviewed and row.note == "visitor said email [email address]"


def test_export_csv_and_json_follow_filters_and_are_audited(console, console_engine):
    session = sign_in(console)
    csv_export = session.get(
        f"{console.url}/console/export.csv", params={"fallback": "1"}, timeout=10
    )
    assert csv_export.status_code == 200
    assert csv_export.headers["Content-Disposition"].startswith("attachment;")
    assert console.ids["dog"] in csv_export.text and console.ids["salary"] not in csv_export.text
    assert "QQ 12" not in csv_export.text
    json_export = session.get(
        f"{console.url}/console/export.json", params={"negative": "1"}, timeout=10
    ).json()
    (conversation,) = json_export["conversations"]
    assert conversation["conversation"] == console.ids["dog"]
    assert conversation["messages"][0]["text"].startswith("can I bring my dog")
    with console_engine.connect() as connection:
        exports = [
            r.detail
            for r in connection.execute(sa.select(db.audit).where(db.audit.c.action == "export"))
        ]
    assert len(exports) >= 2 and all("dog" not in detail for detail in exports)


def test_recruiter_cannot_erase_admin_can(console, console_engine):
    sender = console.ids["scheme"]
    path = f"/console/conversations/{sender}"
    recruiter = sign_in(console)
    token = csrf(recruiter, console, path)
    refused = recruiter.post(
        f"{console.url}{path}/erase", data={"csrf_token": token, "confirm": "yes"}, timeout=10
    )
    assert refused.status_code == 403
    admin = sign_in(console, ADMIN)
    assert admin.last.status_code == 303, "the rate-limit test must not block the admin here"
    token = csrf(admin, console, path)
    erased = admin.post(
        f"{console.url}{path}/erase",
        data={"csrf_token": token, "confirm": "yes"},
        allow_redirects=False,
        timeout=10,
    )
    assert erased.status_code == 303
    assert admin.get(f"{console.url}{path}", timeout=10).status_code == 404
    with console_engine.connect() as connection:
        (record,) = connection.execute(
            sa.select(db.audit).where(db.audit.c.action == "erase")
        ).all()
    assert record.actor == ADMIN and record.conversation_id == sender


def test_sign_out_ends_the_session(console):
    session = sign_in(console)
    token = csrf(session, console, "/console/conversations")
    session.post(f"{console.url}/console/sign-out", data={"csrf_token": token}, timeout=10)
    again = session.get(f"{console.url}/console/conversations", allow_redirects=False, timeout=10)
    assert again.status_code == 303
