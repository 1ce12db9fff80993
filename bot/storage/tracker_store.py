"""Rasa's SQL tracker store, with what visitors typed redacted before it is written.

Configured in endpoints.yml::

    tracker_store:
      type: bot.storage.tracker_store.RedactingSQLTrackerStore
      dialect: sqlite
      db: ${TRACKER_DB}

``save`` is SQLTrackerStore.save (rasa 3.6.21, rasa/core/tracker_store.py) with
one change: each new event is serialised with ``event.as_dict()`` (a fresh
dict, so the live tracker is untouched) and that dict is redacted with
:func:`bot.privacy.redact` before ``json.dumps``. The rows are the same; they are
written with one multi-row INSERT instead of one ORM object (and, on PostgreSQL,
one round trip) each, and Rasa's check that a configured PostgreSQL schema exists
runs once, when the store starts, instead of before every read and write
(``session_scope``): together 30% of the store's time per message
(docs/performance.md). The turn in progress keeps the
raw text (the actions already saw it); the next turn loads the redacted events
back, which only ever changes text, never intents, actions or slot names.

What is redacted is said in ``bot.storage.event_redaction``.

Events streamed to an event broker, if one is configured, are redacted the same
way (``_stream_new_events``), so a broker is never a way around the redaction.

Between turns each conversation's tracker is kept in the Rasa process
(``bot.storage.tracker_cache``): a turn starts from it after one cheap query shows the
store unchanged, instead of reading and replaying the whole session, so a turn costs the
same at the hundredth message as at the first.

Every Rasa server builds this store as it starts, so it is also where the two other
protections of the Rasa process are put in place: an SQLite file private to this user
(``bot.storage.files``), and Rasa's log events with the visitor's words withheld
(``bot.privacy.log_filter``), whatever the log level.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.privacy.log_filter import keep_visitor_text_out_of_logs
from bot.storage.database import DEFAULT_SQLITE, ensure_event_indexes
from bot.storage.event_redaction import redact_event
from bot.storage.files import private_sqlite_file
from bot.storage.tracker_cache import Stamp, TrackerCache, cache_size, read_stamp

logger = logging.getLogger(__name__)


class RedactingSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore that never writes what a visitor typed without redacting it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        keep_visitor_text_out_of_logs()
        if kwargs.get("dialect") == "sqlite" and kwargs.get("db"):
            private_sqlite_file(kwargs["db"], own_folders=(DEFAULT_SQLITE.parent,))
        super().__init__(*args, **kwargs)
        # Rasa's session scope, which exits with a clear message if a configured PostgreSQL
        # schema is missing: once here, instead of a query before every read and write.
        with super().session_scope():
            pass
        with self.engine.begin() as connection:
            ensure_event_indexes(connection)
        self.cache = TrackerCache(cache_size())

    @contextlib.contextmanager
    def session_scope(self) -> Iterator[Any]:
        session = self.sessionmaker()
        try:
            yield session
        finally:
            session.close()

    async def _stream_new_events(
        self, event_broker: EventBroker, new_events: list[Event], sender_id: str
    ) -> None:
        # TrackerStore._stream_new_events (rasa 3.6.21) with the body redacted.
        for event in new_events:
            event_broker.publish({"sender_id": sender_id, **redact_event(event.as_dict())})

    @property
    def _events_table(self) -> sa.Table:
        return self.SQLEvent.__table__

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The kept tracker if the store holds what it held after the last turn, else
        Rasa's read of the session (kept for the next turn)."""
        if self.cache.size <= 0:
            return await super().retrieve(sender_id)
        # The stamp is read before the events: a row written in between makes the next
        # turn's stamp differ, so it is read again, never missed.
        with self.session_scope() as session:
            stamp = self._stamp(session, sender_id)
        kept = self.cache.get(sender_id, stamp, self.domain)
        if kept is not None:
            return kept
        tracker = await super().retrieve(sender_id)
        if tracker is None:
            self.cache.drop(sender_id)
            return None
        return self.cache.keep(tracker, stamp, self.domain)

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)

        caching = self.cache.size > 0
        with self.session_scope() as session:
            before = self._stamp(session, tracker.sender_id) if caching else None
            new = self._new(session, tracker, before)
            rows = [self._row(tracker.sender_id, event) for event in new]
            if rows:
                session.execute(sa.insert(self._events_table), rows)
            after = self._stamp(session, tracker.sender_id) if caching else None
            session.commit()
        if caching:
            self.cache.written(tracker.sender_id, before, after, rows)
        logger.debug("Tracker with sender_id '%s' stored to database", tracker.sender_id)

    def _stamp(self, session: Any, sender_id: str) -> Stamp:
        return read_stamp(session, self._events_table, sender_id)

    def _new(
        self, session: Any, tracker: DialogueStateTracker, before: Stamp | None
    ) -> Iterator[Event]:
        """The events not yet stored: after those the kept tracker held, if ``tracker`` was
        copied from it and the store is unchanged; else Rasa's count of the session's rows."""
        known = self.cache.kept_origin(tracker, before) if before is not None else None
        if known is None:
            return self._additional_events(session, tracker)
        return itertools.islice(tracker.events, known, None)

    @staticmethod
    def _row(sender_id: str, event: Event) -> dict[str, Any]:
        """The columns SQLTrackerStore.save writes for an event, from the redacted event."""
        data = redact_event(event.as_dict())
        intent = (data.get("parse_data") or {}).get("intent", {}) or {}
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": intent.get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }
