"""The console over HTTP: sign-in, sessions, roles, CSRF, rate limit, escaping, audit;
on SQLite and on PostgreSQL (the `console` fixture runs a web app on each). The second
factor's own tests are in test_second_factor.py."""

from __future__ import annotations

import hashlib
import re
import time
from types import SimpleNamespace

import pytest
import requests
import sqlalchemy as sa
from backends import start_web_app
from seed import PASSWORD, RECRUITER

from bench.console_client import csrf_token
from bench.console_client import sign_in as bench_sign_in
from bot.storage import database as db
from web.console.auth import TOUCH_SECONDS

CONVERSATION = "c0ffee00000000000000000000000000"
# Every console route that shows or changes data (the sign-in page and the GOV.UK
# Frontend files are public). test_every_route_is_listed keeps this list complete.
PROTECTED = [
    ("GET", "/console/conversations"),
    ("GET", f"/console/conversations/{CONVERSATION}"),
    ("GET", "/console/insights"),
    ("GET", "/console/export.csv"),
    ("GET", "/console/export.json"),
    ("GET", "/console/safeguarding"),
    ("POST", "/console/insights/dismissals"),
    ("POST", "/console/insights/dismissals/1/restore"),
    ("GET", "/console/accounts"),
    ("POST", "/console/accounts"),
    ("POST", "/console/accounts/1/role"),
    ("POST", "/console/accounts/1/disable"),
    ("POST", "/console/accounts/1/password"),
    ("POST", "/console/accounts/1/second-factor/reset"),
    ("POST", "/console/sign-out"),
    # After the password only: these need the pending session it starts.
    ("GET", "/console/sign-in/set-up"),
    ("POST", "/console/sign-in/set-up"),
    ("GET", "/console/sign-in/code"),
    ("POST", "/console/sign-in/code"),
    ("GET", "/console/sign-in/recovery-code"),
    ("POST", "/console/sign-in/recovery-code"),
    ("POST", f"/console/conversations/{CONVERSATION}/tags"),
    ("POST", f"/console/conversations/{CONVERSATION}/tags/remove"),
    ("POST", f"/console/conversations/{CONVERSATION}/review"),
    ("POST", f"/console/conversations/{CONVERSATION}/erase"),
    ("GET", "/console/requests"),
    ("GET", "/console/requests/1"),
    ("POST", "/console/requests/1/reply"),
    ("POST", "/console/requests/1/close"),
    ("POST", "/console/requests/1/erase"),
    # Editors' pages (tests/console/test_editing_http.py checks a recruiter is refused).
    ("GET", "/console/improve"),
    ("POST", "/console/improve/1/example"),
    ("POST", "/console/improve/1/mark"),
    ("GET", "/console/answers"),
    ("GET", "/console/answers/salary"),
    ("POST", "/console/answers/salary"),
    ("POST", "/console/answers/salary/revert/1"),
    ("GET", "/console/models"),
    ("POST", "/console/models/train"),
    ("POST", "/console/models/rollback"),
]
PUBLIC = {"/console", "/console/", "/console/sign-in", "/console/govuk/govuk-frontend.min.css"}


def sign_in(console, role: str = "recruiter") -> requests.Session:
    """A new account of ``role``, signed in with its password and authenticator code; the
    session knows its ``email`` and the ``last`` answer."""
    email, secret = console.new_account(role)
    session, session.last = bench_sign_in(console.url, email, PASSWORD, secret)
    session.email = email
    return session


def password_attempt(app, email: str, password: str) -> requests.Response:
    """The first step of signing in only: the answer to the email and password."""
    return bench_sign_in(app.url, email, password)[1]


def audit_of(console, actor: str) -> list[tuple[str, str | None]]:
    with console.engine.connect() as connection:
        rows = connection.execute(
            sa.select(db.audit.c.action, db.audit.c.conversation_id)
            .where(db.audit.c.actor == actor)
            .order_by(db.audit.c.id)
        )
        return [tuple(row) for row in rows]


def csrf(session: requests.Session, console, path: str) -> str:
    return csrf_token(session.get(f"{console.url}{path}", timeout=10).text)


def test_every_route_is_listed():
    from web.app import create_app

    app = create_app(name="console_route_listing")
    paths = set()
    for route in app.router.routes:
        path = "/" + route.path.lstrip("/")
        if path.startswith("/console"):
            path = re.sub(r"<conversation_id[^>]*>", CONVERSATION, path)
            numbered = r"<(account_id|dismissal_id|request_id|event_id|change_id|model_id)[^>]*>"
            path = re.sub(numbered, "1", path)
            paths.add(re.sub(r"<entry_id[^>]*>", "salary", path))
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


def test_sign_in_sets_a_strict_httponly_browser_session_cookie(console):
    session = sign_in(console)
    assert session.last.status_code == 303
    cookie = session.last.headers["set-cookie"]
    # Plain http on loopback: no Secure, so no __Host- prefix; the path keeps it to /console.
    assert cookie.startswith("cps_console_session=") and "Path=/console" in cookie
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "Max-Age" not in cookie and "Expires" not in cookie  # ends with the browser
    page = session.get(f"{console.url}/console/conversations", timeout=10)
    assert page.status_code == 200 and session.email in page.text
    assert page.headers["Cache-Control"] == "no-store"
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]


def test_session_settings():
    from web.console.common import ConsoleSettings

    defaults = ConsoleSettings({})
    assert defaults.cookie_secure is True
    assert (defaults.session_hours, defaults.idle_minutes) == (8, 30)
    assert (defaults.max_sessions, defaults.sign_in_parallel) == (3, 2)
    assert defaults.cookie("cps_console_session") == "__Host-cps_console_session"
    assert defaults.cookie_path == "/"
    plain = ConsoleSettings({"CONSOLE_COOKIE_SECURE": "false"})
    assert (plain.cookie("cps_console_session"), plain.cookie_path) == (
        "cps_console_session",
        "/console",
    )
    assert ConsoleSettings({"CONSOLE_COOKIE_SECURE": "false"}).cookie_secure is False
    assert ConsoleSettings({"CONSOLE_IDLE_MINUTES": "5"}).idle_minutes == 5
    for bad in ("0", "-3", "soon", "nan", "inf"):
        with pytest.raises(ValueError, match="CONSOLE_IDLE_MINUTES"):
            ConsoleSettings({"CONSOLE_IDLE_MINUTES": bad})


def _session_row(session: requests.Session):
    digest = hashlib.sha256(session.cookies["cps_console_session"].encode()).hexdigest()
    return db.sessions.c.token_hash == digest


def _last_seen(console, session: requests.Session, minutes_ago: float | None = None):
    """The session's last activity; with ``minutes_ago``, first set it that far back."""
    which = _session_row(session)
    with console.engine.begin() as connection:
        if minutes_ago is not None:
            earlier = time.time() - minutes_ago * 60
            connection.execute(db.sessions.update().where(which).values(last_seen_at=earlier))
        return connection.execute(sa.select(db.sessions.c.last_seen_at).where(which)).scalar()


def test_idle_session_ends_after_30_minutes(console):
    session = sign_in(console)
    url = f"{console.url}/console/conversations"
    assert session.get(url, allow_redirects=False, timeout=10).status_code == 200
    _last_seen(console, session, minutes_ago=31)
    ended = session.get(url, allow_redirects=False, timeout=10)
    assert ended.status_code == 303 and ended.headers["location"].startswith("/console/sign-in")
    with console.engine.connect() as connection:  # the idle session is gone, not just refused
        assert (
            connection.execute(sa.select(db.sessions).where(_session_row(session))).first() is None
        )


