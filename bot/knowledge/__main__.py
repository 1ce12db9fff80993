"""Command line for editors and CI.

python -m bot.knowledge check [--file PATH]              validate; exit 1 on a problem
python -m bot.knowledge stale [--months 12] [--file PATH]  what is due for review (a report)
python -m bot.knowledge welsh [--all] [--file PATH]        Welsh missing, in draft or out of date
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections import Counter

from bot.knowledge.loader import KNOWLEDGE_FILE, KnowledgeBase, load_knowledge
from bot.knowledge.schema import KnowledgeError, month_and_year
from bot.knowledge.sources import MIN_OFFICIAL_SHARE, host, is_official
from bot.knowledge.stale import old_facts, stale_entries
from bot.knowledge.translations import counts, drafts, missing_welsh, outdated


def check(args: argparse.Namespace) -> int:
    kb = load_knowledge(args.file, reload=True)  # always the file as it is now
    entries = kb.entries.values()
    print(
        f"{kb.path.name} is valid: {len(kb.entries)} entries "
        f"({sum(e.pay is not None for e in entries)} with pay, "
        f"{sum(e.apply is not None for e in entries)} with apply), "
        f"{len(kb.places)} places, {len(kb.conversation)} conversation replies"
    )
    return official_sources(kb)


def official_sources(kb: KnowledgeBase) -> int:
    """Report the official share of the entries' main sources; 1 if below the target."""
    others = [entry for entry in kb.entries.values() if not is_official(entry.source)]
    total = len(kb.entries)
    share = (total - len(others)) / total if total else 1.0
    print(
        f"Main sources: {total - len(others)} of {total} official ({share:.0%}; "
        f"the target is at least {MIN_OFFICIAL_SHARE:.0%})."
    )
    if others:
        print("Entries whose main source is not an official page:")
        width = max(len(entry.id) for entry in others)
        for entry in others:
            print(f"  {entry.id:<{width}}  {host(entry.source)}")
    if share < MIN_OFFICIAL_SHARE:
        print(
            "Too few official sources: cite the CPS's, the Civil Service's or government "
            "pages that state these facts (see bot/knowledge/sources.py for the list).",
            file=sys.stderr,
        )
        return 1
    return 0


def stale(args: argparse.Namespace) -> int:
    kb = load_knowledge(args.file, reload=True)  # always the file as it is now
    rows = stale_entries(kb, months=args.months)
    older = f"last reviewed more than {args.months} months ago"
    if not rows:
        print(f"No entry was {older} ({len(kb.entries)} checked).")
    else:
        print(f"{len(rows)} of {len(kb.entries)} entries were {older}:")
        width = max(len(row.entry.id) for row in rows)
        for entry, months in rows:
            reviewed = entry.reviewed.isoformat()
            print(f"  {entry.id:<{width}}  reviewed {reviewed}  ({months} months)  {entry.title}")
    facts = old_facts(kb, months=args.months)
    if not facts:
        print(f"No pay or campaign date is more than {args.months} months old.")
    else:
        print(
            f"{len(facts)} pay or campaign details date from more than {args.months} months "
            "ago; check the live advert and update them:"
        )
        width = max(len(f"{fact.entry.id}, {fact.field}") for fact in facts)
        for fact in facts:
            where = f"{fact.entry.id}, {fact.field}"
            print(f"  {where:<{width}}  {month_and_year(fact.advertised)}  ({fact.months} months)")
    return 0  # a report, not a failure: the editor decides when to review


# How the Welsh drafts are counted, by the first word of where they are.
DRAFT_GROUPS = {
    "entry": "entries",
    "safety": "in safety",
    "elsewhere": "elsewhere pointers",
    "conversation": "conversation replies",
    "label": "labels",
    "pathway": "in the pathway finder",
}


def welsh(args: argparse.Namespace) -> int:
    kb = load_knowledge(args.file, reload=True)  # always the file as it is now
    total, with_welsh, reviewed = counts(kb)
    print(
        f"Welsh: {with_welsh} of {total} items have Welsh; "
        f"{reviewed} reviewed by a Welsh speaker."
    )
    missing = missing_welsh(kb)
    if missing:
        print(f"{len(missing)} without Welsh (a visitor reads these in English; make test fails):")
        print("\n".join(f"  {line}" for line in missing))
    changed = outdated(kb)
    for status, said in (("reviewed", "reviewed"), ("draft", "written as a draft")):
        rows = [row for row in changed if row.status == status]
        if rows:
            print(f"{len(rows)} whose English changed after the Welsh was {said}:")
            width = max(len(row.where) for row in rows)
            for row in rows:
                where, was, now = row.where, row.written_for, row.now
                print(f'  {where:<{width}}  translates {was}, English now "{now}"')
    if not changed:
        print("No English has changed since its Welsh was written or reviewed.")
    waiting = drafts(kb)
    if waiting:
        print(f"{len(waiting)} Welsh drafts wait for review by a Welsh speaker:")
        if args.all:
            print("\n".join(f"  {where}" for where in waiting))
        else:
            groups = Counter(DRAFT_GROUPS[where.split()[0]] for where in waiting)
            line = ", ".join(f"{n} {group}" for group, n in groups.items())
            print(textwrap.fill(line, width=96, initial_indent="  ", subsequent_indent="  "))
            print("  (--all lists each one)")
    if changed or waiting:
        print(
            textwrap.fill(
                "After a review, set the block's `status: reviewed` and its `english:` to the "
                "fingerprint of the English it was checked against (shown above when it "
                "changed).",
                width=98,
            )
        )
    return 0  # a report: the Welsh reviewer decides when; tests/knowledge fails on gaps


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.knowledge", description=__doc__.splitlines()[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for name, run, help_text in (
        ("check", check, "validate the knowledge file; report the share of official sources"),
        ("stale", stale, "list entries and dated facts due for review"),
        ("welsh", welsh, "list Welsh texts missing, in draft, or behind their English"),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("--file", default=KNOWLEDGE_FILE, help="default: %(default)s")
        command.set_defaults(run=run)
    commands.choices["welsh"].add_argument(
        "--all", action="store_true", help="list every Welsh draft, not only how many"
    )
    commands.choices["stale"].add_argument(
        "--months", type=int, default=12, help="age that counts as stale (default: 12)"
    )
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except KnowledgeError as error:
        print(error, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
