"""The console against an attacker: lockouts, cookies, session fixation, the audit trail,
the network allow-list, the split between public and console web apps, error logs.
On SQLite and PostgreSQL where a database is involved."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import uuid
from contextlib import contextmanager
from types import SimpleNamespace

import pyotp
import pytest
import requests
import sqlalchemy as sa
from backends import start_web_app
from postgres_schemas import fresh_schema, pg_url
from seed import PASSWORD

from bench.console_client import csrf_token, submit_password
from bench.console_client import sign_in as bench_sign_in
from bot.storage import database as db
from bot.storage import public_role
from bot.storage.audit import Client, record
from web.console import queries

UNKNOWN = "unknown account"


@contextmanager
def web_app(console, tmp_path, **env: str):
    """Another web app on the console's database, with more settings."""
    service = start_web_app({**console.env, **env}, tmp_path / "web.log")
    try:
        yield SimpleNamespace(url=service.url, service=service)
    finally:
        service.stop()


def attempt(url: str, email: str, password: str, address: str | None = None):
    """Email and password only; ``address`` as forwarded by a trusted proxy."""
    session = requests.Session()
    if address:
        session.headers["X-Forwarded-For"] = address
    return submit_password(session, url, email, password)


def audit_rows(console, **where: str) -> list:
    query = sa.select(db.audit)
    for column, value in where.items():
        query = query.where(db.audit.c[column] == value)
    with console.engine.connect() as connection:
        return connection.execute(query.order_by(db.audit.c.id)).all()


# ---- Lockout: per account and address -----------------------------------------------------


def test_wrong_passwords_from_elsewhere_do_not_lock_a_recruiter_out(console, tmp_path):
    email, secret = console.new_account()
    with web_app(console, tmp_path, SANIC_PROXIES_COUNT="1") as proxied:
        for _ in range(5):
            assert attempt(proxied.url, email, "a guess", "203.0.113.9").status_code == 401
        assert attempt(proxied.url, email, "a guess", "203.0.113.9").status_code == 429
        # The recruiter, elsewhere, still signs in (and still gets a 401 for a typo).
        assert attempt(proxied.url, email, "typo", "198.51.100.20").status_code == 401
        assert attempt(proxied.url, email, PASSWORD, "198.51.100.20").status_code == 303
        # IPv6: one /64 is one address for the limits; the next /64 is another.
        for host in range(1, 6):
            answer = attempt(proxied.url, email, "guess", f"2001:db8:1:2::{host}")
            assert answer.status_code == 401
        assert attempt(proxied.url, email, "guess", "2001:db8:1:2:ffff::1").status_code == 429
        assert attempt(proxied.url, email, "guess", "2001:db8:1:3::1").status_code == 401
    rows = audit_rows(console, actor=email, action="sign-in-throttled")
    assert {row.client_address for row in rows} == {"203.0.113.9", "2001:db8:1:2:ffff::1"}


def test_failed_and_throttled_sign_ins_are_audited_without_what_was_typed(console):
    email, _ = console.new_account()
    typed = "nobody-at-all@cps.example"
    for _ in range(5):
        attempt(console.url, typed, "secret guess")
    assert attempt(console.url, typed, "secret guess").status_code == 429
    assert attempt(console.url, email, "wrong password").status_code == 401
    unknown = [row.action for row in audit_rows(console, actor=UNKNOWN)]
    assert unknown.count("sign-in-failed") >= 5 and "sign-in-throttled" in unknown
    (failed,) = audit_rows(console, actor=email, action="sign-in-failed")
    assert failed.client_address == "127.0.0.1" and "python-requests" in failed.user_agent
    everything = json.dumps([tuple(map(str, row)) for row in audit_rows(console)])
    assert typed not in everything and "secret guess" not in everything


# ---- Sessions and cookies ------------------------------------------------------------------


def test_signing_in_ends_the_browsers_previous_session(console):
    email, secret = console.new_account()
    session, answer = bench_sign_in(console.url, email, PASSWORD, secret)
    old = session.cookies["cps_console_session"]
    again = submit_password(session, console.url, email, "mistyped")
    assert again.status_code == 401
    with console.engine.connect() as connection:
        left = connection.execute(sa.select(db.sessions.c.token_hash)).scalars().all()
    assert hashlib.sha256(old.encode()).hexdigest() not in left
    stale = requests.get(
        f"{console.url}/console/conversations",
        cookies={"cps_console_session": old},
        allow_redirects=False,
        timeout=10,
    )
    assert stale.status_code == 303


