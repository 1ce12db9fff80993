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

import logging
import os
from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from bot.ops import PROJECT_ROOT
from bot.storage.files import private_sqlite_file, sqlite_path

DEFAULT_SQLITE = PROJECT_ROOT / "var" / "tracker.db"

logger = logging.getLogger(__name__)

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
    # The tracker store's check that a kept tracker is still current (count and newest id
    # of one conversation's events, bot/storage/tracker_cache.py) reads this index alone.
    sa.Index("ix_events_sender_id_id", "sender_id", "id"),
)

accounts = sa.Table(
    "console_accounts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("email", sa.String(320), nullable=False, unique=True),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    # The second factor (web/console/second_factor.py): the authenticator's TOTP secret once
    # enrolled, and the last time step used, so a code is never accepted twice.
    sa.Column("totp_secret", sa.String(64)),
    sa.Column("totp_enrolled_at", sa.Float),
    sa.Column("totp_last_step", sa.BigInteger),
    # An administrator disabled the account: it cannot sign in and its sessions ended.
    sa.Column("disabled_at", sa.Float),
)

# Single-use recovery codes, as SHA-256 digests (each code has 80 random bits).
recovery_codes = sa.Table(
    "console_recovery_codes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "account_id",
        sa.Integer,
        sa.ForeignKey("console_accounts.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("code_hash", sa.String(64), nullable=False),
    sa.Column("used_at", sa.Float),
)

sessions = sa.Table(
    "console_sessions",
    metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("account_id", sa.Integer, sa.ForeignKey("console_accounts.id", ondelete="CASCADE")),
    sa.Column("csrf_token", sa.String(64), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("expires_at", sa.Float, nullable=False),  # absolute: CONSOLE_SESSION_HOURS
    sa.Column("last_seen_at", sa.Float),  # for the idle limit: CONSOLE_IDLE_MINUTES
    # Set once the second factor is right; until then the session can only finish signing
    # in (and a session from before second factors existed is not accepted).
    sa.Column("second_factor_at", sa.Float),
    sa.Column("enrol_secret", sa.String(64)),  # the secret offered while enrolling
    sa.Column("failed_codes", sa.Integer),  # wrong codes in this sign-in
)

# Sign-in attempts, shared by every web worker: written before the password is checked and
# removed when it is right. The key is a SHA-256 of the email address and client address,
# so the table holds no personal data in clear.
sign_in_failures = sa.Table(
    "console_sign_in_failures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("key_hash", sa.String(64), nullable=False, index=True),
    sa.Column("at", sa.Float, nullable=False, index=True),
)

# One row per conversation, derived from `events` (no message text): what the list
# filters and sorts on, so it stays fast on 100,000 conversations.
summaries = sa.Table(
    "console_summaries",
    metadata,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("started_at", sa.Float),
    sa.Column("last_at", sa.Float),
    sa.Column("user_messages", sa.Integer, nullable=False, default=0),
    sa.Column("fallbacks", sa.Integer, nullable=False, default=0),
    sa.Column("feedback_up", sa.Integer, nullable=False, default=0),
    sa.Column("feedback_down", sa.Integer, nullable=False, default=0),
    # "widget" for a conversation the chat widget opened (with its greeting), else the
    # input channel Rasa recorded ("rest", "socketio").
    sa.Column("channel", sa.String(64)),
    sa.Column("topics", sa.Text, nullable=False, default=""),  # space-separated topic ids
    sa.Column("last_event_id", sa.Integer),  # the newest event summarised
    # The visitor said something special-category or criminal-offence about themselves
    # (bot.privacy.special_category): left out of search and exports unless a recruiter
    # chooses otherwise, and kept for SENSITIVE_RETENTION_DAYS. NULL: not yet worked out.
    sa.Column("sensitive", sa.Boolean),
    sa.Column("sensitive_categories", sa.String(255)),  # space-separated category ids
    # Signs of a wrong answer (web/console/signals.py): visitor messages answered with a
    # topic below the confident threshold, and those at or above it; the visitor asked the
    # same thing again in other words; the visitor left right after an answer.
    sa.Column("low_confidence", sa.Integer),
    sa.Column("confident_answers", sa.Integer),
    sa.Column("rephrased", sa.Boolean),
    sa.Column("left_after_answer", sa.Boolean),
    # Safeguarding: the visitor described danger, a crime or distress (the checks found it,
    # or the assistant signposted); ``signposted``: the safety signposting was given.
    # NULL: not yet worked out (the summary is made again).
    sa.Column("safety", sa.Boolean),
    sa.Column("signposted", sa.Boolean),
    # The language the assistant mostly answered in: "en" or "cy" (Welsh). NULL: worked
    # out by older code (the summary is made again), and read as English.
    sa.Column("language", sa.String(8)),
    # The list's order and its keyset paging: newest first, ties by id.
    sa.Index("ix_console_summaries_last_at_sender_id", "last_at", "sender_id"),
    # The list's other orders (web/console/queries.py, SORTS).
    sa.Index("ix_console_summaries_user_messages", "user_messages", "last_at", "sender_id"),
    sa.Index("ix_console_summaries_fallbacks", "fallbacks", "last_at", "sender_id"),
    # Counting a day for the insights reads this index alone (bot/storage/daily.py).
    sa.Index(
        "ix_console_summaries_started_counts_v2",
        "started_at",
        "user_messages",
        "fallbacks",
        "feedback_up",
        "feedback_down",
        "confident_answers",
        "low_confidence",
    ),
)

# Per UTC day (days since 1970-01-01) on which conversations started: the insights'
# counts, recounted from the summaries whenever they change (bot/storage/daily.py).
daily_counts = sa.Table(
    "console_daily",
    metadata,
    sa.Column("day", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("conversations", sa.Integer, nullable=False),
    sa.Column("messages", sa.Integer, nullable=False),
    sa.Column("fallbacks", sa.Integer, nullable=False),
    sa.Column("feedback_up", sa.Integer, nullable=False),
    sa.Column("feedback_down", sa.Integer, nullable=False),
    sa.Column("confident_answers", sa.Integer),  # NULL in rows counted by older code
    sa.Column("low_confidence", sa.Integer),
)

daily_topic_counts = sa.Table(
    "console_daily_topics",
    metadata,
    sa.Column("day", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("topic", sa.String(100), primary_key=True),
    sa.Column("conversations", sa.Integer, nullable=False),
)

# What visitors typed (already redacted by the tracker store), one row per message, for
# text search and the unanswered questions; kept with the summaries, deleted with them.
# The search index over `text` is made per database by `ensure_search_index`.
messages = sa.Table(
    "console_messages",
    metadata,
    sa.Column("event_id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("at", sa.Float),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("fallback", sa.Boolean, nullable=False, default=False),
    sa.Column("noise", sa.Boolean),  # the assistant's checks found no words (keyboard mash)
    sa.Index("ix_console_messages_fallback_at", "fallback", "at"),
)

summary_topics = sa.Table(
    "console_summary_topics",
    metadata,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("topic", sa.String(100), primary_key=True, index=True),
)

# Ratings, one per rated answer: a visitor who changes their mind replaces their rating
# (the last one wins). Kept with the summaries, deleted with them.
ratings = sa.Table(
    "console_ratings",
    metadata,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("answer_event_id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("topic", sa.String(100), nullable=False),
    sa.Column("rating", sa.String(10), nullable=False),  # "up" or "down"
    sa.Column("at", sa.Float, nullable=False),  # when the last rating was given
    sa.Index("ix_console_ratings_at", "at"),
)

# Unanswered questions a recruiter set aside: one question (a SHA-256 of its normalised
# text, so no visitor text outlives its conversation) or a pattern (questions containing
# the recruiter's words). Never deleted: restoring one marks it restored.
dismissals = sa.Table(
    "console_dismissals",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String(20), nullable=False),  # "question" or "pattern"
    sa.Column("value", sa.String(200), nullable=False),
    sa.Column("created_by", sa.String(320), nullable=False),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("restored_by", sa.String(320)),
    sa.Column("restored_at", sa.Float),
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
    # Who was at the keyboard, for the console's own actions (None for commands and jobs).
    sa.Column("client_address", sa.String(64)),
    sa.Column("user_agent", sa.String(255)),
)

# Questions visitors sent to the recruitment team (bot/storage/requests.py). The email
# address for the reply is the one personal detail kept, here alone, and deleted with the
# request REQUEST_RETENTION_DAYS after it was answered or closed.
requests = sa.Table(
    "console_requests",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("created_at", sa.Float, nullable=False, index=True),
    sa.Column("conversation_id", sa.String(255), index=True),
    sa.Column("question", sa.Text, nullable=False),  # redacted, as the conversation is
    sa.Column("email", sa.String(320), nullable=False),
    sa.Column("status", sa.String(20), nullable=False, index=True),  # new, replied, closed
    sa.Column("reply", sa.Text),  # the reply as sent
    sa.Column("replied_at", sa.Float),
    sa.Column("replied_by", sa.String(320)),
    sa.Column("close_reason", sa.String(40)),
    sa.Column("closed_at", sa.Float),
    sa.Column("closed_by", sa.String(320)),
    sa.Column("finished_at", sa.Float, index=True),  # replied or closed: retention from here
)

# What an editor decided about a visitor's question on the Improve page: a training example
# (with its topic), out of scope, or needs a new answer. One row per visitor message.
question_marks = sa.Table(
    "console_question_marks",
    metadata,
    sa.Column("event_id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("sender_id", sa.String(255), nullable=False, index=True),
    sa.Column("mark", sa.String(20), nullable=False),  # example, out-of-scope, needs-answer
    sa.Column("topic", sa.String(100)),
    sa.Column("actor", sa.String(320), nullable=False),
    sa.Column("at", sa.Float, nullable=False),
)

# Every change an editor made to the knowledge file: the entry's YAML before and after, so
# the history shows a diff and any change can be reverted.
content_changes = sa.Table(
    "console_content_changes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", sa.Float, nullable=False, index=True),
    sa.Column("actor", sa.String(320), nullable=False),
    sa.Column("entry_id", sa.String(100), nullable=False, index=True),
    sa.Column("before", sa.Text, nullable=False),
    sa.Column("after", sa.Text, nullable=False),
    sa.Column("reverts", sa.Integer),  # the change this one undid
)

# Models trained from the console ("Train and publish"), their held-out figures and which
# is live (web/console/publishing.py).
models = sa.Table(
    "console_models",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(100)),  # the archive's file name, once trained
    sa.Column("model_id", sa.String(64), index=True),  # Rasa's id, in each turn's metadata
    sa.Column("state", sa.String(20), nullable=False),
    sa.Column("progress", sa.String(255), nullable=False, default=""),
    sa.Column("requested_by", sa.String(320), nullable=False),
    sa.Column("requested_at", sa.Float, nullable=False),
    sa.Column("finished_at", sa.Float),
    sa.Column("figures", sa.Text),  # JSON: this model on the held-out set
    sa.Column("live_figures", sa.Text),  # JSON: the live model it was compared with
    sa.Column("reason", sa.Text),
    sa.Column("live_since", sa.Float),
)

# Every Rasa worker (process) of every instance and the model it answers with, written by
# the worker itself (bot/channels/live_model.py): when it starts, after each load and as a
# heartbeat. Publishing waits until every worker heard from lately has the new model;
# a row not refreshed for a while is a worker that stopped (bot/storage/model_servers.py).
model_servers = sa.Table(
    "console_model_servers",
    metadata,
    sa.Column("worker", sa.String(255), primary_key=True),  # host name:process id
    sa.Column("model", sa.String(100)),  # the archive's file name it answers with
    sa.Column("started_at", sa.Float, nullable=False),
    sa.Column("loaded_at", sa.Float),  # when it started answering with that model
    sa.Column("updated_at", sa.Float, nullable=False, index=True),  # its last heartbeat
    sa.Column("problem", sa.String(255)),  # why it could not load the live model
)

state = sa.Table(
    "console_state",
    metadata,
    sa.Column("key", sa.String(50), primary_key=True),
    sa.Column("value", sa.String(255), nullable=False),
)

# console_state's key for the newest event summarised. A new version makes every summary
# again once: "v2" filled console_messages, "v3" the sensitive mark (a summary whose mark
# is NULL is made again), "v4" the signs of wrong answers, safeguarding and ratings (a
# summary whose safety mark is NULL is made again). Deleting the row has the same effect
# (bot.storage.redact_stored).
SUMMARIES_STATE_KEY = "summaries_v4_event_id"

CONSOLE_TABLES = [
    accounts,
    recovery_codes,
    sessions,
    sign_in_failures,
    summaries,
    summary_topics,
    daily_counts,
    daily_topic_counts,
    messages,
    ratings,
    dismissals,
    tags,
    reviews,
    audit,
    requests,
    question_marks,
    content_changes,
    models,
    model_servers,
    state,
]
# Everything the console keeps about one conversation: deleted with its events.
CONVERSATION_TABLES = [summaries, summary_topics, messages, ratings, tags, reviews, question_marks]
SEARCH_TABLE = "console_messages_search"  # SQLite's FTS5 index over console_messages.text
TRIGRAM_INDEX = "ix_console_messages_lower_text_trigram"  # PostgreSQL's pg_trgm index


def database_url(env: Mapping[str, str] | None = None) -> str:
    env = os.environ if env is None else env
    url = env.get("CONVERSATIONS_DB_URL")
    if url:
        return url
    if (env.get("PROFILE") or "").strip().lower() == "production":
        # `make add-recruiter` or `make purge` with PROFILE=production: the same PostgreSQL.
        from bot.ops.profiles import load_profile

        return load_profile(DEFAULT_SQLITE.parent, env).web_env["CONVERSATIONS_DB_URL"]
    return f"sqlite:///{env.get('TRACKER_DB') or DEFAULT_SQLITE}"


def make_engine(
    url: str | None = None, schema: str | None = None, create_tables: bool = True
) -> Engine:
    """A synchronous engine; the console's tables are created if missing (unless
    ``create_tables`` is False: the public web pods' limited role may not create them)."""
    url = url or database_url()
    if schema is None:
        schema = os.environ.get("CONVERSATIONS_DB_SCHEMA") or os.environ.get("POSTGRES_SCHEMA")
    kwargs: dict = {"future": True}
    path = sqlite_path(url)
    if path is not None:
        # A fresh checkout has no var/ yet; the file and folder are this user's only.
        private_sqlite_file(path, own_folders=(DEFAULT_SQLITE.parent,))
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
            # Deleted rows (retention, erasure) are overwritten with zeros, not left in
            # free pages of the file.
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.close()

    if create_tables:
        ensure_tables(engine)
    return engine


def after_erasing(engine: Engine) -> None:
    """Leave no copy of deleted rows behind in an SQLite database's files.

    The search index (FTS5) keeps deleted text in its segments until they are merged:
    ``optimize`` merges them. Then a checkpoint copies the WAL into the database file,
    where secure_delete has zeroed the rows, and empties the WAL, which still holds the
    pages as they were written. On PostgreSQL, VACUUM and backup expiry do this (see
    docs/security.md, "Erasure").
    """
    if engine.dialect.name != "sqlite":
        return
    with engine.begin() as connection:
        if has_search_index(connection):
            connection.exec_driver_sql(SQLITE_SEARCH_OPTIMIZE)
    with engine.connect() as connection:
        busy, _log, _done = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
    if busy:
        logger.warning("The WAL could not be emptied after an erasure: a reader held it")


def lock_for_writing(connection: Connection, name: str, wait: bool = True) -> bool:
    """Hold ``name``'s lock until this transaction ends, against other processes too.

    PostgreSQL: a transaction-level advisory lock; with ``wait=False``, False if another
    transaction holds it. SQLite needs none: it has one writer at a time.
    """
    if connection.dialect.name != "postgresql":
        return True
    function = "pg_advisory_xact_lock" if wait else "pg_try_advisory_xact_lock"
    got = connection.execute(sa.text(f"SELECT {function}(hashtext(:name))"), {"name": name})
    return wait or bool(got.scalar())


def ensure_tables(engine: Engine) -> None:
    """Create the console's tables, and `events` too if Rasa has not yet run."""
    with engine.begin() as connection:
        lock_for_writing(connection, "console_tables")  # web workers start together
        metadata.create_all(connection, tables=[events, *CONSOLE_TABLES], checkfirst=True)
        upgrade_console_tables(connection)
        ensure_event_indexes(connection)
        ensure_search_index(connection)
        protect_audit(connection)


def upgrade_console_tables(connection: Connection) -> None:
    """Add the columns and indexes that newer code declares to tables made by older code.

    (``create_all`` only creates missing tables.) Only nullable columns are added, so no
    value is invented.
    """
    inspector = sa.inspect(connection)
    quote = connection.dialect.identifier_preparer.quote
    indexes = _index_names(connection)
    for table in CONSOLE_TABLES:
        present = {column["name"] for column in inspector.get_columns(table.name)}
        for column in table.columns:
            if column.name not in present and column.nullable:
                kind = column.type.compile(dialect=connection.dialect)
                add = f"ALTER TABLE {quote(table.name)} ADD COLUMN {quote(column.name)} {kind}"
                connection.execute(sa.text(add))
        for index in table.indexes:
            if index.name not in indexes:
                index.create(connection)


def ensure_event_indexes(connection: Connection) -> None:
    """Add our indexes to Rasa's ``events`` table (Rasa creates the table without them).

    Called by the web app with the console's tables and by the tracker store as it starts,
    whichever comes first.
    """
    lock_for_writing(connection, "events_indexes")  # PostgreSQL: one at a time
    present = _index_names(connection)
    quote = connection.dialect.identifier_preparer.quote
    for index in events.indexes:
        if index.name not in present:
            # IF NOT EXISTS: Rasa workers and web workers start together.
            columns = ", ".join(quote(column.name) for column in index.columns)
            create = f"CREATE INDEX IF NOT EXISTS {quote(index.name)} ON events ({columns})"
            try:
                with connection.begin_nested():
                    connection.execute(sa.text(create))
            except sa.exc.DBAPIError as error:  # a role that may not change Rasa's table
                logger.warning("events has no index %s: %s", index.name, error.orig)


# PostgreSQL: the audit trail can be added to, never changed or emptied, whoever connects
# (docs/security.md says how to make the web app's role unable to drop the trigger too).
AUDIT_APPEND_ONLY = [
    "CREATE OR REPLACE FUNCTION console_audit_refuse_change() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN "
    "RAISE EXCEPTION 'console_audit is append-only: % refused', TG_OP; END $$",
    "DROP TRIGGER IF EXISTS console_audit_append_only ON console_audit",
    "CREATE TRIGGER console_audit_append_only BEFORE UPDATE OR DELETE ON console_audit "
    "FOR EACH ROW EXECUTE FUNCTION console_audit_refuse_change()",
    "DROP TRIGGER IF EXISTS console_audit_no_truncate ON console_audit",
    "CREATE TRIGGER console_audit_no_truncate BEFORE TRUNCATE ON console_audit "
    "FOR EACH STATEMENT EXECUTE FUNCTION console_audit_refuse_change()",
]


def protect_audit(connection: Connection) -> None:
    """Make the audit trail append-only on PostgreSQL (SQLite: see docs/security.md)."""
    if connection.dialect.name != "postgresql":
        return
    present = connection.execute(
        sa.text(
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'console_audit'::regclass "
            "AND tgname IN ('console_audit_append_only', 'console_audit_no_truncate')"
        )
    ).scalar()
    if present == 2:
        return
    for statement in AUDIT_APPEND_ONLY:
        connection.execute(sa.text(statement))


def _index_names(connection: Connection) -> set[str]:
    """The indexes in this database (SQLite) or schema (PostgreSQL), by name.

    Asked directly: reflecting them warns about the expression index that search uses.
    """
    if connection.dialect.name == "sqlite":
        query = "SELECT name FROM sqlite_master WHERE type = 'index'"
    else:
        query = "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
    return set(connection.execute(sa.text(query)).scalars())


def ensure_search_index(connection: Connection) -> None:
    """A trigram index over what visitors typed, if this database can have one.

    SQLite: an FTS5 table with the ``trigram`` tokenizer (SQLite 3.34+), kept in step
    with ``console_messages`` by triggers. PostgreSQL: a GIN index on ``lower(text)`` with
    ``pg_trgm``'s operator class (the extension is created in ``public`` if it is missing
    and we may).
    Without either, search still works by scanning ``console_messages``, only slower.
    """
    if has_search_index(connection):
        return
    if connection.dialect.name == "sqlite":
        _sqlite_search_index(connection)
    elif connection.dialect.name == "postgresql":
        _postgresql_trigram_index(connection)


def has_search_index(connection: Connection) -> bool:
    if connection.dialect.name == "sqlite":
        query = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"
        found = connection.execute(sa.text(query), {"name": SEARCH_TABLE}).first()
        return found is not None
    return TRIGRAM_INDEX in _index_names(connection)


# Merges the index's segments, so that deleted text is no longer in any of them.
SQLITE_SEARCH_OPTIMIZE = (
    "INSERT INTO console_messages_search(console_messages_search) VALUES ('optimize')"
)
# The FTS5 documentation's external-content table and triggers (rows are never updated).
SQLITE_SEARCH_DDL = [
    "CREATE VIRTUAL TABLE console_messages_search USING fts5(text, content='console_messages', "
    "content_rowid='event_id', tokenize='trigram')",
    "CREATE TRIGGER console_messages_search_insert AFTER INSERT ON console_messages BEGIN "
    "INSERT INTO console_messages_search(rowid, text) VALUES (new.event_id, new.text); END",
    "CREATE TRIGGER console_messages_search_delete AFTER DELETE ON console_messages BEGIN "
    "INSERT INTO console_messages_search(console_messages_search, rowid, text) "
    "VALUES ('delete', old.event_id, old.text); END",
    "INSERT INTO console_messages_search(console_messages_search) VALUES ('rebuild')",
]


def _sqlite_search_index(connection: Connection) -> None:
    try:
        connection.exec_driver_sql(SQLITE_SEARCH_DDL[0])
    except sa.exc.OperationalError as error:  # no FTS5, or a SQLite older than 3.34
        logger.warning("Console search runs without an index: %s", error.orig)
        return
    for statement in SQLITE_SEARCH_DDL[1:]:
        connection.exec_driver_sql(statement)


def _trigram_schema(connection: Connection) -> str | None:
    return connection.execute(
        sa.text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'pg_trgm'"
        )
    ).scalar()


def _postgresql_trigram_index(connection: Connection) -> None:
    schema = _trigram_schema(connection)
    try:
        with connection.begin_nested():
            if schema is None:
                # In `public`, not in a console schema: dropping one must not drop it for all.
                connection.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public"))
                schema = _trigram_schema(connection)
            operators = connection.dialect.identifier_preparer.quote_schema(schema)
            connection.execute(
                sa.text(
                    f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} "
                    f"ON console_messages USING gin (lower(text) {operators}.gin_trgm_ops)"
                )
            )
    except sa.exc.DBAPIError as error:  # no pg_trgm, and no right to create it
        logger.warning("Console search runs without a trigram index: %s", error.orig)