def test_activity_keeps_a_session_alive(console):
    session = sign_in(console)
    url = f"{console.url}/console/conversations"
    before = _last_seen(console, session, minutes_ago=29)
    assert session.get(url, allow_redirects=False, timeout=10).status_code == 200
    touched = _last_seen(console, session)
    assert touched > before + 28 * 60  # the request counted as activity
    assert session.get(url, allow_redirects=False, timeout=10).status_code == 200
    assert _last_seen(console, session) - touched < TOUCH_SECONDS  # written once a minute


def test_wrong_password_and_rate_limit(console):
    target = "target@cps.example"  # not an account: failures count the same
    for _ in range(5):
        assert password_attempt(console, target, "not the password").status_code == 401
    blocked = password_attempt(console, target, "any password")
    assert blocked.status_code == 429 and "Too many attempts" in blocked.text
    with console.engine.connect() as connection:  # counted without the address in clear
        keys = connection.execute(sa.select(db.sign_in_failures.c.key_hash)).scalars().all()
    assert keys and all(re.fullmatch("[0-9a-f]{64}", key) for key in keys)


def test_rate_limit_holds_across_web_app_processes(console, tmp_path):
    """Two web apps on one database, as with WEB_WORKERS=2: failures on either count."""
    other = start_web_app(console.env, tmp_path / "second-web.log")
    try:
        second = SimpleNamespace(url=other.url)
        target = "shared@cps.example"
        for app in (console, second, console, second, console):
            assert password_attempt(app, target, "not the password").status_code == 401
        for app in (second, console):
            blocked = password_attempt(app, target, "any password")
            assert blocked.status_code == 429, "the other process did not see the failures"
    finally:
        other.stop()


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
        url, data={"tag": "Content gap", "csrf_token": token}, allow_redirects=False, timeout=10
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
        (view,) = connection.execute(
            sa.select(db.audit).where(
                db.audit.c.actor == session.email, db.audit.c.action == "view-transcript"
            )
        ).all()
    assert view.conversation_id == sender
    assert view.client_address == "127.0.0.1" and view.user_agent.startswith("python-requests")


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
    admin = sign_in(console, "admin")
    assert admin.last.status_code == 303
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
    assert record.actor == admin.email and record.conversation_id == sender
    assert record.client_address == "127.0.0.1"


def test_sign_out_ends_the_session_and_is_audited(console):
    session = sign_in(console)
    token = csrf(session, console, "/console/conversations")
    session.post(f"{console.url}/console/sign-out", data={"csrf_token": token}, timeout=10)
    again = session.get(f"{console.url}/console/conversations", allow_redirects=False, timeout=10)
    assert again.status_code == 303
    assert ("sign-out", None) in audit_of(console, session.email)


def test_insights_draws_a_chart_with_the_numbers_of_its_table(console):
    session = sign_in(console)
    page = session.get(f"{console.url}/console/insights", timeout=10)
    assert page.status_code == 200
    start = page.text.index('<svg', page.text.index("Per day"))
    chart = page.text[start : page.text.index("</svg>", start)]
    assert 'role="img"' in chart and 'aria-labelledby="chart-title chart-desc"' in chart
    bars = re.findall(r"<title>(\d{4}-\d\d-\d\d): (\d+) conversations?</title>", chart)
    assert len(bars) == 30  # one per day of the default period
    table = page.text[page.text.index("</svg>") :]
    rows = re.findall(
        r'<td class="govuk-table__cell">(\d{4}-\d\d-\d\d)</td>'
        r'<td class="govuk-table__cell govuk-table__cell--numeric">(\d+)</td>',
        table,
    )
    assert sorted(bars) == sorted(rows) and sum(int(n) for _, n in bars) >= 3


def test_bar_heights_follow_the_values():
    from web.console.charts import bar_chart

    chart = bar_chart([("mon", 4), ("tue", 0), ("wed", 2)])
    tallest, empty, half = chart.bars
    assert chart.largest == 4 and (chart.first, chart.last) == ("mon", "wed")
    assert empty.height == 0 and half.height == tallest.height / 2
    assert tallest.y + tallest.height == chart.baseline == half.y + half.height
    assert tallest.x < empty.x < half.x and bar_chart([]).bars == []
