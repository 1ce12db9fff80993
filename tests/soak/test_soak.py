"""`make soak`: hundreds of conversations at once on the production profile, with restarts.

Not part of `make test` (marker `soak`): it takes minutes and all of the machine.
Settings come from the environment (soak_load.SoakSettings, docs/soak.md); the result is
printed and written into docs/soak.md.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from postgres_schemas import fresh_schema, pg_url
from service_accounts import production_credentials
from soak_check import check_run
from soak_load import SoakSettings, soak
from soak_report import markdown, write_result

from bench.conversations import Pools
from bot.evaluation.heldout import load_questions
from bot.ops.stack import Stack, build_stack

pytestmark = pytest.mark.soak

RASA_INSTANCES = 2


@pytest.fixture(scope="module")
def settings() -> SoakSettings:
    return SoakSettings.from_env()


@pytest.fixture(scope="module")
def stack(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The production profile in a schema and Redis key prefix of its own, removed afterwards,
    with a PostgreSQL role and a Redis user of its own (the profile needs passwords).

    PostgreSQL and Redis are the machine's (CONSOLE_TEST_PG_URL, tests/postgres_schemas.py;
    Redis at 127.0.0.1:6379). Worker counts: RASA_WORKERS, ACTION_WORKERS (2).
    """
    with fresh_schema("soak") as schema, production_credentials(schema) as credentials:
        database = sa.engine.make_url(pg_url()).database
        env = {
            "PROFILE": "production",
            "POSTGRES_DB": os.environ.get("POSTGRES_DB") or database,
            "POSTGRES_SCHEMA": schema,
            "REDIS_KEY_PREFIX": schema.replace("_", ""),
            **credentials,
        }
        state = tmp_path_factory.mktemp("soak")
        stack = build_stack(
            trained_model, state_dir=state, rasa_instances=RASA_INSTANCES, env=env, free_ports=True
        )
        print(f"\nLogs of the soak's services: {state}")
        stack.start(timeout=600)
        try:
            yield stack
        finally:
            stack.stop()


def stored_events(stack: Stack) -> dict[str, list[dict]]:
    """Every event in the soak's schema, by conversation, in the order Rasa stored them."""
    postgres = stack.profile.postgres
    engine = sa.create_engine(
        postgres.url(), connect_args={"options": f"-csearch_path={postgres.schema}"}
    )
    events: dict[str, list[dict]] = defaultdict(list)
    with engine.connect() as connection:
        for sender, data in connection.execute(
            sa.text("SELECT sender_id, data FROM events ORDER BY id")
        ):
            events[sender].append(json.loads(data))
    engine.dispose()
    return events


def test_no_message_is_lost_under_load_while_components_restart(
    stack: Stack, settings: SoakSettings
) -> None:
    pools = Pools.from_questions(load_questions())
    run = asyncio.run(soak(stack.rasas, stack.actions, pools, settings))
    findings = check_run(run, stored_events(stack))
    record = stack.actions.log_path.with_name("soak-run.json")  # beside the services' logs
    record.write_text(json.dumps(dataclasses.asdict(run), default=str), encoding="utf-8")
    print(f"\nEvery turn of the run, with its timing: {record}")
    workers = {"rasa": stack.profile.rasa_workers, "actions": stack.profile.action_workers}
    result = markdown(run, findings, settings, workers)
    print(f"\n{result}")
    write_result(settings.report, result)

    assert not findings.problems, "\n".join(findings.problems[:20])
    assert [restart.back_at is not None for restart in run.restarts] == [True, True]
    assert findings.user_events > 0
