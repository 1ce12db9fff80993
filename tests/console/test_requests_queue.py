"""Questions for the recruitment team over HTTP, on SQLite and on PostgreSQL: a visitor's
question through the API (errors, honeypot, rate limit), the queue in the console, a
reply that arrives at a real SMTP server on loopback (or in the outbox folder), closing,
erasure, retention, and the email address nowhere but the request."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from backends import start_web_app
from seed import PASSWORD
from smtp_sink import SmtpSink, smtp_sink

from bench.console_client import csrf_token
from bench.console_client import sign_in as bench_sign_in
from bot.ops.services import Service
from bot.storage import database as db
from bot.storage import requests as stored_requests
from bot.storage.retention import erase_conversation

QUESTION = "My name is Jane Smith. Can I apply for the Legal Trainee Scheme part time?"


@pytest.fixture(scope="module")
def sink() -> Iterator[SmtpSink]:
    with smtp_sink() as running:
        yield running


@pytest.fixture(scope="module")
def smtp_web(console, sink: SmtpSink, tmp_path_factory) -> Iterator[Service]:
    """A web app on the console's seeded database that sends replies through ``sink``."""
    state = tmp_path_factory.mktemp(f"smtp-web-{console.kind}")
    # Many questions from one address in these tests: its limit is tested in the web tests.
    limits = {"REQUEST_LIMIT_PER_ADDRESS": "1000"}
    service = start_web_app({**console.env, **sink.env, **limits}, state / "web.log")
    service.log_path = state / "web.log"
    yield service
    service.stop()


@pytest.fixture(scope="module")
def outbox_web(console, tmp_path_factory) -> Iterator[tuple[Service, Path]]:
    """The same without SMTP_HOST: replies go to an outbox folder, as with `make run`."""
    state = tmp_path_factory.mktemp(f"outbox-web-{console.kind}")
    service = start_web_app({**console.env, "MAIL_OUTBOX": str(state / "outbox")},
                            state / "web.log")
    yield service, state / "outbox"
    service.stop()


def new_email() -> str:
    return f"visitor-{uuid.uuid4().hex[:12]}@example.org"


def ask(url: str, conversation: str | None, email: str, **changes) -> requests.Response:
    body = {"conversation": conversation, "question": QUESTION, "email": email, "consent": True,
            "website": "", **changes}
    # The first question loads the redaction (spaCy) in the web app: allow for a busy machine.
    return requests.post(f"{url}/api/requests", json=body, timeout=90)


def request_row(console, email: str) -> dict | None:
    with console.engine.connect() as connection:
        row = connection.execute(
            sa.select(db.requests).where(db.requests.c.email == email)
        ).first()
    return dict(row._mapping) if row else None


def sent_request(url: str, console, topic: str) -> tuple[str, int, str]:
    """A visitor sends their question from a conversation about ``topic``, with an address
    of their own: (the address, the request's id, its page in the console)."""
    email = new_email()
    assert ask(url, console.ids[topic], email).status_code == 201
    request_id = request_row(console, email)["id"]
    return email, request_id, f"/console/requests/{request_id}"


def signed_in(url: str, console, role: str = "recruiter") -> requests.Session:
    email, secret = console.new_account(role)
    session, response = bench_sign_in(url, email, PASSWORD, secret)
    assert response.status_code == 303
    return session


def post_form(session, url: str, page: str, action: str, **data) -> requests.Response:
    token = csrf_token(session.get(f"{url}{page}", timeout=10).text)
    return session.post(f"{url}{action}", data={"csrf_token": token, **data},
                        allow_redirects=False, timeout=30)


def everything_but_requests(console) -> str:
    """Every row of every other table, as text."""
    with console.engine.connect() as connection:
        return "\n".join(
            json.dumps([list(map(str, row)) for row in connection.execute(sa.select(table))])
            for table in db.metadata.sorted_tables
            if table is not db.requests
        )


