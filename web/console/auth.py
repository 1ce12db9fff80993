"""Console accounts, sign-in sessions, CSRF tokens and the sign-in rate limit.

* Passwords are hashed with argon2id (argon2-cffi's defaults).
* A session is a random 256-bit token in an HttpOnly, SameSite=Strict cookie
  (Secure unless CONSOLE_COOKIE_SECURE=false, for http://localhost development);
  the database keeps only its SHA-256, with an absolute expiry
  (CONSOLE_SESSION_HOURS, 8) and an idle limit (CONSOLE_IDLE_MINUTES, 30).
* Every form carries the session's CSRF token; the sign-in form, before there is a
  session, uses a double-submit token in its own SameSite=Strict cookie.
* Failed sign-ins are limited per email address (5 in 15 minutes) and per client
  address (30), counted in the database so that every web worker sees them all.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Connection

from bot.storage import database as db

ROLES = ("recruiter", "admin")
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{2,}$")
MIN_PASSWORD = 12
TOUCH_SECONDS = 60  # a session's last activity is written at most once a minute

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
            last_seen_at=now,
        )
    )
    return token


@dataclass(frozen=True)
class Session:
    account: Account
    csrf_token: str
    expires_at: float


def load_session(
    connection: Connection, token: str | None, idle_minutes: float = 30
) -> Session | None:
    """The session of ``token``, if it has not expired and was used within ``idle_minutes``.

    An expired or idle session is deleted; a live one has its last activity recorded.
    """
    if not token or len(token) > 100:
        return None
    sessions = db.sessions.c
    row = connection.execute(
        sa.select(
            sessions.csrf_token,
            sessions.expires_at,
            sa.func.coalesce(sessions.last_seen_at, sessions.created_at).label("last_seen"),
            db.accounts.c.id,
            db.accounts.c.email,
            db.accounts.c.role,
        )
        .select_from(db.sessions.join(db.accounts, db.accounts.c.id == sessions.account_id))
        .where(sessions.token_hash == _digest(token))
    ).first()
    if row is None:
        return None
    now = time.time()
    if row.expires_at < now or now - row.last_seen > idle_minutes * 60:
        end_session(connection, token)
        return None
    if now - row.last_seen > TOUCH_SECONDS:
        connection.execute(
            db.sessions.update()
            .where(sessions.token_hash == _digest(token))
            .values(last_seen_at=now)
        )
    return Session(Account(row.id, row.email, row.role), row.csrf_token, row.expires_at)


def end_session(connection: Connection, token: str | None) -> None:
    if token:
        connection.execute(db.sessions.delete().where(db.sessions.c.token_hash == _digest(token)))


def tokens_match(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))


class SignInLimiter:
    """At most ``limit`` failed sign-ins per key within ``window`` seconds.

    Failures are rows of ``console_sign_in_failures``, so every web worker counts the
    same ones. Keys are stored as SHA-256 digests (with the limiter's ``scope``), never
    as the email or client address itself. Workers check and record in separate steps,
    so a burst spread over N workers may get up to N - 1 attempts more than ``limit``.
    """

    def __init__(self, scope: str, limit: int = 5, window: float = 15 * 60):
        self.scope, self.limit, self.window = scope, limit, window

    def _key(self, key: str) -> str:
        return _digest(f"{self.scope}:{key}")

    def blocked(self, connection: Connection, key: str) -> bool:
        failures = db.sign_in_failures.c
        count = connection.execute(
            sa.select(sa.func.count()).where(
                failures.key_hash == self._key(key), failures.at >= time.time() - self.window
            )
        ).scalar_one()
        return count >= self.limit

    def failed(self, connection: Connection, key: str) -> None:
        now = time.time()
        failures = db.sign_in_failures
        # Housekeeping: a day is longer than any limiter's window.
        connection.execute(failures.delete().where(failures.c.at < now - 86_400))
        connection.execute(failures.insert().values(key_hash=self._key(key), at=now))

    def succeeded(self, connection: Connection, key: str) -> None:
        failures = db.sign_in_failures
        connection.execute(failures.delete().where(failures.c.key_hash == self._key(key)))
