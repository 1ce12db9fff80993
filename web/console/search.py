"""Text search over what visitors typed: the conversations with a message containing it.

Matches are substrings, in any case, of the typed messages kept in
``console_messages`` (already redacted; buttons, ratings and the widget's greeting
are not there). The database's trigram index answers when it can
(:func:`bot.storage.database.ensure_search_index`):

* SQLite: an FTS5 phrase query on the ``trigram`` table, for three characters or more;
* PostgreSQL: ``lower(text) LIKE lower(pattern)``, which ``pg_trgm``'s GIN index on
  ``lower(text)`` serves for three or more (and which scans faster than ``ILIKE``);
* otherwise, and for one or two characters: a scan of ``console_messages``.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.sql import Select

from bot.storage import database as db

TRIGRAM = 3  # the shortest text a trigram index can look up
_FTS = sa.table(db.SEARCH_TABLE, sa.column("rowid"))


def like_pattern(text: str) -> str:
    """``%text%`` with LIKE's own characters taken literally (escape character ``\\``)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def fts_phrase(text: str) -> str:
    """An FTS5 phrase: the whole text, quotes doubled, so no query syntax applies."""
    return '"' + text.replace('"', '""') + '"'


def _has_index(connection: Connection) -> bool:
    # Asked once per pooled database connection: the index is made at start-up.
    info = connection.connection.info
    if "console_search_index" not in info:
        info["console_search_index"] = db.has_search_index(connection)
    return info["console_search_index"]


def conversations_with(connection: Connection, text: str) -> Select:
    """A query for the ids of conversations in which a visitor typed ``text``."""
    messages = db.messages.c
    if connection.dialect.name == "sqlite" and len(text) >= TRIGRAM and _has_index(connection):
        matching = sa.select(_FTS.c.rowid).where(
            sa.literal_column(db.SEARCH_TABLE).op("MATCH")(fts_phrase(text))
        )
        return sa.select(messages.sender_id).where(messages.event_id.in_(matching))
    pattern = like_pattern(text)
    if connection.dialect.name == "sqlite":
        # SQLite's LIKE already ignores case (ASCII); ILIKE's lower() on every row costs more.
        return sa.select(messages.sender_id).where(messages.text.like(pattern, escape="\\"))
    lowered = sa.func.lower(sa.literal(pattern, sa.Text))
    return sa.select(messages.sender_id).where(
        sa.func.lower(messages.text).like(lowered, escape="\\")
    )