def test_over_https_the_cookies_take_the_host_prefix(console, tmp_path):
    """CONSOLE_COOKIE_SECURE=true (anywhere but plain-http loopback): __Host- names, Secure,
    Path=/, no Domain, no expiry. Cookies are sent back by hand: requests would keep Secure
    cookies for HTTPS."""
    email, secret = console.new_account()
    with web_app(console, tmp_path, CONSOLE_COOKIE_SECURE="true") as secure:
        form = requests.get(f"{secure.url}/console/sign-in", timeout=10)
        sign_in_cookie = form.headers["set-cookie"]
        assert sign_in_cookie.startswith("__Host-cps_console_signin=")
        token = re.search(r'name="signin_token" value="([^"]+)"', form.text).group(1)
        password = requests.post(
            f"{secure.url}/console/sign-in",
            data={"email": email, "password": PASSWORD, "signin_token": token},
            headers={"Cookie": f"__Host-cps_console_signin={token}"},
            allow_redirects=False,
            timeout=10,
        )
        assert password.status_code == 303
        pending = re.search(r"__Host-cps_console_session=([^;]+)", password.headers["set-cookie"])
        cookie = {"Cookie": f"__Host-cps_console_session={pending.group(1)}"}
        page = requests.get(secure.url + password.headers["location"], headers=cookie, timeout=10)
        done = requests.post(
            f"{secure.url}/console/sign-in/code",
            data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_token(page.text)},
            headers=cookie,
            allow_redirects=False,
            timeout=10,
        )
        assert done.status_code == 303
        set_cookie = done.headers["set-cookie"]
        assert set_cookie.startswith("__Host-cps_console_session=")
        for part in ("Secure", "HttpOnly", "SameSite=Strict", "Path=/;"):
            assert part in set_cookie + ";", part
        assert "Domain" not in set_cookie and "Max-Age" not in set_cookie
        complete = re.search(r"__Host-cps_console_session=([^;]+)", set_cookie).group(1)
        assert complete != pending.group(1)  # a new token once the second factor is right
        signed_in = requests.get(
            f"{secure.url}/console/conversations",
            headers={"Cookie": f"__Host-cps_console_session={complete}"},
            allow_redirects=False,
            timeout=10,
        )
        assert signed_in.status_code == 200
        plain_name = requests.get(
            f"{secure.url}/console/conversations",
            cookies={"cps_console_session": complete},
            allow_redirects=False,
            timeout=10,
        )
        assert plain_name.status_code == 303  # only the prefixed name counts over HTTPS


# ---- Audit of views ------------------------------------------------------------------------


def test_list_search_and_insights_views_are_audited_without_the_search_term(console):
    email, secret = console.new_account()
    session, _ = bench_sign_in(console.url, email, PASSWORD, secret)
    session.get(f"{console.url}/console/conversations", params={"q": "jane doe"}, timeout=10)
    session.get(f"{console.url}/console/insights", params={"page": "1"}, timeout=10)
    rows = audit_rows(console, actor=email)
    views = {row.action: json.loads(row.detail) for row in rows}
    assert views["view-list"]["search"] is True and "shown" in views["view-list"]
    assert views["view-insights"]["page"] == 1 and views["view-insights"]["questions"] >= 3
    assert all("jane" not in row.detail for row in rows)


def test_unanswered_questions_are_paged():
    groups = [{"count": n, "questions": [f"q{n}"], "example": f"q{n}"} for n in range(60, 0, -1)]
    first = queries.group_page(groups, 1, 25)
    last = queries.group_page(groups, 99, 25)  # past the end: the last page
    assert (first.pages, first.first, len(first.groups)) == (3, 1, 25)
    assert (last.number, last.first, len(last.groups)) == (3, 51, 10)
    assert last.questions == sum(range(1, 11))
    assert [group["example"] for group in last.groups] == [f"q{n}" for n in range(10, 0, -1)]


def test_the_audit_trail_is_append_only_on_postgresql():
    with fresh_schema("audit") as schema:
        engine = db.make_engine(pg_url(), schema=schema)
        try:
            with engine.begin() as connection:
                record(connection, "someone@cps.example", "export", client=Client("10.1.2.3"))
            for statement in (
                "UPDATE console_audit SET actor = 'x'",
                "DELETE FROM console_audit",
                "TRUNCATE console_audit",
            ):
                with pytest.raises(sa.exc.DBAPIError, match="append-only"):
                    with engine.begin() as connection:
                        connection.execute(sa.text(statement))
            with engine.connect() as connection:
                (row,) = connection.execute(sa.select(db.audit)).all()
            assert row.actor == "someone@cps.example" and row.client_address == "10.1.2.3"
            db.ensure_tables(engine)  # starting again keeps one pair of triggers
        finally:
            engine.dispose()


# ---- Who may reach the console -------------------------------------------------------------