def test_a_question_is_stored_redacted_with_its_address_in_the_request_alone(console, smtp_web):
    email = new_email()
    conversation = console.ids["salary"]
    response = ask(smtp_web.url, conversation, email)
    assert response.status_code == 201
    assert response.json() == {"reply_days": 5}
    row = request_row(console, email)
    assert row["status"] == "new" and row["conversation_id"] == conversation
    assert "Jane Smith" not in row["question"] and "Legal Trainee Scheme" in row["question"]
    assert email not in everything_but_requests(console)
    assert email not in smtp_web.log_path.read_text()


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"consent": False}, {"consent"}),
        ({"email": "jane at example"}, {"email"}),
        ({"email": "jane@example.org\r\nBcc: x@example.org"}, {"email"}),
        ({"question": "  ", "email": "", "consent": None}, {"question", "email", "consent"}),
        ({"question": "x" * 1001}, {"question"}),
    ],
)
def test_a_form_with_mistakes_names_each_field_and_stores_nothing(console, smtp_web, changes,
                                                                  fields):
    changes = dict(changes)
    email = changes.pop("email", new_email())
    response = ask(smtp_web.url, console.ids["dog"], email, **changes)
    assert response.status_code == 400
    assert set(response.json()["fields"]) == fields
    assert request_row(console, email) is None


def test_the_honeypot_is_thanked_and_nothing_is_stored(console, smtp_web):
    email = new_email()
    response = ask(smtp_web.url, console.ids["dog"], email, website="https://spam.example")
    assert response.status_code == 201
    assert request_row(console, email) is None


def test_one_conversation_can_send_only_a_few_questions_an_hour(console, smtp_web):
    conversation = uuid.uuid4().hex
    answers = [ask(smtp_web.url, conversation, new_email()).status_code for _ in range(4)]
    assert answers == [201, 201, 201, 429]


def test_the_terms_the_form_states_come_from_the_settings(smtp_web):
    terms = requests.get(f"{smtp_web.url}/api/requests/terms", timeout=10).json()
    assert terms == {"reply_days": 5, "retention_days": 30, "max_question_chars": 1000}


def test_a_recruiter_replies_and_the_email_arrives_by_smtp(console, smtp_web, sink):
    email, _, page = sent_request(smtp_web.url, console, "salary")
    session = signed_in(smtp_web.url, console)

    home = session.get(f"{smtp_web.url}/console/", timeout=10)
    assert home.status_code == 200
    assert re.search(r'<strong class="console-count">\d+</strong> new', home.text)
    listing = session.get(f"{smtp_web.url}/console/requests/", timeout=10).text
    assert page in listing
    first_status = re.search(r'govuk-tag govuk-tag--(\w+)">', listing.split("<tbody")[1])
    assert first_status.group(1) == "blue"  # new requests come first
    detail = session.get(f"{smtp_web.url}{page}", timeout=10).text
    assert "Legal Trainee Scheme part time" in detail and "Jane Smith" not in detail
    assert "salary" in detail  # a topic of the conversation it came from

    before = len(sink.received)
    reply = "Yes: the scheme can be done part time.\nSee the advert for details."
    answer = post_form(session, smtp_web.url, page, f"{page}/reply", reply=reply)
    assert answer.status_code == 303
    received = sink.wait_for(before + 1)[before]
    assert received.recipients == [email]
    message = received.message
    assert message["To"] == email and message["From"] == sink.env["SMTP_FROM"]
    assert message.get_content_type() == "text/plain" and not message.is_multipart()
    body = message.get_content().replace("\r\n", "\n")  # SMTP sends lines as CRLF
    assert reply in body and "Legal Trainee Scheme part time" in body
    assert request_row(console, email)["status"] == "replied"
    again = post_form(session, smtp_web.url, page, f"{page}/reply", reply="Twice")
    assert again.status_code == 409

    with console.engine.connect() as connection:
        audited = connection.execute(
            sa.select(db.audit.c.action, db.audit.c.detail).where(
                db.audit.c.action.in_(["view-request", "request-reply"])
            )
        ).all()
    assert {"view-request", "request-reply"} <= {action for action, _ in audited}
    assert email not in everything_but_requests(console)
    for export in ("export.csv", "export.json"):
        exported = session.get(f"{smtp_web.url}/console/{export}", timeout=30)
        assert exported.status_code == 200 and email not in exported.text


