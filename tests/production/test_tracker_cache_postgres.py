"""Kept trackers on PostgreSQL, with two Rasa instances writing the same conversations.

The same checks as tests/storage/test_tracker_cache.py, on the production profile's
database: every tracker handed out is the one Rasa's own SQLTrackerStore reads from the
rows, whichever instance wrote the last turn, and the check reads one index.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from postgres_schemas import fresh_schema, pg_store_kwargs, rasa_schema
from rasa.core.tracker_store import SQLTrackerStore
from stored_conversations import DOMAIN, TURNS, clock, state, take_turn, turns

from bot.storage import tracker_cache
from bot.storage.tracker_store import RedactingSQLTrackerStore


@pytest.fixture
def schema() -> Iterator[str]:
    with fresh_schema("cache") as name, rasa_schema(name):
        yield name


def instance() -> RedactingSQLTrackerStore:
    return RedactingSQLTrackerStore(**pg_store_kwargs(), domain=DOMAIN)


async def test_turns_alternating_between_instances_are_never_missed(schema: str) -> None:
    first, second = instance(), instance()
    rasa = SQLTrackerStore(**pg_store_kwargs(), domain=DOMAIN)
    now = clock()
    try:
        for number, turn in enumerate(turns(2 * len(TURNS))):
            for sender in ("visitor-1", "visitor-2"):
                # visitor-1 alternates between the instances, visitor-2 does not
                writer = (first, second)[number % 2 if sender == "visitor-1" else 0]
                await take_turn(writer, sender, turn, now)
                for either in (first, second):
                    assert state(await either.retrieve(sender)) == state(
                        await rasa.retrieve(sender)
                    ), f"{sender} after turn {number}"
    finally:
        for store in (first, second, rasa):
            store.engine.dispose()


def test_the_check_reads_one_index(schema: str) -> None:
    store = instance()
    query = tracker_cache.stamp_query(store.SQLEvent.__table__).params(sender_id="visitor")
    compiled = str(query.compile(store.engine, compile_kwargs={"literal_binds": True}))
    try:
        with store.engine.connect() as connection:
            connection.execute(sa.text("SET enable_seqscan = off"))  # an empty table
            plan = "\n".join(row[0] for row in connection.execute(sa.text("EXPLAIN " + compiled)))
        assert "Index Only Scan using ix_events_sender_id_id" in plan, plan
    finally:
        store.engine.dispose()
