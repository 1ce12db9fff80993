"""The console's second factor: enrolment on first sign-in, codes at every sign-in, recovery
codes, replay, too many wrong codes, an administrator's reset; over HTTP on SQLite and
PostgreSQL, and the pieces (codes, QR code) directly."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
import requests
import sqlalchemy as sa
from seed import PASSWORD, other_code

from bench.console_client import csrf_token, setup_key
from bench.console_client import sign_in as bench_sign_in
from bot.storage import database as db
from web.console import second_factor
from web.console.auth import add_account


def password_step(console, email: str) -> tuple[requests.Session, str]:
    """Email and password only: the session (pending) and where it was sent next."""
    session = requests.Session()
    form = session.get(f"{console.url}/console/sign-in", timeout=10).text
    token = re.search(r'name="signin_token" value="([^"]+)"', form).group(1)
    answer = session.post(
        f"{console.url}/console/sign-in",
        data={
            "email": email,
            "password": PASSWORD,
            "signin_token": token,
            "next": "/console/insights",
        },
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 303, answer.text
    return session, answer.headers["location"]


def post_code(console, session, path: str, code: str) -> requests.Response:
    page = session.get(f"{console.url}{path}", timeout=10).text
    return session.post(
        f"{console.url}{path.split('?')[0]}",
        data={"code": code, "csrf_token": csrf_token(page), "next": "/console/insights"},
        allow_redirects=False,
        timeout=10,
    )


def actions_of(console, email: str) -> list[str]:
    with console.engine.connect() as connection:
        query = sa.select(db.audit.c.action).where(db.audit.c.actor == email)
        return list(connection.execute(query.order_by(db.audit.c.id)).scalars())


def new_unenrolled(console, role: str = "recruiter") -> str:
    """A new account, as `make add-recruiter` makes it: no authenticator yet."""
    email = f"new-{role}-{time.time_ns()}@cps.example"
    with console.engine.begin() as connection:
        add_account(connection, email, role, PASSWORD)
    return email


def test_first_sign_in_enrols_an_authenticator_and_shows_recovery_codes_once(console):
    email = new_unenrolled(console)
    session, step = password_step(console, email)
    assert step.startswith("/console/sign-in/set-up")
    # Signed in with the password only, nothing else is reachable.
    blocked = session.get(f"{console.url}/console/conversations", allow_redirects=False, timeout=10)
    assert blocked.status_code == 303 and blocked.headers["location"].startswith("/console/sign-in")

    page = session.get(f"{console.url}{step}", timeout=10).text
    secret = setup_key(page)
    assert re.fullmatch("[A-Z2-7]{32}", secret)
    assert re.search(r'id="setup-key">([A-Z2-7]{4} ){7}[A-Z2-7]{4}<', page)  # grouped for typing
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in svg and 'aria-labelledby="qr-title qr-desc"' in svg
    assert "<title" in svg and "type the setup key" in svg
    assert 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page
    assert setup_key(session.get(f"{console.url}{step}", timeout=10).text) == secret  # stable

    wrong = post_code(console, session, step, other_code(secret))
    assert wrong.status_code == 400
    assert "govuk-error-summary" in wrong.text and 'href="#code"' in wrong.text
    assert 'aria-describedby="code-hint code-error"' in wrong.text

    done = post_code(console, session, step, pyotp.TOTP(secret).now())
    assert done.status_code == 200 and "Save your recovery codes" in done.text
    codes = re.findall(r'<span class="console-key">([a-z2-9 ]{19})</span>', done.text)
    assert len(codes) == 10 and len(set(codes)) == 10
    page = session.get(f"{console.url}/console/conversations", timeout=10)
    assert page.status_code == 200 and email in page.text
    with console.engine.connect() as connection:
        stored = connection.execute(sa.select(db.recovery_codes.c.code_hash)).scalars().all()
        kept = connection.execute(
            sa.select(db.accounts.c.totp_secret).where(db.accounts.c.email == email)
        ).scalar()
    assert kept == secret
    assert not any(code.replace(" ", "") in digest for code in codes for digest in stored)
    assert actions_of(console, email) == [
        "sign-in-password",
        "second-factor-failed",
        "second-factor-enrolled",
        "sign-in",
        "view-list",
    ]

    # The next sign-in asks for a code; a recovery code works once.
    later, step = password_step(console, email)
    assert step.startswith("/console/sign-in/code")
    used = post_code(console, later, "/console/sign-in/recovery-code", codes[3].upper())
    assert used.status_code == 200 and "You have 9 recovery codes left" in used.text
    again, _ = password_step(console, email)
    refused = post_code(console, again, "/console/sign-in/recovery-code", codes[3])
    assert refused.status_code == 400 and "has been used" in refused.text


def test_a_code_is_accepted_once_and_only_with_the_password(console):
    email, secret = console.new_account()
    first, step = password_step(console, email)
    assert step.startswith("/console/sign-in/code")
    code = pyotp.TOTP(secret).now()
    assert post_code(console, first, step, code).status_code == 303
    second, step = password_step(console, email)
    replayed = post_code(console, second, step, code)
    assert replayed.status_code == 400 and "not right" in replayed.text
    # Without the password step there is no form to post a code to.
    assert requests.post(
        f"{console.url}/console/sign-in/code", data={"code": code}, allow_redirects=False,
        timeout=10,
    ).status_code == 401


def test_too_many_wrong_codes_end_the_sign_in(console):
    email, secret = console.new_account()
    session, step = password_step(console, email)
    wrong = other_code(secret)
    for _ in range(4):
        assert post_code(console, session, step, wrong).status_code == 400
    ended = post_code(console, session, step, wrong)
    assert ended.status_code == 401 and "Too many wrong codes" in ended.text
    again = session.get(f"{console.url}{step}", allow_redirects=False, timeout=10)
    assert again.status_code == 303  # back to the password
    assert actions_of(console, email).count("second-factor-failed") == 5


def test_an_administrator_resets_another_accounts_second_factor(console):
    email, secret = console.new_account()
    user, _ = bench_sign_in(console.url, email, PASSWORD, secret)
    admin_email = new_unenrolled(console, "admin")
    admin, answer = bench_sign_in(console.url, admin_email, PASSWORD)
    assert answer.status_code == 200  # the helper set up its authenticator on first sign-in
    recruiter = requests.Session()
    recruiter.cookies.update(user.cookies)
    assert recruiter.get(f"{console.url}/console/accounts", timeout=10).status_code == 403

    listing = admin.get(f"{console.url}/console/accounts", timeout=10)
    assert listing.status_code == 200 and email in listing.text
    account_id = re.search(
        rf"{re.escape(email)}.*?/console/accounts/(\d+)/second-factor/reset", listing.text, re.S
    ).group(1)
    reset = admin.post(
        f"{console.url}/console/accounts/{account_id}/second-factor/reset",
        data={"csrf_token": csrf_token(listing.text)},
        allow_redirects=False,
        timeout=10,
    )
    assert reset.status_code == 303
    # Their session ended; their next sign-in sets up an authenticator again.
    ended = user.get(f"{console.url}/console/conversations", allow_redirects=False, timeout=10)
    assert ended.status_code == 303
    _, step = password_step(console, email)
    assert step.startswith("/console/sign-in/set-up")
    with console.engine.connect() as connection:
        (row,) = connection.execute(
            sa.select(db.audit).where(db.audit.c.action == "second-factor-reset")
            .where(db.audit.c.detail.contains(email))
        ).all()
    assert row.actor == admin_email and row.client_address == "127.0.0.1"


def test_recovery_codes_keep_at_most_three_sessions_per_account(console):
    email, _ = console.new_account()
    codes = console.new_recovery_codes(email)
    sessions = []
    for code in codes[:4]:
        session, _ = password_step(console, email)
        used = post_code(console, session, "/console/sign-in/recovery-code", code)
        assert used.status_code == 200
        sessions.append(session)
    alive = [
        s.get(f"{console.url}/console/conversations", allow_redirects=False, timeout=10).status_code
        for s in sessions
    ]
    assert alive == [303, 200, 200, 200]  # CONSOLE_MAX_SESSIONS=3: the oldest ended


# ---- The pieces ---------------------------------------------------------------------------


def test_codes_from_the_step_either_side_count_and_no_further():
    secret = second_factor.new_secret()
    totp, now = pyotp.TOTP(secret), 1_800_000_015.0
    step = int(now // 30)
    assert second_factor.matching_step(secret, totp.at(now), now) == step
    assert second_factor.matching_step(secret, totp.at(now - 30), now) == step - 1
    assert second_factor.matching_step(secret, totp.at(now + 30), now) == step + 1
    assert second_factor.matching_step(secret, totp.at(now - 60), now) is None
    assert second_factor.matching_step(secret, f" {totp.at(now)[:3]} {totp.at(now)[3:]} ", now)
    for bad in ("", "12345", "1234567", "abcdef"):
        assert second_factor.matching_step(secret, bad, now) is None


def test_secrets_and_recovery_codes_are_random_and_readable():
    secrets_made = {second_factor.new_secret() for _ in range(50)}
    assert len(secrets_made) == 50 and all(len(s) == 32 for s in secrets_made)
    assert second_factor.grouped("ABCDEFGHIJ") == "ABCD EFGH IJ"
    uri = second_factor.provisioning_uri("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "a@cps.example")
    assert uri.startswith("otpauth://totp/CPS%20careers%20console:a%40cps.example?secret=")


@pytest.mark.parametrize(
    ("title", "escaped"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("QR & code", "QR &amp; code"),
    ],
)
def test_the_qr_code_is_an_svg_image_with_escaped_text(title, escaped):
    svg = second_factor.qr_svg("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP", title, "d")
    assert svg.startswith('<svg role="img" aria-labelledby="qr-title qr-desc"')
    assert f'<title id="qr-title">{escaped}</title>' in svg and "<script>" not in svg
    assert "<path" in svg and "style=" not in svg  # nothing the page's CSP would refuse
