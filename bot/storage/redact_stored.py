"""Redact again what is already stored, when the redaction rules have changed.

The tracker store redacts each event as it is written, with the rules of that day. When a
detector is added (case references, say), conversations written before still hold what it
now finds. :func:`redact_stored` applies today's rules to everything that can hold visitor
text: Rasa's ``user`` and ``slot`` events (``bot.storage.event_redaction``), the console's
search copy of typed messages, reviewers' notes and tags (a tag that held personal details
is removed). It also marks every summary for working out again, so that conversations are
marked sensitive under today's lexicon.

:func:`redact_stored_if_rules_changed` does it only when a fingerprint of the redaction
code differs from the one recorded in ``console_state``; the retention run (daily, and
``make purge``) calls it first. ``python -m bot.storage.redact_stored`` (``make redact-stored``)
runs it now. Each run is audited with counts, never text. An event broker's consumers
received what was sent at the time: a broker is outside this database.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from bot.privacy import redact
from bot.storage import database as db
from bot.storage.event_redaction import redact_event

BATCH = 1000
STATE_KEY = "redaction_fingerprint"
ACTOR = "system:redaction"
PRIVACY_CODE = Path(__file__).resolve().parents[1] / "privacy"


def rules_fingerprint() -> str:
    """A hash of the redaction and special-category code: it changes when the rules do."""
    digest = hashlib.sha256()
    for path in sorted(PRIVACY_CODE.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:32]


def _events(engine: Engine, counts: dict[str, int]) -> None:
    """In batches of BATCH rows, one transaction each: Rasa's writes wait for one batch."""
    events = db.events.c
    after = 0
    while True:
        with engine.begin() as connection:
            rows = connection.execute(
                sa.select(events.id, events.data)
                .where(events.id > after, events.type_name.in_(["user", "slot"]))
                .order_by(events.id)
                .limit(BATCH)
            ).all()
            for event_id, data in rows:
                cleaned = _redacted_json(data)
                if cleaned is not None:
                    connection.execute(
                        db.events.update().where(events.id == event_id).values(data=cleaned)
                    )
                    counts["events"] += 1
        if not rows:
            return
        after = rows[-1][0]


def _redacted_json(data: str | None) -> str | None:
    """The event's JSON redacted again, or None if nothing changed."""
    try:
        event: Any = json.loads(data or "{}")
    except ValueError:
        return None
    if not isinstance(event, dict):
        return None
    before = json.dumps(event)
    after = json.dumps(redact_event(event))
    return after if after != before else None


def _messages(engine: Engine, counts: dict[str, int]) -> None:
    """The console's search copy: deleted and inserted again, so its index follows."""
    messages = db.messages.c
    after = -1
    while True:
        with engine.begin() as connection:
            rows = connection.execute(
                sa.select(db.messages)
                .where(messages.event_id > after)
                .order_by(messages.event_id)
                .limit(BATCH)
            ).all()
            for row in rows:
                cleaned = redact(row.text).text
                if cleaned != row.text:
                    connection.execute(
                        db.messages.delete().where(messages.event_id == row.event_id)
                    )
                    connection.execute(
                        db.messages.insert().values({**row._mapping, "text": cleaned})
                    )
                    counts["messages"] += 1
        if not rows:
            return
        after = rows[-1].event_id


def _notes_and_tags(connection: Connection, counts: dict[str, int]) -> None:
    reviews, tags = db.reviews.c, db.tags.c
    for sender_id, note in connection.execute(sa.select(reviews.sender_id, reviews.note)).all():
        cleaned = redact(note or "").text
        if cleaned != (note or ""):
            connection.execute(
                db.reviews.update().where(reviews.sender_id == sender_id).values(note=cleaned)
            )
            counts["notes"] += 1
    for sender_id, tag in connection.execute(sa.select(tags.sender_id, tags.tag)).all():
        if redact(tag).changed:
            connection.execute(db.tags.delete().where(tags.sender_id == sender_id, tags.tag == tag))
            counts["tags"] += 1


def redact_stored(engine: Engine) -> dict[str, int]:
    """Apply today's redaction to everything stored; return what changed, by table.

    Events and search copies go in batches, a transaction each; the fingerprint is
    recorded last, so a run that stops part way is done again, whole, next time.
    """
    counts = {"events": 0, "messages": 0, "notes": 0, "tags": 0}
    _events(engine, counts)
    _messages(engine, counts)
    with engine.begin() as connection:
        _notes_and_tags(connection, counts)
        # Every summary is worked out again on the console's next page: sensitive or not
        # under today's lexicon.
        connection.execute(db.summaries.update().values(sensitive=None))
        connection.execute(db.state.delete().where(db.state.c.key == db.SUMMARIES_STATE_KEY))
        _set_fingerprint(connection, rules_fingerprint())
        connection.execute(
            db.audit.insert().values(
                at=time.time(),
                actor=ACTOR,
                action="redact-stored",
                detail=json.dumps(counts, sort_keys=True),
            )
        )
    if any(counts.values()):
        db.after_erasing(engine)  # the old text must not stay in free pages or the WAL
    return counts


def _set_fingerprint(connection: Connection, fingerprint: str) -> None:
    state = db.state.c
    changed = connection.execute(
        db.state.update().where(state.key == STATE_KEY).values(value=fingerprint)
    ).rowcount
    if not changed:
        connection.execute(db.state.insert().values(key=STATE_KEY, value=fingerprint))


def redact_stored_if_rules_changed(engine: Engine) -> dict[str, int] | None:
    """:func:`redact_stored` if the rules changed since the last run; else None."""
    with engine.connect() as connection:
        recorded = connection.execute(
            sa.select(db.state.c.value).where(db.state.c.key == STATE_KEY)
        ).scalar()
    if recorded == rules_fingerprint():
        return None
    return redact_stored(engine)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.storage.redact_stored", description=__doc__
    )
    parser.parse_args(argv)
    engine = db.make_engine()
    try:
        counts = redact_stored(engine)
    finally:
        engine.dispose()
    print("Redacted again: " + ", ".join(f"{n} {table}" for table, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
