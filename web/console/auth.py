"""Console accounts, sign-in sessions, CSRF tokens and the sign-in rate limit.

* Passwords are hashed with argon2id (argon2-cffi's defaults).
* A session is a random 256-bit token in an HttpOnly, SameSite=Strict cookie
  (Secure unless CONSOLE_COOKIE_SECURE=false, for http://localhost development);
  the database keeps only its SHA-256, with an expiry (CONSOLE_SESSION_HOURS, 8).
* Every form carries the session's CSRF token; the sign-in form, before there is a
  session, uses a double-submit token in its own SameSite=Strict cookie.
* Failed sign-ins are limited per email address (5 in 15 minutes) and per client
  address (30), in memory: the web app runs one worker.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Connection

from bot.storage import database as db

ROLES = ("recruiter", "admin")
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{2,}$")
MIN_PASSWORD = 12

_hasher = PasswordHasher()
# Verified when the email is unknown, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """An account cannot be created or changed; the message says why."""


@dataclass(frozen=True)
class Account:
    id: int
    email: str
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def normalise_email(email: str) -> str:
    email = email.strip().lower()
    if not EMAIL.match(email):
        raise AccountError(f"{email!r} is not an email address")
    return email


def add_account(connection: Connection, email: str, role: str, password: str) -> Account:
    email = normalise_email(email)
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")
    exists = connection.execute(
        sa.select(db.accounts.c.id).where(db.accounts.c.email == email)
    ).first()
    if exists:
        raise AccountError(f"{email} already has an account")
    result = connection.execute(
        db.accounts.insert().values(
            email=email, role=role, password_hash=_hasher.hash(password), created_at=time.time()
        )
    )
    return Account(result.inserted_primary_key[0], email, role)


def remove_account(connection: Connection, email: str) -> bool:
    email = normalise_email(email)
    row = connection.execute(
        sa.select(db.accounts.c.id).where(db.accounts.c.email == email)
    ).first()
    if row is None:
        return False
    connection.execute(db.sessions.delete().where(db.sessions.c.account_id == row.id))
    connection.execute(db.accounts.delete().where(db.accounts.c.id == row.id))
    return True


def list_accounts(connection: Connection) -> list[Account]:
    return [
        Account(row.id, row.email, row.role)
        for row in connection.execute(
            sa.select(db.accounts.c.id, db.accounts.c.email, db.accounts.c.role).order_by(
                db.accounts.c.email
            )
        )
    ]


def authenticate(connection: Connection, email: str, password: str) -> Account | None:
    try:
        email = normalise_email(email)
    except AccountError:
        email = ""
    row = connection.execute(sa.select(db.accounts).where(db.accounts.c.email == email)).first()
    stored = row.password_hash if row else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None:
        return None
    if _hasher.check_needs_rehash(stored):
        connection.execute(
            db.accounts.update()
            .where(db.accounts.c.id == row.id)
            .values(password_hash=_hasher.hash(password))
        )
    return Account(row.id, row.email, row.role)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(connection: Connection, account: Account, hours: float) -> str:
    token = secrets.token_urlsafe(32)
    now = time.time()
    connection.execute(db.sessions.delete().where(db.sessions.c.expires_at < now))
    connection.execute(
        db.sessions.insert().values(
            token_hash=_digest(token),
            account_id=account.id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            expires_at=now + hours * 3600,
        )
    )
    return token


@dataclass(frozen=True)
class Session:
    account: Account
    csrf_token: str
    expires_at: float


def load_session(connection: Connection, token: str | None) -> Session | None:
    if not token or len(token) > 100:
        return None
    row = connection.execute(
        sa.select(db.sessions.c.csrf_token, db.sessions.c.expires_at, db.accounts)
        .select_from(db.sessions.join(db.accounts, db.accounts.c.id == db.sessions.c.account_id))
        .where(db.sessions.c.token_hash == _digest(token))
    ).first()
    if row is None or row.expires_at < time.time():
        return None
    return Session(Account(row.id, row.email, row.role), row.csrf_token, row.expires_at)


def end_session(connection: Connection, token: str | None) -> None:
    if token:
        connection.execute(db.sessions.delete().where(db.sessions.c.token_hash == _digest(token)))


def tokens_match(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))


class SignInLimiter:
    """At most ``limit`` failed sign-ins per key within ``window`` seconds."""

    def __init__(self, limit: int = 5, window: float = 15 * 60):
        self.limit, self.window = limit, window
        self._failures: dict[str, deque] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque:
        failures = self._failures[key]
        while failures and failures[0] < now - self.window:
            failures.popleft()
        return failures

    def blocked(self, *keys: str) -> bool:
        now = time.monotonic()
        with self._lock:
            return any(len(self._recent(key, now)) >= self.limit for key in keys)

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)