def test_the_console_answers_only_allowed_networks(console, tmp_path):
    elsewhere = "10.0.0.0/8, 2001:db8::/32"
    with web_app(console, tmp_path, CONSOLE_ALLOWED_NETWORKS=elsewhere) as app:
        for path in ("/console/sign-in", "/console/conversations", "/console/static/console.css"):
            answer = requests.get(app.url + path, allow_redirects=False, timeout=10)
            assert answer.status_code == 404
    with web_app(console, tmp_path, CONSOLE_ALLOWED_NETWORKS="127.0.0.0/8") as app:
        assert requests.get(f"{app.url}/console/sign-in", timeout=10).status_code == 200


def test_a_web_app_serves_the_public_part_the_console_or_both(console, tmp_path):
    with web_app(console, tmp_path, WEB_SERVES="console") as app:
        assert requests.get(f"{app.url}/console/sign-in", timeout=10).status_code == 200
        assert requests.get(f"{app.url}/", timeout=10).status_code == 404
        assert requests.get(f"{app.url}/widget/widget.js", timeout=10).status_code == 404
        assert requests.get(f"{app.url}/health", timeout=10).text == "ok: console"
    with web_app(console, tmp_path, WEB_SERVES="public") as app:
        assert requests.get(f"{app.url}/", timeout=10).status_code == 200
        assert requests.get(f"{app.url}/console/sign-in", timeout=10).status_code == 404
        assert requests.get(f"{app.url}/health", timeout=10).text == "ok: public"
        # Without the console, the public part still has the database.
        email = reload_and_ask_a_person(app.url, console.ids["salary"])
        with console.engine.connect() as connection:
            stored = connection.execute(
                sa.select(db.requests.c.question).where(db.requests.c.email == email)
            ).scalar()
        assert stored == "Can I job share as a paralegal?"


def reload_and_ask_a_person(url: str, conversation: str) -> str:
    """A reloaded page gets its conversation back, and a question to the recruitment team
    is queued; the address it was sent from."""
    turns = requests.post(f"{url}/api/transcript", json={"conversation": conversation},
                          headers={"Origin": url}, timeout=30)
    assert turns.status_code == 200 and turns.json()["turns"]
    email = f"public-{uuid.uuid4().hex[:8]}@example.org"
    asked = requests.post(f"{url}/api/requests", headers={"Origin": url}, json={
        "conversation": conversation, "question": "Can I job share as a paralegal?",
        "email": email, "consent": True, "website": "",
    }, timeout=90)
    assert asked.status_code == 201, asked.text
    return email


def test_the_public_pods_role_reads_conversations_and_queues_questions_only(console, tmp_path):
    """The role the public pods use in production (bot/storage/public_role.py), for real."""
    if console.kind != "postgresql":
        pytest.skip("roles and grants are PostgreSQL's; SQLite has neither")
    schema = console.env["CONVERSATIONS_DB_SCHEMA"]
    role = f"test_public_{uuid.uuid4().hex[:10]}"
    with console.engine.begin() as connection:
        connection.execute(sa.text(f'CREATE ROLE "{role}" LOGIN'))
        for statement in public_role.grant_statements(role, schema):
            connection.execute(sa.text(statement))
    url = sa.engine.make_url(pg_url()).set(username=role).render_as_string(hide_password=False)
    try:
        with web_app(console, tmp_path, WEB_SERVES="public", CONVERSATIONS_DB_URL=url) as app:
            reload_and_ask_a_person(app.url, console.ids["salary"])
        limited = db.make_engine(url, schema=schema, create_tables=False)
        try:
            # Nor the other questions' addresses (it may read back only a new one's id).
            for query in (sa.select(db.accounts.c.email), sa.select(db.audit.c.detail),
                          sa.select(db.requests.c.email)):
                with pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
                    with limited.connect() as connection:
                        connection.execute(query)
        finally:
            limited.dispose()
    finally:
        with console.engine.begin() as connection:
            connection.execute(sa.text(f'DROP OWNED BY "{role}"'))
            connection.execute(sa.text(f'DROP ROLE "{role}"'))


def test_an_unhandled_error_logs_the_path_without_the_query(caplog):
    from web.app import PathOnlyErrorHandler

    request = SimpleNamespace(
        method="GET",
        path="/console/conversations",
        url="http://x/console/conversations?q=jane+doe+07700900123",
        app=SimpleNamespace(config=SimpleNamespace()),
    )
    with caplog.at_level(logging.ERROR, logger="sanic.error"):
        try:
            raise RuntimeError("boom")
        except RuntimeError as error:
            PathOnlyErrorHandler.log(request, error)
    assert "GET /console/conversations" in caplog.text
    assert "jane" not in caplog.text and "07700" not in caplog.text
