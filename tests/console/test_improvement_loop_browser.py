"""The whole improvement loop on a copy of this checkout started as `make run` starts it,
in Chromium by keyboard with axe-core on every editor page: an editor turns a question the
assistant did not understand into a training example, edits the answer, trains and
publishes; the running assistant then answers that question with the chosen topic and
the new wording, and the transcript names the model. Visitors talk through the widget's
API the whole time and every message is answered and stored once. Roll back makes the
previous model live again. One model is trained in all (minutes on a shared machine).

The README's pictures of the loop are taken here, so they show what the test checked:
`CONSOLE_SCREENSHOTS=docs/screenshots pytest tests/console/test_improvement_loop_browser.py`
writes them (without it they go to a temporary folder and are thrown away)."""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from checkout import Checkout, model_name, rasa_status, running_checkout
from editing import patient_page  # noqa: F401 (the `patient` fixture)
from improvement_loop import (
    TOPIC,
    add_training_example,
    ask,
    audited,
    editor_signs_in,
    press,
    roll_back,
    train_and_publish,
    unanswered_question,
)
from playwright.sync_api import Page, expect
from test_console_browser import no_axe_violations

from bot.storage import database as db

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.model]

TOKEN = "improvement-loop-" + uuid.uuid4().hex
NEW_SENTENCE = "Ask your line manager which courses suit your role."
VISITOR_QUESTIONS = {
    "what does a crown prosecutor earn?": "salary",
    "how do I apply for a job at the crown prosecution service": "how-to-apply",
    "is there a pension": "pension",
}


@pytest.fixture(scope="module")
def assistant(tmp_path_factory) -> Iterator[Checkout]:
    target = tmp_path_factory.mktemp("loop")
    limits = {"RATE_LIMIT_PER_ADDRESS": "0", "RATE_LIMIT_PER_CONVERSATION": "0"}  # off
    with running_checkout(target, {"RASA_API_TOKEN": TOKEN, **limits}) as running:
        yield running


class Visitors:
    """Conversations sent through the widget's API, one message every ~2 s, until told to
    stop; every reply and failure is kept."""

    def __init__(self, checkout: Checkout):
        self.url = f"{checkout.web_url}/api/messages"
        self.origin = checkout.web_url
        self.sent: list[tuple[str, str]] = []
        self.failures: list[str] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.talk, daemon=True)

    def talk(self) -> None:
        while not self.stopping.is_set():
            conversation = uuid.uuid4().hex
            for question, topic in VISITOR_QUESTIONS.items():
                try:
                    response = requests.post(
                        self.url, json={"conversation": conversation, "message": question},
                        headers={"Origin": self.origin}, timeout=60,
                    )
                    self.sent.append((conversation, question))
                    topics = [
                        m["custom"].get("topic")
                        for m in response.json().get("messages", [])
                        if m.get("custom")
                    ]
                    if response.status_code != 200 or topics != [topic]:  # not an apology
                        self.failures.append(f"{response.status_code}: {response.text[:300]}")
                except requests.RequestException as error:
                    self.failures.append(str(error))
                time.sleep(2)  # a steady trickle, not a load test: training needs the CPU

    def __enter__(self) -> Visitors:
        self.thread.start()
        return self

    def __exit__(self, *_) -> None:
        self.stopping.set()
        self.thread.join(timeout=120)


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    wanted = os.environ.get("CONSOLE_SCREENSHOTS")
    return Path(wanted) if wanted else tmp_path_factory.mktemp("screenshots")


def shoot(page: Page, folder: Path, name: str) -> None:
    page.screenshot(path=folder / f"console-{name}.png", full_page=False)


def wait_for_model(checkout: Checkout, name: str, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while model_name(rasa_status(checkout, TOKEN)) != name:
        assert time.monotonic() < deadline, f"Rasa did not load {name}"
        time.sleep(2)


def test_an_editor_improves_the_live_assistant_while_visitors_talk(
    assistant, patient: Page, shots: Path
):
    page = patient
    question = unanswered_question(assistant.rasa_url, TOKEN)
    before = ask(assistant.web_url, question)
    assert before["topic"] == "fallback"
    first_model = model_name(rasa_status(assistant, TOKEN))

    engine = db.make_engine(f"sqlite:///{assistant.tracker_db}")
    email = editor_signs_in(page, assistant.web_url, engine)
    add_training_example(page, question, shoot=lambda: shoot(page, shots, "improve"))
    examples = (assistant.root / "bot/data/nlu/from_conversations.yml").read_text()
    assert question in examples and email in examples

    press(page, "link", "Answers")
    expect(page.get_by_role("heading", name="Answers", exact=True)).to_be_visible()
    no_axe_violations(page)
    page.get_by_role("link", name="Learning and development").first.focus()
    page.keyboard.press("Enter")
    answer = page.get_by_label("Answer", exact=True)
    answer.fill(answer.input_value() + " " + NEW_SENTENCE)
    press(page, "button", "Preview")
    expect(page.get_by_text("Preview (not saved)")).to_be_visible()
    expect(page.locator(".console-preview")).to_contain_text(NEW_SENTENCE)
    no_axe_violations(page)
    page.locator(".console-preview").scroll_into_view_if_needed()
    shoot(page, shots, "answers-preview")
    press(page, "button", "Save")
    expect(page.get_by_role("alert")).to_contain_text("Saved.")
    expect(page.locator(".console-diff").first).to_contain_text("manager")  # its history
    no_axe_violations(page)

    # The first answers of a cold action server can exceed ACTION_TIMEOUT on a busy machine
    # (the apology): warm it up, so what is measured below is publishing alone.
    for visitor_question in VISITOR_QUESTIONS:
        ask(assistant.web_url, visitor_question)
    with Visitors(assistant) as visitors:
        state, new_model = train_and_publish(page)
        assert state.startswith("Live\n1 of 1 worker answers with it"), state
        assert new_model != first_model
        wait_for_model(assistant, new_model)
        page.reload()
        workers = page.get_by_role("table", name="Rasa workers heard from lately")
        expect(workers.locator("tbody tr")).to_have_count(1)  # make run: one Rasa worker
        expect(workers).to_contain_text(new_model)
        shoot(page, shots, "models")
        time.sleep(5)  # visitors keep talking after the swap too
    assert visitors.failures == []
    assert len(visitors.sent) > 20

    after = ask(assistant.web_url, question)
    assert after["topic"] == TOPIC
    assert NEW_SENTENCE in after["text"]

    # Every visitor message was stored exactly once.
    with engine.connect() as connection:
        stored = connection.execute(
            sa.select(db.events.c.sender_id, sa.func.count())
            .where(db.events.c.type_name == "user",
                   db.events.c.sender_id.in_({c for c, _ in visitors.sent}))
            .group_by(db.events.c.sender_id)
        ).all()
    sent_per = {}
    for conversation, _ in visitors.sent:
        sent_per[conversation] = sent_per.get(conversation, 0) + 1
    assert dict(stored) == sent_per

    # The transcript says which model answered each turn.
    conversation = visitors.sent[-1][0]
    page.goto(f"{assistant.web_url}/console/conversations/{conversation}")
    expect(page.get_by_text(f"Model: {new_model}").first).to_be_visible()
    no_axe_violations(page)

    # Roll back: the previous model is live again and the question is not understood.
    roll_back(page, first_model)
    wait_for_model(assistant, first_model)
    assert ask(assistant.web_url, question)["topic"] == "fallback"
    actions = audited(engine, email)
    for action in ("training-example-add", "answer-edit", "model-train", "model-publish",
                   "model-rollback"):
        assert action in actions
    engine.dispose()

