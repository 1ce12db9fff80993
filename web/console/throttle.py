"""How many sign-in attempts a key may make in a window, counted in the database.

Attempts are rows of ``console_sign_in_failures``, so every web worker and every web
pod counts the same ones. An attempt is written (and committed) **before** the password
is checked, then counted, so a burst cannot slip through between a check and a write:
each request sees every attempt committed before its count, its own included. An
attempt that is refused is removed again (waiting is not punished); one whose password
was right is removed too. Keys are stored as SHA-256 digests with the rule's scope,
never as an email or address in clear.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bot.storage import database as db

WINDOW = 15 * 60  # seconds
HOUSEKEEPING = 86_400  # rows older than a day are deleted: longer than any window


@dataclass(frozen=True)
class Rule:
    scope: str  # what the key is: "account-address", "address", ...
    limit: int  # attempts within WINDOW; the next one is refused


def _digest(scope: str, key: str) -> str:
    return hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()


class Throttle:
    """Attempts per key for each rule; ``keys`` maps a rule's scope to this request's key."""

    def __init__(self, *rules: Rule, window: float = WINDOW):
        self.rules = {rule.scope: rule for rule in rules}
        self.window = window

    def record(self, connection: Connection, keys: Mapping[str, str]) -> dict[str, int]:
        """Write one attempt under each key; the id of each row written, by scope."""
        now = time.time()
        table = db.sign_in_failures
        connection.execute(table.delete().where(table.c.at < now - HOUSEKEEPING))
        return {
            scope: connection.execute(
                table.insert().values(key_hash=_digest(scope, key), at=now)
            ).inserted_primary_key[0]
            for scope, key in keys.items()
        }

    def refused(self, connection: Connection, keys: Mapping[str, str]) -> bool:
        """True if any key has more attempts in the window than its rule allows."""
        failures = db.sign_in_failures.c
        since = time.time() - self.window
        for scope, key in keys.items():
            count = connection.execute(
                sa.select(sa.func.count()).where(
                    failures.key_hash == _digest(scope, key), failures.at >= since
                )
            ).scalar_one()
            if count > self.rules[scope].limit:
                return True
        return False

    def forget(self, connection: Connection, ids: Mapping[str, int], *scopes: str) -> None:
        """Remove attempts that should not count (refused, or right): those of ``scopes``,
        or all of them."""
        chosen = [row for scope, row in ids.items() if not scopes or scope in scopes]
        if chosen:
            table = db.sign_in_failures
            connection.execute(table.delete().where(table.c.id.in_(chosen)))

    def clear(self, connection: Connection, scope: str, key: str) -> None:
        """Forget every attempt under one key (after a complete sign-in)."""
        table = db.sign_in_failures
        connection.execute(table.delete().where(table.c.key_hash == _digest(scope, key)))
