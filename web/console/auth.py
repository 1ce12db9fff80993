"""Console accounts and sign-in sessions.

* Passwords are hashed with argon2id (web/console/passwords.py, which bounds how many
  are checked at once).
* A session is a random 256-bit token in an HttpOnly, SameSite=Strict cookie that ends
  with the browser (``__Host-`` and Secure over HTTPS, web/console/common.py); the
  database keeps only its SHA-256, with an absolute expiry (CONSOLE_SESSION_HOURS, 8)
  and an idle limit (CONSOLE_IDLE_MINUTES, 30).
* Signing in has two steps. The right password starts a *pending* session, which lasts
  PENDING_MINUTES and can do nothing but give the second factor (second_factor.py);
  the right code replaces it with a new, complete session (a new token). An account
  keeps at most CONSOLE_MAX_SESSIONS complete sessions: the least recently used end.
* Every form carries the session's CSRF token; the sign-in form, before there is a
  session, uses a double-submit token in its own SameSite=Strict cookie.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bot.storage import database as db
from web.console import passwords

# Recruiters read, tag and review; editors also change what the assistant knows and says
# (examples, answers, models); administrators do everything, accounts included.
ROLES = ("recruiter", "editor", "admin")
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{2,}$")
MIN_PASSWORD = 12
TOUCH_SECONDS = 60  # a session's last activity is written at most once a minute
PENDING_MINUTES = 10  # to give the second factor after the password


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

    @property
    def is_editor(self) -> bool:
        """May change what the assistant knows and says (administrators may too)."""
        return self.role in ("editor", "admin")

    @property
    def role_name(self) -> str:
        return "administrator" if self.is_admin else self.role


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
            email=email, role=role, password_hash=passwords.hash_password(password),
            created_at=time.time()
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
    end_sessions(connection, row.id)
    connection.execute(db.accounts.delete().where(db.accounts.c.id == row.id))
    return True


def end_sessions(connection: Connection, account_id: int) -> None:
    """Sign an account out everywhere."""
    connection.execute(db.sessions.delete().where(db.sessions.c.account_id == account_id))


def set_disabled(connection: Connection, account_id: int, disabled: bool) -> bool:
    """Disable an account (signed out everywhere, cannot sign in) or enable it again."""
    a = db.accounts.c
    now_in_other_state = a.disabled_at.is_(None) if disabled else a.disabled_at.isnot(None)
    changed = connection.execute(
        db.accounts.update()
        .where(a.id == account_id, now_in_other_state)
        .values(disabled_at=time.time() if disabled else None)
    ).rowcount
    if disabled:
        end_sessions(connection, account_id)
    return bool(changed)


def set_role(connection: Connection, account_id: int, role: str) -> bool:
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    a = db.accounts.c
    changed = connection.execute(
        db.accounts.update().where(a.id == account_id, a.role != role).values(role=role)
    ).rowcount
    return bool(changed)  # sessions read the role on every request: it applies at once


def set_password(connection: Connection, account_id: int, password: str) -> bool:
    """A new password, and every session of the account ended."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")
    changed = connection.execute(
        db.accounts.update()
        .where(db.accounts.c.id == account_id)
        .values(password_hash=passwords.hash_password(password))
    ).rowcount
    end_sessions(connection, account_id)
    return bool(changed)


def list_accounts(connection: Connection) -> list[Account]:
    return [
        Account(row.id, row.email, row.role)
        for row in connection.execute(
            sa.select(db.accounts.c.id, db.accounts.c.email, db.accounts.c.role).order_by(
                db.accounts.c.email
            )
        )
    ]


@dataclass(frozen=True)
class Candidate:
    """The account an email names (None if there is none) and its password hash."""

    account: Account | None
    password_hash: str | None
    enrolled: bool = False  # has a second factor


def find_account(connection: Connection, email: str) -> Candidate:
    """The account of ``email``; a disabled account is no account (it cannot sign in)."""
    try:
        email = normalise_email(email)
    except AccountError:
        return Candidate(None, None)
    row = connection.execute(sa.select(db.accounts).where(db.accounts.c.email == email)).first()
    if row is None or row.disabled_at is not None:
        return Candidate(None, None)
    return Candidate(
        Account(row.id, row.email, row.role), row.password_hash, row.totp_secret is not None
    )


