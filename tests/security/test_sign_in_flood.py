"""A flood of console sign-ins does not grow the web app's memory past a bound, and the
widget's API keeps answering during it.

Each password check takes 64 MiB (argon2id). Before the bound, 60 sign-ins at once from
60 addresses ran as many checks at once as the thread pool had threads (+387 MiB on this
2-core machine, more where more cores are seen: docs/security.md). Now at most
CONSOLE_SIGN_IN_PARALLEL (2) run at once per process; the rest wait, then are told to
try again shortly (503). The bound checked here leaves room for a busy machine: the
checks' own 2 x 64 MiB and 96 MiB more.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid

import pytest
import requests
from started_service import running

from bench.sign_in_flood import MIB, Sampler, flood
from bot.ops.services import free_port, web_app

pytestmark = pytest.mark.e2e

PARALLEL_CHECKS = 2
BOUND = (PARALLEL_CHECKS * 64 + 96) * MIB


@pytest.fixture
def flooded_web(assistant, tmp_path):
    """The web app serving both parts, as one pod of a one-machine install would, behind a
    proxy it trusts, so that each client of the flood can claim an address of its own."""
    service = web_app(
        free_port(),
        rasa_url=assistant.rasa_url,
        log_path=tmp_path / "web.log",
        env={
            "TRACKER_DB": str(tmp_path / "console.db"),
            "CONSOLE_COOKIE_SECURE": "false",
            "CONSOLE_SIGN_IN_PARALLEL": str(PARALLEL_CHECKS),
            "SANIC_PROXIES_COUNT": "1",
        },
    )
    with running(service, timeout=60):
        yield service, tmp_path / "console.db"


def ask_widget_api(url: str, stop: threading.Event, answers: list) -> None:
    while not stop.is_set():
        began = time.monotonic()
        try:
            status = requests.post(
                f"{url}/api/messages",
                json={
                    "conversation": uuid.uuid4().hex,
                    "message": "what does a crown prosecutor earn?",
                },
                timeout=30,
            ).status_code
        except requests.RequestException as error:
            status = type(error).__name__
        answers.append((status, time.monotonic() - began))
        time.sleep(0.2)


def test_a_sign_in_flood_stays_within_its_memory_and_the_widget_keeps_answering(flooded_web):
    flooded_web, database = flooded_web
    url = flooded_web.url
    requests.get(f"{url}/console/sign-in", timeout=10)  # warm
    assert requests.post(
        f"{url}/api/messages",
        json={"conversation": uuid.uuid4().hex, "message": "hello"},
        timeout=30,
    ).status_code == 200
    sampler = Sampler(flooded_web.process.pid)
    baseline = sampler.rss()
    stop, answers = threading.Event(), []
    widget = threading.Thread(target=ask_widget_api, args=(url, stop, answers))
    sampler.start()
    widget.start()
    try:
        outcome = flood(url, parallel=60, spread=True)
    finally:
        stop.set()
        widget.join()
        sampler.stopped.set()
        sampler.join()
    assert sum(outcome.values()) == 60
    assert set(outcome) <= {401, 503}, outcome  # wrong, or "try again shortly": never a crash
    assert outcome[401] >= PARALLEL_CHECKS  # the checks that had a slot ran
    growth = sampler.peak_rss - baseline
    assert growth < BOUND, f"the web app grew by {growth / MIB:.0f} MiB during the flood"
    assert answers and all(status == 200 for status, _ in answers), answers
    with sqlite3.connect(database) as connection:  # every refusal is in the audit trail
        audited = dict(
            connection.execute(
                "SELECT action, count(*) FROM console_audit GROUP BY action"
            ).fetchall()
        )
    assert audited.get("sign-in-failed", 0) == outcome[401]
    assert audited.get("sign-in-throttled", 0) == outcome[503]
    assert max(seconds for _, seconds in answers) < 15, answers
