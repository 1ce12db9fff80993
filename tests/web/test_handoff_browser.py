"""The hand-off to the recruitment team end to end, in Chromium, by keyboard alone, on both
profiles: the stack `make run` starts (action server, Rasa, web app; SQLite, or PostgreSQL
and Redis), a real SMTP server on loopback (aiosmtpd) and axe-core on every state.

A visitor who was not understood asks for a person, sends their question with consent
(after a form with mistakes that keeps what they typed), a recruiter finds it in the
queue and replies, and the reply arrives at the SMTP server with the right address and
text. The email address is then nowhere but the request: not in the tracker store, the
logs or the exports. Over the REST channel, the same offer links to the form page.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyotp
import pytest
import requests
import sqlalchemy as sa
from playwright.sync_api import Page, expect
from postgres_schemas import fresh_schema
from service_accounts import production_credentials
from smtp_sink import SmtpSink, smtp_sink
from widget_page import ANSWER_TIMEOUT, Widget, axe_violations, is_focused, tab_to

from bot.ops.stack import Stack, build_stack
from bot.storage import database as db
from web.console.auth import add_account

pytestmark = [pytest.mark.browser, pytest.mark.e2e]

OFFER = "Send your question to the recruitment team"
NOT_UNDERSTOOD = "qwzx plorf vrrb"  # keyboard mash: never understood
PASSWORD = "a long test password for the hand-off"
REPLY_DAYS = "3"  # REQUEST_REPLY_DAYS: the confirmation states it
# This tests what a visitor and a recruiter do, not latency: on a busy shared machine a turn
# can miss the default timeouts, and the apology would stand in for the offer.
SLOW_MACHINE = {"ACTION_TIMEOUT": "30", "REPLY_TIMEOUT": "60", "RASA_TIMEOUT": "90"}


@pytest.fixture(scope="module")
def sink() -> Iterator[SmtpSink]:
    with smtp_sink() as running:
        yield running


@pytest.fixture(scope="module", params=["embedded", "production"])
def stack(request, trained_model: Path, sink: SmtpSink, tmp_path_factory) -> Iterator[Stack]:
    """Everything `make run` starts, on this profile, sending mail through ``sink``."""
    state = tmp_path_factory.mktemp(f"handoff-{request.param}")
    with profile_env(request.param) as env:
        stack = build_stack(trained_model, state_dir=state, env=env, free_ports=True)
        stack.web.env.update({**sink.env, "REQUEST_REPLY_DAYS": REPLY_DAYS, **SLOW_MACHINE})
        for rasa in stack.rasas:
            rasa.env.update(SLOW_MACHINE)
        stack.start(timeout=300, report=lambda _: None)
        stack.state = state
        try:
            yield stack
        finally:
            stack.stop()


@contextmanager
def profile_env(profile: str) -> Iterator[dict[str, str]]:
    """A profile's settings: embedded needs none; production gets a PostgreSQL schema, a
    role and a Redis user of its own, removed afterwards."""
    if profile == "embedded":
        yield {"PROFILE": "embedded"}
        return
    with fresh_schema("handoff") as schema, production_credentials(schema) as credentials:
        yield {
            "PROFILE": "production",
            "POSTGRES_DB": "test",
            "POSTGRES_SCHEMA": schema,
            "REDIS_KEY_PREFIX": schema.replace("_", ""),
            "RASA_WORKERS": "1",
            "ACTION_WORKERS": "1",
            **credentials,
        }


@pytest.fixture(scope="module")
def engine(stack: Stack) -> Iterator[sa.engine.Engine]:
    """The database the web app keeps conversations and requests in."""
    env = stack.profile.web_env
    url = env.get("CONVERSATIONS_DB_URL") or f"sqlite:///{env['TRACKER_DB']}"
    engine = db.make_engine(url, schema=env.get("CONVERSATIONS_DB_SCHEMA", ""))
    yield engine
    engine.dispose()


def recruiter(engine: sa.engine.Engine) -> tuple[str, str]:
    """A recruiter whose authenticator app is set up: (email, secret)."""
    email, secret = f"recruiter-{uuid.uuid4().hex[:8]}@cps.example", pyotp.random_base32()
    with engine.begin() as connection:
        account = add_account(connection, email, "recruiter", PASSWORD)
        connection.execute(
            sa.update(db.accounts).where(db.accounts.c.id == account.id)
            .values(totp_secret=secret, totp_enrolled_at=time.time())
        )
    return email, secret


def sign_in(page: Page, email: str, secret: str) -> None:
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_label("Code", exact=True).fill(pyotp.TOTP(secret).now())
    page.keyboard.press("Enter")


def form(page: Page):
    return page.locator(".hf")


def send_form(page: Page) -> None:
    button = page.get_by_role("button", name="Send to the recruitment team")
    tab_to(page, button)
    page.keyboard.press("Enter")


def test_a_visitor_hands_over_and_a_recruiter_replies_by_email(
    stack: Stack, engine, sink: SmtpSink, page: Page, context, widget: Widget
):
    email = f"candidate-{uuid.uuid4().hex[:8]}@example.org"
    widget.start_at(stack.web.url + "/")
    missed = widget.ask(NOT_UNDERSTOOD)
    expect(missed).to_have_attribute("data-topic", "fallback")
    answer = widget.ask("I want to talk to a real person")
    expect(answer).to_have_attribute("data-topic", "human-handoff")
    expect(answer).to_contain_text("https://www.cps.gov.uk/contact-us")  # beside the public route
    offer = answer.get_by_role("button", name=OFFER)
    assert axe_violations(page) == [], "offered"

    tab_to(page, offer, backwards=True)
    page.keyboard.press("Enter")
    heading = page.get_by_role("heading", name=OFFER)
    expect(heading).to_be_visible()
    assert is_focused(heading), "the form takes focus to its heading"
    question = page.get_by_role("textbox", name="Your question")
    expect(question).to_have_value(NOT_UNDERSTOOD)  # the last question not understood
    consent = page.get_by_role("checkbox")
    expect(consent).not_to_be_checked()
    for said in ("a copy of this conversation", "recruitment team", "deleted 30 days"):
        expect(form(page)).to_contain_text(said)
    assert axe_violations(page) == [], "form"

    # Mistakes: a bad address and no consent. Both are named; nothing typed is lost.
    tab_to(page, question)
    page.keyboard.press("Control+A")
    page.keyboard.type("Can I do the Legal Trainee Scheme part time?")
    tab_to(page, page.get_by_role("textbox", name="Your email address"))
    page.keyboard.type("candidate at example")
    send_form(page)
    summary = page.locator(".hf-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter an email address in the correct format")
    expect(summary).to_contain_text("Tick the box to agree")
    assert is_focused(summary), "the error summary takes focus"
    expect(question).to_have_value("Can I do the Legal Trainee Scheme part time?")
    address = page.get_by_role("textbox", name="Your email address")
    expect(address).to_have_value("candidate at example")
    expect(address).to_have_attribute("aria-invalid", "true")
    assert axe_violations(page) == [], "errors"

    tab_to(page, address)
    page.keyboard.press("Control+A")
    page.keyboard.type(email)
    tab_to(page, consent)
    page.keyboard.press("Space")
    send_form(page)
    sent = page.get_by_role("heading", name="Your question has been sent")
    expect(sent).to_be_visible(timeout=ANSWER_TIMEOUT * 3)  # the first loads the redaction
    expect(form(page)).to_contain_text(f"within {REPLY_DAYS} working days")
    assert axe_violations(page) == [], "sent"
    back = page.get_by_role("button", name="Back to the conversation")
    tab_to(page, back)
    page.keyboard.press("Enter")
    expect(widget.bot_messages.last).to_be_visible()

    # A recruiter finds it in the queue, new, with the conversation, and replies.
    console = context.new_page()
    console.goto(stack.web.url + "/console/requests/")
    sign_in(console, *recruiter(engine))
    expect(console).to_have_url(re.compile(r"/console/requests/?$"))
    row = console.locator("tbody tr").first
    expect(row).to_contain_text("Legal Trainee Scheme part time")
    expect(row).to_contain_text("New")
    assert axe_violations(console) == [], "queue"
    tab_to(console, row.get_by_role("link"))
    console.keyboard.press("Enter")
    expect(console.get_by_role("heading", name=re.compile(r"^Request \d+$"))).to_be_visible()
    expect(console.locator("main")).to_contain_text(NOT_UNDERSTOOD)  # the conversation, redacted
    expect(console.locator("main")).to_contain_text("human-handoff")  # a topic it touched
    assert email not in console.content()  # the address is only for sending the reply
    assert axe_violations(console) == [], "request"
    reply = "Yes, you can ask to work part time. The advert says how.\nGood luck!"
    box = console.get_by_role("textbox", name="Your reply")
    tab_to(console, box)
    console.keyboard.type(reply)
    tab_to(console, console.get_by_role("button", name="Send reply"))
    console.keyboard.press("Enter")
    expect(console.locator(".govuk-notification-banner")).to_contain_text("Your reply was sent")
    assert axe_violations(console) == [], "replied"
    console.goto(stack.web.url + "/console/")  # the console's home counts the requests
    expect(console.get_by_role("link", name=re.compile(r"^\d+ replied to$"))).to_be_visible()
    assert axe_violations(console) == [], "home"

    [received] = [r for r in sink.wait_for(1) if email in r.recipients]
    assert received.recipients == [email] and received.message["To"] == email
    assert received.message.get_content_type() == "text/plain"
    body = received.message.get_content().replace("\r\n", "\n")  # SMTP lines end CRLF
    assert reply in body and "Legal Trainee Scheme part time" in body

    # The address is in the request and nowhere else.
    with engine.connect() as connection:
        events = connection.execute(sa.select(db.events.c.data)).scalars().all()
        audit = connection.execute(sa.select(db.audit.c.detail)).scalars().all()
    assert events and not [data for data in events if email in (data or "")]
    assert not [detail for detail in audit if email in detail]
    for log in stack.state.glob("*.log"):
        assert email not in log.read_text(errors="replace"), log.name
    for export in ("export.csv", "export.json"):
        exported = console.request.get(f"{stack.web.url}/console/{export}")
        assert exported.ok and email not in exported.text()
    console.close()


def test_over_the_rest_channel_the_offer_links_to_the_form_page(stack: Stack, page: Page):
    sender = uuid.uuid4().hex
    webhook = f"{stack.rasas[0].url}/webhooks/rest/webhook"
    for text in (NOT_UNDERSTOOD, "can I speak to a human"):
        messages = requests.post(webhook, json={"sender": sender, "message": text},
                                 timeout=60).json()
    [button] = [b for m in messages for b in m.get("buttons") or [] if b["title"] == OFFER]
    assert button["payload"] == "/human-handoff"
    url = button["url"]
    assert url == f"{stack.web.url.replace('127.0.0.1', 'localhost')}" \
        f"/ask-the-recruitment-team#conversation={sender}"

    page.goto(url)
    expect(page.get_by_role("heading", level=1, name=OFFER)).to_be_visible()
    question = page.get_by_role("textbox", name="Your question")
    expect(question).to_have_value(NOT_UNDERSTOOD)
    assert axe_violations(page) == [], "form page"
    tab_to(page, page.get_by_role("textbox", name="Your email address"))
    page.keyboard.type(f"rest-{uuid.uuid4().hex[:8]}@example.org")
    tab_to(page, page.get_by_role("checkbox"))
    page.keyboard.press("Space")
    send_form(page)
    expect(page.get_by_role("heading", name="Your question has been sent")).to_be_visible(
        timeout=ANSWER_TIMEOUT * 3
    )
    assert axe_violations(page) == [], "form page sent"
