"""The console in headless Chromium: sign in (setting up the authenticator app the first
time), filter, open a transcript, tag, export, manage accounts, with axe-core (WCAG 2.2 AA
rules) finding nothing on any page."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
import sqlalchemy as sa
from accessibility import axe_violations
from playwright.sync_api import Page, expect
from seed import ADMIN, PASSWORD, RECRUITER, TOTP_SECRETS, other_code

from bench.console_client import setup_key
from bot.storage import database as db
from web.console.auth import add_account

pytestmark = pytest.mark.browser

def no_axe_violations(page: Page) -> None:
    violations = axe_violations(page)
    assert violations == [], "\n".join(violations)


def sign_in(page: Page, email: str, secret: str | None = None, check=lambda page: None) -> str:
    """Sign in by keyboard from the sign-in page: the password, then the code from an
    authenticator app with ``secret``; an account without one sets it up from the page
    (checking each page with ``check``). The secret."""
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    if secret is None:
        expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()
        qr_code = page.get_by_role("img", name="QR code to set up your authenticator app")
        expect(qr_code).to_be_visible()
        check(page)
        secret = setup_key(page.content())
        page.get_by_label("Code from your authenticator app").fill(other_code(secret))
        page.keyboard.press("Enter")
        expect(page.locator(".govuk-error-summary")).to_contain_text("The code is not right")
        expect(page).to_have_title(re.compile("^Error: "))
        check(page)
        page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(secret).now())
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
        expect(page.get_by_role("list", name="Recovery codes").locator("li")).to_have_count(10)
        check(page)
        page.get_by_role("button", name="I have saved my recovery codes: continue").focus()
        page.keyboard.press("Enter")
        return secret
    heading = page.get_by_role("heading", name="Enter the code from your authenticator app")
    expect(heading).to_be_visible()
    check(page)
    page.get_by_label("Code", exact=True).fill(pyotp.TOTP(secret).now())
    page.keyboard.press("Enter")
    return secret


def test_recruiter_finds_reads_tags_and_exports_failed_conversations(console, page: Page):
    email = f"first-time-{time.time_ns()}@cps.example"
    with console.engine.begin() as connection:  # as `make add-recruiter` makes it
        add_account(connection, email, "recruiter", PASSWORD)
    page.goto(f"{console.url}/console/conversations")
    expect(page).to_have_url(f"{console.url}/console/sign-in?next=%2Fconsole%2Fconversations")
    no_axe_violations(page)

    sign_in(page, email, check=no_axe_violations)
    expect(page.get_by_role("heading", name="Conversations", exact=True)).to_be_visible()
    no_axe_violations(page)

    page.get_by_label("Conversations where the assistant did not understand").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="2 conversations")).to_be_visible()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)

    page.get_by_label("Search what visitors typed").fill("dog")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="1 conversation", exact=True)).to_be_visible()
    no_axe_violations(page)

    page.locator("tbody tr a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Conversation")
    expect(page.get_by_text("can I bring my dog to the office <b>please</b>")).to_be_visible()
    expect(page.get_by_text("[national insurance number]", exact=False)).to_be_visible()
    no_axe_violations(page)

    page.get_by_label("Add a tag").select_option("content gap")
    page.get_by_role("button", name="Add tag").click()
    expect(page.get_by_text("Saved.", exact=True)).to_be_visible()
    expect(page.locator(".console-tags")).to_contain_text("content gap")
    no_axe_violations(page)

    page.get_by_role("link", name="Back to conversations").click()
    page.get_by_label("Tag", exact=True).select_option("content gap")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="1 conversation", exact=True)).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    exported = download_info.value
    assert exported.suggested_filename.endswith(".csv")
    content = open(exported.path(), encoding="utf-8").read()
    assert "content gap" in content and "QQ 12" not in content

    page.get_by_role("link", name="Insights").click()
    expect(
        page.get_by_role("heading", name="Questions the assistant could not answer")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Improve").last).to_have_attribute(
        "href", "/console/improve/"
    )
    no_axe_violations(page)


def test_console_reflows_at_320_pixels(console, page: Page):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{console.url}/console/sign-in")
    sign_in(page, RECRUITER, TOTP_SECRETS[RECRUITER], check=no_axe_violations)
    expect(page.get_by_role("heading", name="Conversations", exact=True)).to_be_visible()
    no_axe_violations(page)


def test_administrator_resets_a_second_factor_by_keyboard(console, page: Page):
    email, _ = console.new_account()
    page.goto(f"{console.url}/console/sign-in")
    sign_in(page, ADMIN, TOTP_SECRETS[ADMIN])
    page.get_by_role("link", name="Accounts").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Accounts")).to_be_visible()
    no_axe_violations(page)
    page.get_by_role("button", name=f"Reset second factor of {email}").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text(f"The second factor of {email} was reset")
    no_axe_violations(page)
    with console.engine.connect() as connection:
        secret = connection.execute(
            sa.select(db.accounts.c.totp_secret).where(db.accounts.c.email == email)
        ).scalar()
    assert secret is None


def test_recruiter_signs_in_with_a_recovery_code_by_keyboard(console, page: Page):
    email, _ = console.new_account()
    codes = console.new_recovery_codes(email)
    page.goto(f"{console.url}/console/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("link", name="I cannot use my authenticator app").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Enter a recovery code")).to_be_visible()
    no_axe_violations(page)
    page.get_by_label("Recovery code").fill("not a code")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-error-summary")).to_contain_text("not right")
    no_axe_violations(page)
    page.get_by_label("Recovery code").fill(codes[0])
    page.keyboard.press("Enter")
    expect(page.get_by_text("You have 9 recovery codes left.")).to_be_visible()
    no_axe_violations(page)
    page.get_by_role("button", name="Continue").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Conversations", exact=True)).to_be_visible()
