"""Console accounts from the command line.

    python -m web.console.accounts add EMAIL --role recruiter|editor|admin
    python -m web.console.accounts remove EMAIL
    python -m web.console.accounts reset-second-factor EMAIL
    python -m web.console.accounts list

The password comes from the PASSWORD environment variable, or is asked for
(twice, not echoed). A new account sets up its authenticator app at its first sign-in;
``reset-second-factor`` makes an account do so again (for an administrator who lost
theirs: other accounts can be reset in the console). Every change goes to the audit trail.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from bot.storage import database as db
from bot.storage.audit import record
from web.console import second_factor
from web.console.auth import (
    ROLES,
    AccountError,
    add_account,
    find_account,
    list_accounts,
    remove_account,
)

ACTOR = "command-line"


def _password() -> str:
    password = os.environ.get("PASSWORD")
    if password:
        return password
    first = getpass.getpass("Password (at least 12 characters): ")
    if first != getpass.getpass("Same password again: "):
        raise AccountError("the two passwords differ")
    return first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m web.console.accounts")
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add", help="create an account")
    add.add_argument("email")
    add.add_argument("--role", choices=ROLES, default="recruiter")
    remove = commands.add_parser("remove", help="remove an account and end its sessions")
    remove.add_argument("email")
    reset = commands.add_parser(
        "reset-second-factor", help="make an account set up its authenticator app again"
    )
    reset.add_argument("email")
    commands.add_parser("list", help="list accounts")
    args = parser.parse_args(argv)

    engine = db.make_engine()
    try:
        if args.command == "list":
            with engine.connect() as connection:
                for account in list_accounts(connection):
                    print(f"{account.email}\t{account.role}")
            return 0
        if args.command == "add":
            password = _password()
            with engine.begin() as connection:
                account = add_account(connection, args.email, args.role, password)
                record(connection, ACTOR, "account-add", role=account.role, account=account.email)
            print(f"Added {account.email} ({account.role}). It sets up its authenticator app "
                  "at its first sign-in.")
            return 0
        if args.command == "reset-second-factor":
            with engine.begin() as connection:
                account = find_account(connection, args.email).account
                if account is not None:
                    second_factor.reset(connection, account.id)
                    record(connection, ACTOR, "second-factor-reset", account=account.email)
            if account is None:
                print(f"No account for {args.email}.", file=sys.stderr)
                return 1
            print(f"Reset the second factor of {account.email}: it sets up an authenticator "
                  "app at its next sign-in.")
            return 0
        with engine.begin() as connection:
            removed = remove_account(connection, args.email)
            if removed:
                record(connection, ACTOR, "account-remove", account=args.email.strip().lower())
        if not removed:
            print(f"No account for {args.email}.", file=sys.stderr)
            return 1
        print(f"Removed {args.email}.")
        return 0
    except AccountError as error:
        print(f"Not done: {error}.", file=sys.stderr)
        return 2
    finally:
        engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