def store_rehash(connection: Connection, account: Account, new_hash: str | None) -> None:
    if new_hash:
        connection.execute(
            db.accounts.update()
            .where(db.accounts.c.id == account.id)
            .values(password_hash=new_hash)
        )


def authenticate(connection: Connection, email: str, password: str) -> Account | None:
    """The account if ``password`` is its password (unbounded: for commands and tests)."""
    candidate = find_account(connection, email)
    right, new_hash = passwords.check(candidate.password_hash, password)
    if not right:
        return None
    store_rehash(connection, candidate.account, new_hash)
    return candidate.account


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(
    connection: Connection,
    account: Account,
    hours: float,
    *,
    complete: bool = True,
    max_sessions: int = 3,
) -> str:
    """A new session for ``account``: complete (signed in) or pending its second factor."""
    token = secrets.token_urlsafe(32)
    now = time.time()
    connection.execute(db.sessions.delete().where(db.sessions.c.expires_at < now))
    connection.execute(
        db.sessions.insert().values(
            token_hash=_digest(token),
            account_id=account.id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            expires_at=now + (hours * 3600 if complete else PENDING_MINUTES * 60),
            last_seen_at=now,
            second_factor_at=now if complete else None,
        )
    )
    if complete:
        _keep_newest_sessions(connection, account.id, max_sessions)
    return token


def _keep_newest_sessions(connection: Connection, account_id: int, keep: int) -> None:
    sessions = db.sessions.c
    older = (
        connection.execute(
            sa.select(sessions.token_hash)
            .where(sessions.account_id == account_id, sessions.second_factor_at.is_not(None))
            .order_by(sessions.last_seen_at.desc(), sessions.created_at.desc())
            .offset(keep)
        )
        .scalars()
        .all()
    )
    if older:
        connection.execute(db.sessions.delete().where(sessions.token_hash.in_(older)))


def complete_session(
    connection: Connection, session: Session, token: str, hours: float, max_sessions: int
) -> str:
    """Replace a pending session with a complete one under a new token."""
    end_session(connection, token)
    return start_session(connection, session.account, hours, max_sessions=max_sessions)


@dataclass(frozen=True)
class Session:
    account: Account
    csrf_token: str
    expires_at: float
    complete: bool = True
    enrol_secret: str | None = None  # offered while enrolling a second factor
    failed_codes: int = 0
    totp_secret: str | None = None  # the account's, once enrolled


def load_session(
    connection: Connection, token: str | None, idle_minutes: float = 30
) -> Session | None:
    """The session of ``token``, if it has not expired and was used within ``idle_minutes``.

    An expired or idle session is deleted; a live one has its last activity recorded.
    """
    if not token or len(token) > 100:
        return None
    sessions, accounts = db.sessions.c, db.accounts.c
    row = connection.execute(
        sa.select(
            sessions.csrf_token,
            sessions.expires_at,
            sessions.second_factor_at,
            sessions.enrol_secret,
            sessions.failed_codes,
            sa.func.coalesce(sessions.last_seen_at, sessions.created_at).label("last_seen"),
            accounts.id,
            accounts.email,
            accounts.role,
            accounts.totp_secret,
        )
        .select_from(db.sessions.join(db.accounts, accounts.id == sessions.account_id))
        .where(sessions.token_hash == _digest(token), accounts.disabled_at.is_(None))
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
    return Session(
        Account(row.id, row.email, row.role),
        row.csrf_token,
        row.expires_at,
        complete=row.second_factor_at is not None,
        enrol_secret=row.enrol_secret,
        failed_codes=row.failed_codes or 0,
        totp_secret=row.totp_secret,
    )


def update_pending(connection: Connection, token: str, **values) -> None:
    """Change a pending session: the secret offered, the count of wrong codes."""
    connection.execute(
        db.sessions.update()
        .where(db.sessions.c.token_hash == _digest(token), db.sessions.c.second_factor_at.is_(None))
        .values(**values)
    )


def end_session(connection: Connection, token: str | None) -> None:
    if token:
        connection.execute(db.sessions.delete().where(db.sessions.c.token_hash == _digest(token)))


def tokens_match(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))
