"""Command line for editors and CI.

python -m bot.knowledge check [--file PATH]              validate; exit 1 on a problem
python -m bot.knowledge stale [--months 12] [--file PATH]  entries due for review (a report)
"""

from __future__ import annotations

import argparse
import sys

from bot.knowledge.loader import KNOWLEDGE_FILE, load_knowledge
from bot.knowledge.schema import KnowledgeError
from bot.knowledge.stale import stale_entries


def check(args: argparse.Namespace) -> int:
    kb = load_knowledge(args.file)
    entries = kb.entries.values()
    print(
        f"{kb.path.name} is valid: {len(kb.entries)} entries "
        f"({sum(e.pay is not None for e in entries)} with pay, "
        f"{sum(e.apply is not None for e in entries)} with apply), "
        f"{len(kb.places)} places, {len(kb.conversation)} conversation replies"
    )
    return 0


def stale(args: argparse.Namespace) -> int:
    kb = load_knowledge(args.file)
    rows = stale_entries(kb, months=args.months)
    older = f"last reviewed more than {args.months} months ago"
    if not rows:
        print(f"No entry was {older} ({len(kb.entries)} checked).")
        return 0
    print(f"{len(rows)} of {len(kb.entries)} entries were {older}:")
    width = max(len(row.entry.id) for row in rows)
    for entry, months in rows:
        reviewed = entry.reviewed.isoformat()
        print(f"  {entry.id:<{width}}  reviewed {reviewed}  ({months} months)  {entry.title}")
    return 0  # a report, not a failure: the editor decides when to review


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.knowledge", description=__doc__.splitlines()[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for name, run, help_text in (
        ("check", check, "validate the knowledge file"),
        ("stale", stale, "list entries due for review"),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("--file", default=KNOWLEDGE_FILE, help="default: %(default)s")
        command.set_defaults(run=run)
    commands.choices["stale"].add_argument(
        "--months", type=int, default=12, help="review age that counts as stale (default: 12)"
    )
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except KnowledgeError as error:
        print(error, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
