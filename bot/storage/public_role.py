"""The PostgreSQL role of the public web pods: what the widget's API needs, nothing more.

The public pods face the internet. They read a conversation back when a page is reloaded
(`events`) and queue a visitor's question to the recruitment team (`console_requests`);
the console's accounts, notes, audit trail and the other questions are not theirs to
read. An operator creates the role once, with the console's tables in place:

    python -m bot.storage.public_role careers_public [SCHEMA]   # prints the SQL to run

(then `ALTER ROLE careers_public PASSWORD '...'`, and the password as the Secret's
POSTGRES_PUBLIC_PASSWORD: docs/deploy.md, "Secrets").
"""

from __future__ import annotations

import sys

from bot.storage import database as db

# (privilege, table): reading a conversation back, and queuing a question (PostgreSQL
# hands back the new request's id only to a role that may read that column).
GRANTS = (
    ("SELECT", db.events.name),
    ("INSERT", db.requests.name),
    ("SELECT (id)", db.requests.name),
)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def grant_statements(role: str, schema: str = "public") -> list[str]:
    """The SQL that lets `role` do what the public pods do, and nothing else."""
    who, where = _quoted(role), _quoted(schema)
    statements = [f"GRANT USAGE ON SCHEMA {where} TO {who}"]
    statements += [
        f"GRANT {privilege} ON {where}.{_quoted(table)} TO {who}" for privilege, table in GRANTS
    ]
    # A new request's id comes from its table's sequence.
    sequence = _quoted(f"{db.requests.name}_id_seq")
    statements.append(f"GRANT USAGE ON SEQUENCE {where}.{sequence} TO {who}")
    return statements


def main(argv: list[str]) -> int:
    if not 1 <= len(argv) <= 2:
        print("usage: python -m bot.storage.public_role ROLE [SCHEMA]", file=sys.stderr)
        return 2
    role, schema = argv[0], (argv[1] if len(argv) > 1 else "public")
    print(f"CREATE ROLE {_quoted(role)} LOGIN;")
    for statement in grant_statements(role, schema):
        print(statement + ";")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
