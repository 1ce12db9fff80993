"""The improvement loop in the production profile, in Chromium by keyboard with axe-core on
every page: a copy of this checkout started as `make run PROFILE=production` starts it,
with two Rasa workers and two action workers behind one port each, on a PostgreSQL schema
and a Redis user of its own.

Rasa's ``/status`` reaches one worker at random, so it cannot show that a model is live
everywhere: each worker reports its own model (console_model_servers), and the test
checks that the Models page says "Live" only once both workers answer with the new model,
that each worker's row says so, and that every turn of a dozen conversations (each on a
new connection, so both workers take some) was answered by it. A model made worse on
purpose (a one-epoch classifier whose answers all fall under a 0.9 threshold) is refused
with its figures; "Roll back" shows "Going live" until both workers have the earlier
model again.

Two models are trained (the second, one epoch, quickly) and three are scored on the
held-out set: 14 to 16 minutes on a busy 2-core machine. No run can reuse another's
models: the example's provenance (conversation, date) is among their inputs."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator

import pytest
import requests
import sqlalchemy as sa
from checkout import Checkout, running_checkout
from editing import patient_page  # noqa: F401 (the `patient` fixture)
from improvement_loop import (
    TOPIC,
    add_training_example,
    ask,
    audited,
    editor_signs_in,
    models_table,
    press,
    roll_back,
    train_and_publish,
    unanswered_question,
)
from playwright.sync_api import Page, expect
from postgres_schemas import fresh_schema
from service_accounts import production_credentials
from test_console_browser import no_axe_violations

from bot.ops.profiles import load_profile
from bot.storage import database as db
from bot.storage import model_servers
from web.console.publishing import model_id_of

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.model]

TOKEN = "improvement-loop-production-" + uuid.uuid4().hex
WORKERS = 2
# This tests publishing, not latency: while a model trains, a turn can miss the defaults.
SLOW_MACHINE = {"ACTION_TIMEOUT": "30", "REPLY_TIMEOUT": "60", "RASA_TIMEOUT": "90"}
WORSE = [  # a classifier barely trained, whose answers all fall under the threshold
    ("    epochs: 60\n", "    epochs: 1\n"),
    ("    threshold: 0.5\n", "    threshold: 0.9\n"),
]


@pytest.fixture(scope="module")
def assistant(tmp_path_factory) -> Iterator[Checkout]:
    target = tmp_path_factory.mktemp("loop-production")
    with fresh_schema("loop") as schema, production_credentials(schema) as credentials:
        env = {
            "PROFILE": "production",
            "POSTGRES_DB": "test",
            "POSTGRES_SCHEMA": schema,
            "REDIS_KEY_PREFIX": schema.replace("_", ""),
            "RASA_WORKERS": str(WORKERS),
            "ACTION_WORKERS": "2",
            "RASA_API_TOKEN": TOKEN,
            "RATE_LIMIT_PER_ADDRESS": "0",  # off
            "RATE_LIMIT_PER_CONVERSATION": "0",
            **SLOW_MACHINE,
            **credentials,
        }
        with running_checkout(target, env) as running:
            web_env = load_profile(target, env).web_env
            running.engine = db.make_engine(
                web_env["CONVERSATIONS_DB_URL"], schema=web_env["CONVERSATIONS_DB_SCHEMA"]
            )
            yield running
            running.engine.dispose()


def workers_on(engine: sa.engine.Engine, model: str | None, timeout: float = 600) -> list:
    """The live workers once there are WORKERS of them and every one answers with
    ``model`` (None: with one and the same model), each row written by the worker itself."""
    deadline = time.monotonic() + timeout
    while True:
        with engine.connect() as connection:
            workers = model_servers.live_workers(connection)
        if len(workers) == WORKERS and len({w.model for w in workers} | {model} - {None}) == 1:
            return workers
        assert time.monotonic() < deadline, f"not every worker answers with {model}: {workers}"
        time.sleep(2)


def answered_by(checkout: Checkout, question: str, times: int) -> tuple[list[str], set[str]]:
    """Ask Rasa's REST channel ``times`` times, each in a new conversation on a new
    connection: the topics answered, and the ids of the models that answered the turns."""
    topics, senders = [], []
    for _ in range(times):
        sender = uuid.uuid4().hex
        senders.append(sender)
        messages = requests.post(
            f"{checkout.rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": question},
            headers={"Connection": "close"},
            timeout=90,
        ).json()
        topics += [m["custom"]["topic"] for m in messages if m.get("custom")]
    with checkout.engine.connect() as connection:
        events = connection.execute(
            sa.select(db.events.c.data).where(
                db.events.c.sender_id.in_(senders), db.events.c.type_name == "bot"
            )
        ).scalars()
        models = {(json.loads(data).get("metadata") or {}).get("model_id") for data in events}
    return topics, models


def model_row(page: Page, name: str):
    return models_table(page).locator("tbody tr", has_text=name)


def test_publishing_reaches_every_worker_and_a_worse_model_is_refused(
    assistant: Checkout, patient: Page
):
    page, engine, started = patient, assistant.engine, time.monotonic()
    models = assistant.root / "bot" / "models"
    before = workers_on(engine, None)
    assert len({w.worker for w in before}) == WORKERS  # two processes, two rows
    first_model = before[0].model

    question = unanswered_question(assistant.rasa_url, TOKEN)
    assert ask(assistant.web_url, question)["topic"] == "fallback"  # on the Improve page now
    email = editor_signs_in(page, assistant.web_url, engine)
    add_training_example(page, question)

    seen: list[str] = []
    state, new_model = train_and_publish(page, seen)
    assert state.startswith(f"Live\n{WORKERS} of {WORKERS} workers answer with it"), seen
    assert new_model != first_model
    after = workers_on(engine, new_model, timeout=0)  # already, on the page's word
    assert {w.worker for w in after} == {w.worker for w in before}  # the same processes
    table = page.get_by_role("table", name="Rasa workers heard from lately")
    expect(table.locator("tbody tr")).to_have_count(WORKERS)
    for worker in after:
        expect(table.locator("tr", has_text=worker.worker)).to_contain_text(new_model)
    topics, answered = answered_by(assistant, question, 12)
    assert topics == [TOPIC] * 12
    assert answered == {model_id_of(models / new_model)}

    # A model made worse on purpose is refused with its figures; the workers keep theirs.
    config = assistant.root / "config.yml"
    good = config.read_text()
    worse = good
    for old, new in WORSE:
        assert old in worse
        worse = worse.replace(old, new)
    config.write_text(worse)
    state, refused = train_and_publish(page)
    config.write_text(good)
    assert state.startswith("Refused"), state
    assert refused not in (first_model, new_model)
    row = model_row(page, refused)
    expect(row).to_contain_text("Right topic:")
    expect(row).to_contain_text("for the live model, a fall of more than 1.0%")
    expect(row).to_contain_text("live then:")
    workers_on(engine, new_model, timeout=0)

    # Roll back: "Going live" until both workers have the earlier model, then "Live".
    roll_back(page, first_model)
    states = []
    deadline = time.monotonic() + 600
    while not states or not states[-1].startswith("Live"):
        assert time.monotonic() < deadline, states
        states.append(model_row(page, first_model).locator("td").nth(1).inner_text())
        if not states[-1].startswith("Live"):
            time.sleep(2)
            press(page, "link", "Check progress")
    assert states[0].startswith("Going live\nGoing live, "), states  # not "Live" at once
    assert states[-1].startswith(f"Live\n{WORKERS} of {WORKERS} workers"), states
    no_axe_violations(page)
    workers_on(engine, first_model, timeout=0)
    topics, answered = answered_by(assistant, question, 4)
    assert topics == ["fallback"] * 4
    assert answered == {model_id_of(models / first_model)}

    actions = audited(engine, email)
    for action in (
        "training-example-add",
        "model-train",
        "model-publish",
        "model-refused",
        "model-rollback",
    ):
        assert action in actions
    print(
        f"\nThe production loop took {time.monotonic() - started:.0f} s; states seen "
        f"while publishing: {seen}; while rolling back: {states}"
    )
