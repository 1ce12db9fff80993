"""One database for the conversation log and the console's own tables.

The log is Rasa's ``events`` table, written by
:class:`bot.storage.tracker_store.RedactingSQLTrackerStore`. The console keeps
accounts, sessions, tags, notes, reviewed marks, a per-conversation summary
(no message text) and the audit trail in tables prefixed ``console_`` in the
same database, through SQLAlchemy 1.4 Core with a synchronous engine. The
web app calls it from a thread (``run_in_executor``), never on the event loop.

Where the database is (first match wins):

* ``CONVERSATIONS_DB_URL``: an SQLAlchemy URL, e.g.
  ``postgresql://postgres@127.0.0.1:5432/careers`` (the production profile);
  ``CONVERSATIONS_DB_SCHEMA`` sets the PostgreSQL schema (search_path);
* ``TRACKER_DB``: the SQLite file Rasa writes (``make run``'s default,
  ``var/tracker.db``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot.ops import PROJECT_ROOT

DEFAULT_SQLITE = PROJECT_ROOT / "var" / "tracker.db"

metadata = sa.MetaData()

# Rasa's own table, as SQLTrackerStore.SQLEvent declares it (read and deleted here, never
# written: Rasa writes it). Declared again so queries need not import Rasa.
events = sa.Table(
    "events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("type_name", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)

accounts = sa.Table(
    "console_accounts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("email", sa.String(320), nullable=False, unique=True),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
)

sessions = sa.Table(
    "console_sessions",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("account_id", sa.Integer, sa.ForeignKey("console_accounts.id", ondelete="CASCADE")),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("expires_at", sa.Float, nullable=False),
)

# One row per conversation, derived from `events` (no message text): what the list
# filters and sorts on, so it stays fast on 100,000 conversations.
summaries = sa.Table(
    "console_summaries",
    metadata,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("started_at", sa.Float, index=True),
    sa.Column("last_at", sa.Float, index=True),
    sa.Column("user_messages", sa.Integer, nullable=False, default=0),
    sa.Column("fallbacks", sa.Integer, nullable=False, default=0),
    sa.Column("feedback_up", sa.Integer, nullable=False, default=0),
    sa.Column("feedback_down", sa.Integer, nullable=False, default=0),
    sa.Column("channel", sa.String(64)),
    sa.Column("topics", sa.Text, nullable=False, default=""),  # space-separated topic ids
)

summary_topics = sa.Table(
    "console_summary_topics",
    metadata,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("topic", sa.String(100), primary_key=True, index=True),
)

tags = sa.Table(
    "console_tags",
    metadata,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("tag", sa.String(50), primary_key=True, index=True),
)

reviews = sa.Table(
    "console_reviews",
    metadata,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("reviewed", sa.Boolean, nullable=False, default=False),
    sa.Column("note", sa.Text, nullable=False, default=""),
    sa.Column("updated_by", sa.String(320)),
    sa.Column("updated_at", sa.Float),
)

# The audit trail holds who did what to which conversation, and counts; never message text.
audit = sa.Table(
    "console_audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", sa.Float, nullable=False, index=True),
    sa.Column("actor", sa.String(320), nullable=False),
    sa.Column("action", sa.String(50), nullable=False),
    sa.Column("conversation_id", sa.String(255)),
    sa.Column("detail", sa.Text, nullable=False, default="{}"),
)

state = sa.Table(
    "console_state",
    metadata,
    sa.Column("key", sa.String(50), primary_key=True),
    sa.Column("value", sa.String(255), nullable=False),
)

CONSOLE_TABLES = [accounts, sessions, summaries, summary_topics, tags, reviews, audit, state]


def database_url(env: Mapping[str, str] | None = None) -> str:
    env = os.environ if env is None else env
    url = env.get("CONVERSATIONS_DB_URL")
    if url:
        return url
    return f"sqlite:///{env.get('TRACKER_DB') or DEFAULT_SQLITE}"


def make_engine(url: str | None = None, schema: str | None = None) -> Engine:
    """A synchronous engine; the console's tables are created if missing."""
    url = url or database_url()
    schema = schema if schema is not None else os.environ.get("CONVERSATIONS_DB_SCHEMA")
    kwargs: dict = {"future": True}
    if url.startswith("sqlite:///"):
        # A fresh checkout has no var/ yet: create the folder, as Rasa does for its own file.
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    if url.startswith("sqlite"):
        # Rasa writes the same file from another process: wait for its lock, do not fail.
        kwargs["connect_args"] = {"timeout": 15, "check_same_thread": False}
    elif schema:
        kwargs["connect_args"] = {"options": f"-csearch_path={schema}"}
    engine = sa.create_engine(url, **kwargs)
    if url.startswith("sqlite"):

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(connection, _record) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            # Readers (the console) and Rasa's writes then do not block each other.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

    ensure_tables(engine)
    return engine


def ensure_tables(engine: Engine) -> None:
    """Create the console's tables, and `events` too if Rasa has not yet run."""
    metadata.create_all(engine, tables=[events, *CONSOLE_TABLES], checkfirst=True)
