"""Data protection in the conversation log: sensitive conversations, their shorter retention,
erasure that leaves nothing in the SQLite files, private files, redacting stored data again
when the rules change, and tags from a fixed list. On SQLite and PostgreSQL where it applies."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import stat
import time
import uuid

import pytest
import sqlalchemy as sa
from seed import DAY, Turn, save, seed_conversations, store_for

from bot.storage import database as db
from bot.storage.files import private_sqlite_file
from bot.storage.redact_stored import (
    STATE_KEY,
    redact_stored,
    redact_stored_if_rules_changed,
    rules_fingerprint,
)
from bot.storage.retention import (
    erase_conversation,
    purge_expired,
    sensitive_retention_days,
)
from web.console import queries
from web.console.conversations import refresh_summaries

DISCLOSURE = Turn("I have MS, can I get adjustments at interview?", "reasonable-adjustments")
QUESTION = Turn("do you support disabled staff with adjustments?", "reasonable-adjustments")
UNANSWERED = Turn("I have MS, is there parking for blue badge holders", "fallback", confidence=0.3)


def ids_of(connection, **args) -> list[str]:
    page = queries.conversation_page(connection, queries.Filters.parse(args))
    return [row["sender_id"] for row in page.rows]


def new_id(prefix: str) -> str:
    return prefix + uuid.uuid4().hex[: 32 - len(prefix)]


def audit(engine) -> list[dict]:
    with engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(sa.select(db.audit))]


# ---- Sensitive conversations -------------------------------------------------------------


def test_sensitive_conversations_are_marked_and_kept_out_of_search_export_and_unanswered(
    database,
):
    store = database.store()
    disclosed, asked = new_id("5e"), new_id("a5")
    save(store, disclosed, [DISCLOSURE, UNANSWERED])
    save(store, asked, [QUESTION])
    with database.engine.begin() as connection:
        refresh_summaries(connection)
        rows = {r.sender_id: r for r in connection.execute(sa.select(db.summaries))}
        assert rows[disclosed].sensitive is True
        assert rows[disclosed].sensitive_categories == "health"
        assert rows[asked].sensitive is False and rows[asked].sensitive_categories is None
        # Listed (and marked) when browsing...
        assert set(ids_of(connection)) == {disclosed, asked}
        # ...but a text search finds only the careers question unless asked to include them.
        assert ids_of(connection, q="adjustments") == [asked]
        assert set(ids_of(connection, q="adjustments", include_sensitive="1")) == {
            disclosed,
            asked,
        }
        exported = queries.export_rows(connection, queries.Filters())
        assert [row["sender_id"] for row in exported] == [asked]
        everything = queries.export_rows(connection, queries.Filters(include_sensitive=True))
        assert {row["sender_id"] for row in everything} == {disclosed, asked}
        today = time.gmtime()
        day = queries.date(today.tm_year, today.tm_mon, today.tm_mday)
        unanswered = queries.insights(connection, day, day)["unanswered"]
        assert "blue badge" not in json.dumps(unanswered)


def test_filters_keep_the_include_choice_in_links_and_audit_detail():
    filters = queries.Filters.parse({"q": "MS", "include_sensitive": "1"})
    assert filters.include_sensitive
    assert filters.query_args()["include_sensitive"] == "1"
    assert filters.audit_detail() == {"include_sensitive": "1", "search": True}
    assert not queries.Filters.parse({}).include_sensitive


def test_sensitive_conversations_are_deleted_after_the_shorter_retention(database):
    store, now = database.store(), time.time()
    old_sensitive, old_plain, new_sensitive = new_id("01d5"), new_id("01d0"), new_id("0e75")
    save(store, old_sensitive, [DISCLOSURE], start=now - 40 * DAY)
    save(store, old_plain, [QUESTION], start=now - 40 * DAY)
    save(store, new_sensitive, [DISCLOSURE], start=now - 10 * DAY)
    assert purge_expired(database.engine, days=90, sensitive_days=30) == 1
    with database.engine.connect() as connection:
        left = {r[0] for r in connection.execute(sa.select(db.events.c.sender_id).distinct())}
    assert left == {old_plain, new_sensitive}
    (purge,) = [r for r in audit(database.engine) if r["action"] == "retention-purge"]
    detail = json.loads(purge["detail"])
    assert detail["sensitive_conversations"] == 1 and detail["sensitive_days"] == 30
    assert "MS" not in purge["detail"]


def test_sensitive_retention_setting():
    assert sensitive_retention_days({}) == 30
    assert sensitive_retention_days({"RETENTION_DAYS": "14"}) == 14  # never longer
    assert sensitive_retention_days({"SENSITIVE_RETENTION_DAYS": "7"}) == 7
    with pytest.raises(ValueError, match="not be more than RETENTION_DAYS"):
        sensitive_retention_days({"RETENTION_DAYS": "20", "SENSITIVE_RETENTION_DAYS": "21"})
    with pytest.raises(ValueError, match="at least 1"):
        sensitive_retention_days({"SENSITIVE_RETENTION_DAYS": "0"})
    with pytest.raises(ValueError, match="whole number"):
        sensitive_retention_days({"SENSITIVE_RETENTION_DAYS": "a month"})


# ---- Erasure leaves nothing in the SQLite files ---------------------------------------------


def _file_bytes(path) -> bytes:
    return b"".join(
        open(name, "rb").read()
        for name in (path, f"{path}-wal", f"{path}-shm")
        if os.path.exists(name)
    )


def test_erasure_leaves_no_copy_in_the_sqlite_files(tmp_path):
    path = tmp_path / "tracker.db"
    engine = db.make_engine(f"sqlite:///{path}")
    # Another process (Rasa) has the file open throughout, so SQLite keeps the WAL file,
    # with the pages as they were written, instead of removing it at the last close.
    other_process = sqlite3.connect(path)
    other_process.execute("SELECT count(*) FROM events").fetchone()
    marker = "quokkamarmalade" + uuid.uuid4().hex[:8]
    erased = new_id("e7")
    save(store_for(path), erased, [Turn(f"what is a {marker} in the CPS?", "fallback")])
    seed_conversations(store_for(path))
    with engine.begin() as connection:
        assert ids_of(connection, q=marker) == [erased]  # also in the search index now
    assert marker.encode() in _file_bytes(path)  # the check below can fail
    erase_conversation(engine, erased, "admin@cps.example")
    assert marker.encode() not in _file_bytes(path)
    assert os.path.getsize(f"{path}-wal") == 0  # emptied by the checkpoint
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    other_process.close()
    engine.dispose()


# ---- Private files ------------------------------------------------------------------------


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_tracker_store_and_console_create_private_files(tmp_path):
    store_path = tmp_path / "var" / "tracker.db"
    store_for(store_path)
    assert _mode(store_path.parent) == 0o700 and _mode(store_path) == 0o600
    console_path = tmp_path / "console" / "log.db"
    engine = db.make_engine(f"sqlite:///{console_path}")
    with engine.begin() as connection:  # WAL and shared-memory files made as it writes
        connection.execute(db.state.insert().values(key="k", value="v"))
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(f"{console_path}{suffix}"):
                assert _mode(f"{console_path}{suffix}") == 0o600, suffix
    assert _mode(console_path.parent) == 0o700
    engine.dispose()


def test_an_existing_world_readable_log_is_made_private(tmp_path, caplog):
    own = tmp_path / "var"
    own.mkdir(mode=0o755)
    os.chmod(own, 0o755)  # noqa: S103 - the world-readable folder being tested
    old = own / "tracker.db"
    old.write_bytes(b"")
    os.chmod(old, 0o644)
    private_sqlite_file(old, own_folders=(own,))
    assert _mode(own) == 0o700 and _mode(old) == 0o600
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o755)  # noqa: S103 - a shared folder, as /tmp would be
    with caplog.at_level(logging.WARNING):
        private_sqlite_file(shared / "tracker.db")
    assert _mode(shared) == 0o755, "a folder that is not ours is left as it is"
    assert _mode(shared / "tracker.db") == 0o600
    assert "other users" in caplog.text


# ---- Redacting again what is stored ----------------------------------------------------------


def test_stored_conversations_are_redacted_again_when_the_rules_change(database):
    ids = seed_conversations(database.store())
    raw = "my case is 01AB1234567 and I was the victim"
    event = {"event": "user", "timestamp": time.time(), "text": raw, "parse_data": {"text": raw}}
    with database.engine.begin() as connection:
        refresh_summaries(connection)
        # As an older redaction left them: the URN as typed, in the event, the search copy,
        # a note and a free-text tag.
        connection.execute(
            db.events.insert().values(
                sender_id=ids["parking"],
                type_name="user",
                timestamp=event["timestamp"],
                data=json.dumps(event),
            )
        )
        connection.execute(
            db.messages.insert().values(
                event_id=10**9, sender_id=ids["parking"], at=time.time(), text=raw, fallback=True
            )
        )
        connection.execute(
            db.reviews.insert().values(sender_id=ids["parking"], reviewed=False, note=raw)
        )
        connection.execute(db.tags.insert().values(sender_id=ids["parking"], tag="01ab1234567"))
        connection.execute(db.tags.insert().values(sender_id=ids["parking"], tag="content gap"))
    counts = redact_stored_if_rules_changed(database.engine)
    assert counts == {"events": 1, "messages": 1, "notes": 1, "tags": 1}
    with database.engine.begin() as connection:
        everything = json.dumps(
            [
                [list(map(str, row)) for row in connection.execute(sa.select(table))]
                for table in (db.events, db.messages, db.reviews, db.tags)
            ]
        )
        assert "1234567" not in everything and "[case reference]" in everything
        assert "content gap" in everything
        fingerprint = connection.execute(
            sa.select(db.state.c.value).where(db.state.c.key == STATE_KEY)
        ).scalar()
        assert fingerprint == rules_fingerprint()
        # The summaries are made again: the case reference makes it a sensitive conversation.
        refresh_summaries(connection)
        sensitive = connection.execute(
            sa.select(db.summaries.c.sensitive).where(db.summaries.c.sender_id == ids["parking"])
        ).scalar()
        assert sensitive is True
        assert ids_of(connection, q="case reference") == []
    assert redact_stored_if_rules_changed(database.engine) is None  # the rules have not changed
    assert redact_stored(database.engine) == {"events": 0, "messages": 0, "notes": 0, "tags": 0}
    actions = [r["action"] for r in audit(database.engine)]
    assert actions.count("redact-stored") == 2
    assert "1234567" not in json.dumps(audit(database.engine))


# ---- Tags -----------------------------------------------------------------------------------


def test_tags_come_from_a_fixed_list():
    assert queries.normalise_tag("  Content   GAP ") == "content gap"
    for tag in queries.TAGS:
        assert queries.normalise_tag(tag) == tag
    for made_up in ("call back jane", "01ab1234567", "<script>", ""):
        with pytest.raises(queries.BadFilter, match="from the list"):
            queries.normalise_tag(made_up)
