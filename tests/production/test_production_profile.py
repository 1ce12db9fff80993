"""The production profile end to end: PostgreSQL, Redis, two Rasa instances with two workers each.

One stack is started for the module, exactly as `make run PROFILE=production`
starts it (bot.ops.stack), in a throwaway PostgreSQL schema and Redis key prefix.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
import pytest
import requests
import sqlalchemy as sa
from assistant_client import Assistant, contract_payload, new_sender
from make_run import run_make_run
from production_settings import POSTGRES

from bot.evaluation.heldout import load_questions
from bot.ops.services import free_port
from bot.ops.stack import Stack, build_stack

pytestmark = pytest.mark.e2e

CONVERSATIONS = 40
TURNS = 6


@pytest.fixture(scope="module")
def stack(
    trained_model: Path, production_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    state = tmp_path_factory.mktemp("production")
    stack = build_stack(
        trained_model, state_dir=state, rasa_instances=2, env=production_env, free_ports=True
    )
    stack.start(timeout=300, report=lambda _: None)
    try:
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="module")
def events(postgres_schema: str):
    """Read the tracker store's `events` table in this run's schema."""
    engine = sa.create_engine(
        POSTGRES.url(), future=True, connect_args={"options": f"-csearch_path={postgres_schema}"}
    )

    def read(sender: str) -> list[dict]:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"), {"s": sender}
            )
            return [json.loads(row[0]) for row in rows]

    yield read
    engine.dispose()


def questions() -> Iterator[str]:
    return itertools.cycle(question.text for question in load_questions())


def test_each_rasa_instance_runs_several_workers(stack: Stack) -> None:
    for rasa in stack.rasas:
        workers = psutil.Process(rasa.process.pid).children(recursive=True)
        assert len(workers) >= 2, f"{rasa.name} has {len(workers)} worker processes"


def test_turns_alternating_between_instances_lose_nothing(stack: Stack, events) -> None:
    """Many conversations at once, each turn sent to the other instance than the last.

    Each conversation's stored user messages must be exactly the messages sent, in
    order, once each, and each turn's stored bot messages exactly what the visitor
    was shown. A turn answered with the apology (a cold worker can miss ACTION_TIMEOUT
    while another message holds its event loop) stores no bot message; such turns are
    counted and must stay rare.
    """
    instances = [Assistant(rasa_url=r.url, actions_url=stack.actions.url) for r in stack.rasas]
    source = questions()
    scripts = {new_sender(): [next(source) for _ in range(TURNS)] for _ in range(CONVERSATIONS)}

    def converse(sender: str) -> list[list[str] | None]:
        shown = []
        for turn, message in enumerate(scripts[sender]):
            reply = instances[turn % 2].send(sender, message)
            apology = contract_payload(reply).get("notice") == "unavailable"
            shown.append(None if apology else [m["text"] for m in reply if m.get("text")])
        return shown

    with ThreadPoolExecutor(max_workers=20) as pool:
        answered = dict(zip(scripts, pool.map(converse, scripts), strict=True))

    apologies = 0
    for sender, sent in scripts.items():
        stored = events(sender)
        user_texts = [e["text"] for e in stored if e["event"] == "user"]
        assert user_texts == sent, f"conversation {sender}: stored {user_texts}, sent {sent}"
        timestamps = [e["timestamp"] for e in stored]
        assert timestamps == sorted(timestamps), f"conversation {sender} is out of order"
        turns: list[list[str]] = []
        for event in stored:
            if event["event"] == "user":
                turns.append([])
            elif event["event"] == "bot" and turns:
                turns[-1].append(event["text"])
        for turn, (stored_texts, shown) in enumerate(zip(turns, answered[sender], strict=True)):
            if shown is None:
                apologies += 1
                assert stored_texts == [], f"{sender} turn {turn}: apology, yet {stored_texts}"
            else:
                assert stored_texts == shown, f"{sender} turn {turn}: stored {stored_texts}"
    assert apologies <= CONVERSATIONS * TURNS // 20, f"{apologies} turns got the apology"


def test_the_widget_api_answers_through_the_production_profile(stack: Stack) -> None:
    response = requests.post(
        f"{stack.web.url}/api/messages",
        json={
            "conversation": new_sender(),
            "message": "How do I apply for the Legal Trainee Scheme?",
        },
        timeout=30,
    )
    assert response.status_code == 200
    assert contract_payload(response.json()["messages"])["topic"]


def test_make_run_says_plainly_when_postgres_is_down(tmp_path: Path) -> None:
    finished = run_make_run(
        {
            "PROFILE": "production",
            "POSTGRES_PORT": str(free_port()),  # nothing listens there
            "POSTGRES_PASSWORD": "any",
            "REDIS_PASSWORD": "any",
            "DEPENDENCY_WAIT": "1",
        }
    )
    assert finished.returncode == 1
    assert "Could not start the assistant: PostgreSQL at 127.0.0.1:" in finished.stderr
    assert "is not reachable" in finished.stderr
    assert "Traceback" not in finished.stderr + finished.stdout
