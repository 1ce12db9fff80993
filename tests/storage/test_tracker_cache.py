"""The kept tracker is the tracker the store reads back, turn after turn, and is never stale.

Each test writes conversations through the project's tracker store on SQLite and compares
the tracker it hands out (the kept one, after its one-query check) with the tracker Rasa's
own SQLTrackerStore reads from the same rows. PostgreSQL and two Rasa instances:
tests/production/test_tracker_cache_postgres.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from stored_conversations import DOMAIN, PERSONAL, TURNS, clock, question, state, take_turn, turns

from bot.storage import tracker_cache
from bot.storage.tracker_cache import cache_size
from bot.storage.tracker_store import RedactingSQLTrackerStore


class CountingStore(RedactingSQLTrackerStore):
    """Counts the times the session is read from the store (a kept tracker was not used)."""

    reads = 0

    async def _retrieve(self, sender_id, fetch_events_from_all_sessions):
        self.reads += 1
        return await super()._retrieve(sender_id, fetch_events_from_all_sessions)


def store(path: Path, monkeypatch, size: int = 1000) -> CountingStore:
    monkeypatch.setenv("TRACKER_CACHE_CONVERSATIONS", str(size))
    return CountingStore(dialect="sqlite", db=str(path), domain=DOMAIN)


def rasas_read(path: Path) -> SQLTrackerStore:
    return SQLTrackerStore(dialect="sqlite", db=str(path), domain=DOMAIN)


async def test_every_turn_starts_from_what_rasa_reads_back(tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "tracker.db"
    ours, rasa = store(db, monkeypatch), rasas_read(db)
    now = clock()
    for number, turn in enumerate(turns(3 * len(TURNS))):
        await take_turn(ours, "visitor", turn, now)
        reads = ours.reads
        kept = await ours.retrieve("visitor")
        assert state(kept) == state(await rasa.retrieve("visitor")), f"after turn {number}"
        if turn not in (TURNS[0], TURNS[9]):  # a session start is read afresh
            assert ours.reads == reads, f"turn {number} was read from the store"


async def test_what_the_visitor_typed_is_kept_redacted(tmp_path: Path, monkeypatch) -> None:
    ours = store(tmp_path / "tracker.db", monkeypatch)
    now = clock()
    for turn in (TURNS[0], question(), PERSONAL):
        await take_turn(ours, "visitor", turn, now)
    kept = await ours.retrieve("visitor")
    assert "jo.bloggs@example.com" not in str(state(kept))
    assert kept.latest_message.text != PERSONAL(clock())[0].text


async def test_a_write_by_another_instance_is_seen(tmp_path: Path, monkeypatch) -> None:
    """Two Rasa processes on one database, turns alternating between them."""
    db = tmp_path / "tracker.db"
    first, second, rasa = store(db, monkeypatch), store(db, monkeypatch), rasas_read(db)
    now = clock()
    for number, turn in enumerate(turns(2 * len(TURNS))):
        instance = (first, second)[number % 2]
        await take_turn(instance, "visitor", turn, now)
        for either in (first, second):
            assert state(await either.retrieve("visitor")) == state(
                await rasa.retrieve("visitor")
            ), f"after turn {number}"
    with rasa.engine.connect() as connection:
        stored = connection.execute(sa.text("SELECT count(*) FROM events")).scalar()
    assert stored == sum(len(turn(clock())) for turn in turns(2 * len(TURNS)))  # none twice


async def test_a_deleted_conversation_is_not_brought_back(tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "tracker.db"
    ours = store(db, monkeypatch)
    now = clock()
    for turn in TURNS[:3]:
        await take_turn(ours, "visitor", turn, now)
    with ours.engine.begin() as connection:  # as retention or an erasure request does
        connection.execute(sa.text("DELETE FROM events WHERE sender_id = 'visitor'"))
    assert await ours.retrieve("visitor") is None
    assert "visitor" not in ours.cache


async def test_a_turn_that_was_not_written_leaves_the_kept_tracker_as_stored(
    tmp_path: Path, monkeypatch
) -> None:
    db = tmp_path / "tracker.db"
    ours, rasa = store(db, monkeypatch), rasas_read(db)
    now = clock()
    for turn in TURNS[:3]:
        await take_turn(ours, "visitor", turn, now)
    tracker = await ours.get_or_create_tracker("visitor", append_action_listen=False)
    for event in question("a turn the database refused")(now):
        tracker.update(event)
    with monkeypatch.context() as patch:
        patch.setattr(sa.orm.Session, "commit", failing_commit)
        with pytest.raises(sa.exc.OperationalError):
            await ours.save(tracker)
    reads = ours.reads
    assert state(await ours.retrieve("visitor")) == state(await rasa.retrieve("visitor"))
    assert ours.reads == reads  # the kept tracker, which is still what is stored


def failing_commit(_session) -> None:
    raise sa.exc.OperationalError("COMMIT", {}, Exception("disk I/O error"))


async def test_the_least_recently_used_conversation_is_dropped(tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "tracker.db"
    ours, rasa = store(db, monkeypatch, size=2), rasas_read(db)
    now = clock()
    for sender in ("a", "b", "c"):
        for turn in TURNS[:2]:
            await take_turn(ours, sender, turn, now)
    assert len(ours.cache) == 2 and "a" not in ours.cache
    await ours.retrieve("b")  # b is now the most recently used: c goes next
    await take_turn(ours, "a", question(), now)
    assert len(ours.cache) == 2 and "c" not in ours.cache and "b" in ours.cache
    reads = ours.reads
    for sender in ("a", "b", "c"):
        assert state(await ours.retrieve(sender)) == state(await rasa.retrieve(sender))
    assert ours.reads == reads + 1  # c only


async def test_size_zero_turns_the_cache_off(tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "tracker.db"
    ours, rasa = store(db, monkeypatch, size=0), rasas_read(db)
    now = clock()
    for turn in TURNS[:4]:
        await take_turn(ours, "visitor", turn, now)
        assert state(await ours.retrieve("visitor")) == state(await rasa.retrieve("visitor"))
    assert len(ours.cache) == 0
    assert ours.reads == 8  # every get_or_create_tracker and every retrieve read the store


async def test_a_newly_loaded_model_reads_afresh(tmp_path: Path, monkeypatch) -> None:
    """The live model is swapped in with a copy of the store and the new model's domain."""
    ours = store(tmp_path / "tracker.db", monkeypatch)
    now = clock()
    for turn in TURNS[:3]:
        await take_turn(ours, "visitor", turn, now)
    # Another Domain object, as loading a model makes.
    ours.domain = type(DOMAIN).from_dict(DOMAIN.as_dict())
    reads = ours.reads
    await ours.retrieve("visitor")
    assert ours.reads == reads + 1


def test_the_cache_size_comes_from_the_environment() -> None:
    assert cache_size({}) == tracker_cache.DEFAULT_CONVERSATIONS == 1000
    assert cache_size({"TRACKER_CACHE_CONVERSATIONS": " 50 "}) == 50
    assert cache_size({"TRACKER_CACHE_CONVERSATIONS": "0"}) == 0
    for wrong in ("-1", "lots", "1.5"):
        with pytest.raises(ValueError, match="TRACKER_CACHE_CONVERSATIONS"):
            cache_size({"TRACKER_CACHE_CONVERSATIONS": wrong})


def test_the_check_reads_one_index(tmp_path: Path, monkeypatch) -> None:
    ours = store(tmp_path / "tracker.db", monkeypatch)
    query = tracker_cache.stamp_query(ours.SQLEvent.__table__).params(sender_id="visitor")
    compiled = str(query.compile(ours.engine, compile_kwargs={"literal_binds": True}))
    with ours.engine.connect() as connection:
        plan = " ".join(
            str(row[-1]) for row in connection.execute(sa.text("EXPLAIN QUERY PLAN " + compiled))
        )
    assert "COVERING INDEX" in plan, plan
