"""The audit trail: one row per thing done to conversations or accounts.

Rows hold ids, counts and settings, never message text. Console actions also keep the
client address and user agent of who did them. The table is append-only on PostgreSQL
(``bot.storage.database.protect_audit``).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from sqlalchemy.engine import Connection

from bot.storage import database as db

MAX_USER_AGENT = 255


@dataclass(frozen=True)
class Client:
    """Where a console request came from."""

    address: str | None = None
    user_agent: str | None = None


def record(
    connection: Connection,
    actor: str,
    action: str,
    conversation_id: str | None = None,
    *,
    client: Client | None = None,
    **detail,
) -> None:
    """Add one audit record. ``detail`` holds counts and settings, never message text."""
    client = client or Client()
    connection.execute(
        db.audit.insert().values(
            at=time.time(),
            actor=actor,
            action=action,
            conversation_id=conversation_id,
            detail=json.dumps(detail, sort_keys=True),
            client_address=client.address,
            user_agent=(client.user_agent or "")[:MAX_USER_AGENT] or None,
        )
    )
