"""The console's second factor: TOTP codes (RFC 6238) from an authenticator app, and
single-use recovery codes.

* A secret is 160 random bits (RFC 4226's recommended length), base32 as authenticator
  apps expect; it is offered on first sign-in and kept only once the first code from it
  is right.
* A code is accepted for the current 30-second step or the one either side (clocks drift),
  and never twice: the account keeps the last step used (RFC 6238, section 5.2).
* Recovery codes are 80 random bits each, shown once and kept as SHA-256 digests (at 80
  bits a fast digest cannot be reversed; a slow one would cost a sign-in 64 MiB per code).

pyotp computes the codes and the otpauth:// address; segno draws the QR code as inline
SVG on the server, so no script or image request is needed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

import pyotp
import segno
import sqlalchemy as sa
from markupsafe import Markup, escape
from sqlalchemy.engine import Connection

from bot.storage import database as db

ISSUER = "CPS careers console"
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no l, o, 0, 1: nothing to mistake
RECOVERY_LENGTH = 16  # 16 characters of 32 = 80 bits
STEP = 30  # seconds: what every authenticator app uses
DRIFT_STEPS = 1  # a code from the step before or after still counts


def new_secret() -> str:
    return pyotp.random_base32(length=32)


def grouped(text: str, size: int = 4) -> str:
    """``ABCDEFGH`` as ``ABCD EFGH``: easier to read out and type."""
    return " ".join(text[i : i + size] for i in range(0, len(text), size))


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_svg(uri: str, title: str, description: str) -> Markup:
    """The QR code of ``uri`` as an inline SVG image with a text alternative."""
    svg = segno.make(uri, error="m").svg_inline(
        scale=5, dark="#0b0c0c", light="#ffffff", omitsize=True, svgclass="console-qr"
    )
    labels = (
        f'<title id="qr-title">{escape(title)}</title>'
        f'<desc id="qr-desc">{escape(description)}</desc>'
    )
    opening, rest = svg.split(">", 1)
    opening = opening.replace(
        "<svg", '<svg role="img" aria-labelledby="qr-title qr-desc" focusable="false"', 1
    )
    return Markup(f"{opening}>{labels}{rest}")  # noqa: S704 (segno's output and escaped text)


def normalise_code(code: str) -> str:
    """What a person typed, without spaces and hyphens, lower case."""
    return "".join(code.split()).replace("-", "").lower()


def matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step whose code ``code`` is, within the allowed drift; None if none is."""
    code = normalise_code(code)
    if not (len(code) == 6 and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    now = time.time() if now is None else now
    found = None
    for offset in range(-DRIFT_STEPS, DRIFT_STEPS + 1):
        at = now + offset * STEP
        # Every candidate is compared, in constant time, so timing says nothing.
        if hmac.compare_digest(totp.at(at), code):
            found = int(at // STEP)
    return found


def use_totp(connection: Connection, account_id: int, secret: str, code: str) -> bool:
    """True if ``code`` is right and newer than the last code this account used."""
    step = matching_step(secret, code)
    if step is None:
        return False
    accounts = db.accounts.c
    # One statement, so two requests with the same code cannot both succeed.
    used = connection.execute(
        db.accounts.update()
        .where(
            accounts.id == account_id,
            sa.or_(accounts.totp_last_step.is_(None), accounts.totp_last_step < step),
        )
        .values(totp_last_step=step)
    ).rowcount
    return used == 1


def enrol(connection: Connection, account_id: int, secret: str, code: str) -> list[str] | None:
    """Keep ``secret`` for the account if ``code`` is right; its new recovery codes."""
    step = matching_step(secret, code)
    if step is None:
        return None
    connection.execute(
        db.accounts.update()
        .where(db.accounts.c.id == account_id)
        .values(totp_secret=secret, totp_enrolled_at=time.time(), totp_last_step=step)
    )
    return new_recovery_codes(connection, account_id)


def _digest(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def new_recovery_codes(connection: Connection, account_id: int) -> list[str]:
    """Replace the account's recovery codes with RECOVERY_CODES new ones; shown once."""
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
        for _ in range(RECOVERY_CODES)
    ]
    table = db.recovery_codes
    connection.execute(table.delete().where(table.c.account_id == account_id))
    connection.execute(
        table.insert(),
        [{"account_id": account_id, "code_hash": _digest(code)} for code in codes],
    )
    return [grouped(code) for code in codes]


def use_recovery_code(connection: Connection, account_id: int, code: str) -> bool:
    if len(normalise_code(code)) != RECOVERY_LENGTH:
        return False
    table = db.recovery_codes
    used = connection.execute(
        table.update()
        .where(
            table.c.account_id == account_id,
            table.c.code_hash == _digest(code),
            table.c.used_at.is_(None),
        )
        .values(used_at=time.time())
    ).rowcount
    return used == 1


def recovery_codes_left(connection: Connection, account_id: int) -> int:
    table = db.recovery_codes
    return connection.execute(
        sa.select(sa.func.count()).where(
            table.c.account_id == account_id, table.c.used_at.is_(None)
        )
    ).scalar_one()


@dataclass(frozen=True)
class SecondFactor:
    enrolled: bool
    recovery_codes_left: int


def status(connection: Connection, account_id: int) -> SecondFactor:
    enrolled = connection.execute(
        sa.select(db.accounts.c.totp_secret).where(db.accounts.c.id == account_id)
    ).scalar()
    return SecondFactor(bool(enrolled), recovery_codes_left(connection, account_id))


def reset(connection: Connection, account_id: int) -> None:
    """Forget the account's authenticator and recovery codes and end its sessions: it
    enrols again at its next sign-in."""
    connection.execute(
        db.accounts.update()
        .where(db.accounts.c.id == account_id)
        .values(totp_secret=None, totp_enrolled_at=None, totp_last_step=None)
    )
    connection.execute(
        db.recovery_codes.delete().where(db.recovery_codes.c.account_id == account_id)
    )
    connection.execute(db.sessions.delete().where(db.sessions.c.account_id == account_id))