def test_the_outbox_gets_the_same_message_without_an_smtp_server(console, outbox_web):
    web, outbox = outbox_web
    email, _, page = sent_request(web.url, console, "dog")
    session = signed_in(web.url, console)
    reply = "Thank you for your question. Yes, you can."
    assert post_form(session, web.url, page, f"{page}/reply", reply=reply).status_code == 303
    written = [path for path in outbox.glob("*.eml") if email in path.read_text()]
    assert len(written) == 1
    assert oct(written[0].stat().st_mode & 0o777) == "0o600"
    text = written[0].read_text()
    assert f"To: {email}" in text and reply in text and "text/plain" in text


def test_a_reply_the_mail_server_refuses_is_kept_to_send_again(console, tmp_path):
    closed = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": "9", "SMTP_TLS": "none"}
    web = start_web_app({**console.env, **closed}, tmp_path / "web.log")
    try:
        email, _, page = sent_request(web.url, console, "dog")
        session = signed_in(web.url, console)
        reply = "A reply that <b>cannot</b> go yet"
        answer = post_form(session, web.url, page, f"{page}/reply", reply=reply)
        assert answer.status_code == 502
        assert "Your reply was not sent" in answer.text
        assert "A reply that &lt;b&gt;cannot&lt;/b&gt; go yet</textarea>" in answer.text
        assert request_row(console, email)["status"] == "new"
    finally:
        web.stop()


def test_closing_needs_a_reason_and_erasing_needs_an_administrator(console, smtp_web):
    email, request_id, page = sent_request(smtp_web.url, console, "parking")
    recruiter = signed_in(smtp_web.url, console)
    no_reason = post_form(recruiter, smtp_web.url, page, f"{page}/close")
    assert no_reason.status_code == 400 and "Select why you are closing" in no_reason.text
    closed = post_form(recruiter, smtp_web.url, page, f"{page}/close", reason="spam")
    assert closed.status_code == 303
    row = request_row(console, email)
    assert (row["status"], row["close_reason"]) == ("closed", "spam")
    refused = post_form(recruiter, smtp_web.url, page, f"{page}/erase", confirm="yes")
    assert refused.status_code == 403
    admin = signed_in(smtp_web.url, console, "admin")
    erased = post_form(admin, smtp_web.url, page, f"{page}/erase", confirm="yes")
    assert erased.status_code == 303
    assert request_row(console, email) is None
    with console.engine.connect() as connection:
        mentioned = db.audit.c.detail.contains(f'"request_id": {request_id}')
        actions = set(connection.execute(sa.select(db.audit.c.action).where(mentioned)).scalars())
    assert {"request-close", "request-erase"} <= actions


def test_finished_requests_are_deleted_after_the_retention_period(console, smtp_web):
    waiting, answered = new_email(), new_email()
    for email in (waiting, answered):
        assert ask(smtp_web.url, console.ids["scheme"], email).status_code == 201
    with console.engine.begin() as connection:
        stored_requests.mark_replied(
            connection, request_row(console, answered)["id"], "Yes", "recruiter@cps.example"
        )
    finished_at = request_row(console, answered)["finished_at"]
    assert stored_requests.purge_finished(console.engine, 30, now=finished_at + 29 * 86400) == 0
    assert request_row(console, answered) is not None
    assert stored_requests.purge_finished(console.engine, 30, now=finished_at + 31 * 86400) >= 1
    assert request_row(console, answered) is None
    assert request_row(console, waiting) is not None  # not answered yet: kept


def test_erasing_a_conversation_erases_its_requests(console, smtp_web):
    conversation = uuid.uuid4().hex
    email = new_email()
    assert ask(smtp_web.url, conversation, email).status_code == 201
    erase_conversation(console.engine, conversation, "admin@cps.example")
    assert request_row(console, email) is None
