"""The steps of the improvement loop that both profiles' browser tests take, by keyboard
with axe-core on every page: a visitor's question the model does not understand, an
editor who adds it as a training example, "Train and publish" followed to its end, and
"Roll back". The embedded test is test_improvement_loop_browser.py, the production one
test_improvement_loop_production_browser.py."""

from __future__ import annotations

import time
import uuid

import pytest
import requests
import sqlalchemy as sa
from playwright.sync_api import Page, expect
from seed import add_enrolled_account
from test_console_browser import no_axe_violations, sign_in

from bot.content.examples import ExampleRefused, check
from bot.storage import database as db

TOPIC = "learning-and-development"
CANDIDATES = [  # not understood by the model of this commit (a nearby topic, too unsure)
    "will you pay for my sign language lessons",
    "do you sponsor professional exams",
]
PUBLISH_WAIT = 60 * 60  # training and two held-out scorings on a busy 2-core machine
# What the newest model's state cell says once "Train and publish" has finished.
FINISHED = ("Live", "Refused", "Failed", "Not live everywhere")


def press(page: Page, role: str, name: str) -> None:
    page.get_by_role(role, name=name).first.focus()
    page.keyboard.press("Enter")


def parse(rasa_url: str, token: str, text: str) -> dict:
    return requests.post(
        f"{rasa_url}/model/parse",
        params={"token": token},
        json={"text": text},
        timeout=60,
    ).json()["intent"]


def ask(web_url: str, text: str, conversation: str | None = None) -> dict:
    """A visitor's question through the widget's API: the topic and the text answered."""
    response = requests.post(
        f"{web_url}/api/messages",
        json={"conversation": conversation or uuid.uuid4().hex, "message": text},
        headers={"Origin": web_url},
        timeout=60,
    )
    response.raise_for_status()
    messages = response.json()["messages"]
    return {
        "topic": next(m["custom"]["topic"] for m in messages if m.get("custom")),
        "text": " ".join(m.get("text") or "" for m in messages),
    }


def unanswered_question(rasa_url: str, token: str) -> str:
    """A candidate the live model does not understand, which may become an example."""
    question = next(
        (q for q in CANDIDATES if parse(rasa_url, token, q)["name"] == "nlu_fallback"), None
    )
    assert question is not None, "every candidate is understood already: choose new ones"
    with pytest.raises(ExampleRefused, match="Choose a topic"):
        check(question, "no-such-topic")
    check(question, TOPIC)  # (and it is no measurement question)
    return question


def editor_signs_in(page: Page, web_url: str, engine: sa.engine.Engine) -> str:
    """A new editor, whose authenticator app is set up, signed in: their email address."""
    email = f"editor-{uuid.uuid4().hex[:8]}@cps.example"
    with engine.begin() as connection:
        secret = add_enrolled_account(connection, email, "editor")
    page.goto(f"{web_url}/console/sign-in")
    sign_in(page, email, secret)
    return email


def add_training_example(page: Page, question: str, shoot=lambda: None) -> None:
    """From the Improve page, the question becomes an example of TOPIC (``shoot`` is
    called with the question in view, for a screenshot)."""
    press(page, "link", "Improve")
    expect(page.get_by_role("heading", name="Improve the assistant")).to_be_visible()
    no_axe_violations(page)
    block = page.locator(".console-improve-question", has_text=question)
    expect(block).to_contain_text("not understood")
    block.scroll_into_view_if_needed()
    shoot()
    block.get_by_label("Topic").focus()
    block.get_by_label("Topic").select_option(TOPIC)
    block.get_by_role("button", name="Add as a training example").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("added as a training example")
    no_axe_violations(page)


def models_table(page: Page):
    return page.get_by_role("table", name="Models with their state and held-out figures")


def newest_state(page: Page) -> str:
    return models_table(page).locator("tbody tr").first.locator("td").nth(1).inner_text()


def train_and_publish(page: Page, seen: list[str] | None = None) -> tuple[str, str]:
    """Press "Train and publish" and follow "Check progress" until the job has finished:
    the newest model's state cell and name. Each state shown on the way goes to ``seen``."""
    press(page, "link", "Models")
    expect(page.get_by_role("heading", name="Models", exact=True)).to_be_visible()
    no_axe_violations(page)
    press(page, "button", "Train and publish")
    expect(page.get_by_role("alert")).to_contain_text("Training has started")
    no_axe_violations(page)
    deadline = time.monotonic() + PUBLISH_WAIT
    while True:
        state = newest_state(page)
        if seen is not None and (not seen or seen[-1] != state):
            seen.append(state)
        if state.split("\n")[0].strip() in FINISHED:
            break
        assert time.monotonic() < deadline, f"still not published: {state}"
        time.sleep(10)
        press(page, "link", "Check progress")
    no_axe_violations(page)
    return state, models_table(page).locator("tbody tr td").first.inner_text().strip()


def roll_back(page: Page, target: str) -> None:
    press(page, "link", "Models")
    press(page, "button", f"Roll back to {target}")
    expect(page.get_by_role("alert")).to_contain_text("Rolled back")
    no_axe_violations(page)


def audited(engine: sa.engine.Engine, email: str) -> list[str]:
    with engine.connect() as connection:
        return list(
            connection.execute(
                sa.select(db.audit.c.action).where(db.audit.c.actor == email)
            ).scalars()
        )
