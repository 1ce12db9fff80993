"""`make bench-console`: the recruiter console's pages at 100,000 conversations.

    python -m bench.console_benchmark                      # both databases, 100,000
    python -m bench.console_benchmark --databases sqlite --conversations 20000 \\
        --output var/bench/console-try.md                   # a quick look while developing
    python -m bench.console_benchmark --reuse              # keep the data sets already loaded

For each database a generated data set (bench/console_load.py) is loaded, a few
conversations are tagged and marked reviewed, the web app is started on it as
``make run`` starts it, a benchmark account signs in, and every case below is
requested over HTTP: once to warm up, then ``--repeat`` times. The figures are
the wall time of the whole request (query, rendering, transfer on loopback).
Results go to var/bench/console-<database>.json and the report to
docs/benchmarks-console.md (bench/console_report.py), beside the figures
measured before the console was tuned (bench/console_before.json).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests
import sqlalchemy as sa

from bench.console_client import sign_in
from bench.console_load import DEFAULT_PG_URL, Target, load
from bench.console_report import write_report
from bot.ops import PROJECT_ROOT
from bot.ops.services import free_port, web_app
from bot.storage import database as db
from web.console import queries
from web.console.auth import add_account

STATE = PROJECT_ROOT / "var" / "bench"
ACCOUNT, PASSWORD = "bench@cps.example", "benchmark password 1"
TAGGED, REVIEWED = "content gap", "0"  # sender ids starting "00" get the tag, "0" a review


@dataclass(frozen=True)
class Case:
    name: str
    path: str
    params: dict[str, str]


@dataclass(frozen=True)
class Prepared:
    transcripts: list[str]  # the newest conversation, the newest that failed, a middle one
    deep_key: str  # the keyset cursor that the Next link on page 2,000 carries


def cases(prepared: Prepared, today: datetime) -> list[Case]:
    week_ago = (today - timedelta(days=6)).date().isoformat()
    quarter = (today - timedelta(days=89)).date().isoformat()
    listed = "/console/conversations"
    return [
        Case("list, first page", listed, {}),
        Case("list, page 2", listed, {"page": "2"}),
        Case("list, page 2,000 by number", listed, {"page": "2000"}),
        Case("list, page 2,001 by Next link", listed, {"page": "2001", "after": prepared.deep_key}),
        Case("filter: last 7 days", listed, {"from": week_ago, "to": today.date().isoformat()}),
        Case("filter: topic", listed, {"topic": "salary"}),
        Case("filter: fallback only", listed, {"fallback": "1"}),
        Case("filter: negative feedback", listed, {"negative": "1"}),
        Case("filter: tag", listed, {"tag": TAGGED}),
        Case("filter: reviewed", listed, {"reviewed": "yes"}),
        Case("filter: not reviewed", listed, {"reviewed": "no"}),
        Case("filters combined", listed, {"fallback": "1", "reviewed": "no", "from": week_ago}),
        Case("search: common word", listed, {"q": "parking"}),
        Case("search: rare phrase", listed, {"q": "interview in welsh"}),
        Case("search: no match", listed, {"q": "zebra crossing"}),
        Case("search: two letters", listed, {"q": "cv"}),
        Case("search + fallback only", listed, {"q": "office", "fallback": "1"}),
        *[
            Case(f"transcript {n}", f"/console/conversations/{sender}", {})
            for n, sender in enumerate(prepared.transcripts, 1)
        ],
        Case("insights, 30 days", "/console/insights", {}),
        Case("insights, 90 days", "/console/insights", {"from": quarter}),
        Case(
            "export CSV, fallback, 7 days",
            "/console/export.csv",
            {"fallback": "1", "from": week_ago},
        ),
        Case(
            "export JSON, fallback, 7 days",
            "/console/export.json",
            {"fallback": "1", "from": week_ago},
        ),
        Case("export CSV, everything (limit)", "/console/export.csv", {}),
    ]


@dataclass
class Timing:
    name: str
    median_ms: float
    max_ms: float
    status: int
    kib: float


def prepare_console(target: Target) -> Prepared:
    """A benchmark account, some tags and reviews; conversations and a page to open."""
    engine = target.engine()
    try:
        with engine.begin() as connection:
            # The audit trail stays: it is append-only (on PostgreSQL, refused by a trigger).
            for table in (db.accounts, db.sessions, db.tags, db.reviews):
                connection.execute(table.delete())
            add_account(connection, ACCOUNT, "admin", PASSWORD)
            s = db.summaries.c
            connection.execute(
                db.tags.insert().from_select(
                    ["sender_id", "tag"],
                    sa.select(s.sender_id, sa.literal(TAGGED)).where(s.sender_id.like("00%")),
                )
            )
            connection.execute(
                db.reviews.insert().from_select(
                    ["sender_id", "reviewed", "note"],
                    sa.select(s.sender_id, sa.true(), sa.literal("")).where(
                        s.sender_id.like(f"{REVIEWED}%")
                    ),
                )
            )
            count = connection.execute(sa.select(sa.func.count()).select_from(db.summaries))
            newest = sa.select(s.sender_id).order_by(s.last_at.desc(), s.sender_id.desc()).limit(1)
            deep = connection.execute(
                sa.select(s.last_at, s.sender_id)
                .order_by(s.last_at.desc(), s.sender_id.desc())
                .offset(2000 * queries.PAGE_SIZE - 1)
                .limit(1)
            ).one()
            return Prepared(
                [
                    connection.execute(newest).scalar_one(),
                    connection.execute(newest.where(s.fallbacks > 0)).scalar_one(),
                    connection.execute(newest.offset(count.scalar_one() // 2)).scalar_one(),
                ],
                queries.cursor(dict(deep._mapping)),
            )
    finally:
        engine.dispose()


def web_env(target: Target, port: int) -> dict[str, str]:
    env = {"CONSOLE_COOKIE_SECURE": "false", "ALLOWED_ORIGINS": f"http://127.0.0.1:{port}"}
    if target.kind == "sqlite":
        return {**env, "TRACKER_DB": target.url.removeprefix("sqlite:///")}
    return {**env, "CONVERSATIONS_DB_URL": target.url, "CONVERSATIONS_DB_SCHEMA": target.schema}


@contextmanager
def console_on(target: Target, log_path: Path) -> Iterator[str]:
    port = free_port()
    service = web_app(
        port,
        rasa_url=f"http://127.0.0.1:{free_port()}",
        log_path=log_path,
        env=web_env(target, port),
    )
    service.start()
    try:
        service.wait_until_healthy(timeout=120)
        yield service.url
    finally:
        service.stop()


def time_case(session: requests.Session, url: str, case: Case, repeat: int) -> Timing:
    def once() -> tuple[float, requests.Response]:
        started = time.perf_counter()
        response = session.get(url + case.path, params=case.params, timeout=300)
        return (time.perf_counter() - started) * 1000, response

    _, response = once()  # warm-up: the first request pays for caches, not the query
    if response.status_code != 200:
        raise RuntimeError(f"{case.name}: HTTP {response.status_code}")
    times = [once()[0] for _ in range(repeat)]
    return Timing(
        case.name,
        statistics.median(times),
        max(times),
        response.status_code,
        len(response.content) / 1024,
    )


def measure(target: Target, prepared: Prepared, repeat: int) -> list[Timing]:
    with console_on(target, STATE / f"console-web-{target.kind}.log") as url:
        # A new account: it sets up its authenticator (the client reads the key from the
        # page) and is signed in once the recovery codes page (200) is shown.
        session, answer = sign_in(url, ACCOUNT, PASSWORD)
        if answer.status_code not in (200, 303):
            raise RuntimeError(f"the benchmark account could not sign in ({answer.status_code})")
        today = datetime.now(tz=timezone.utc)
        return [time_case(session, url, case, repeat) for case in cases(prepared, today)]


def size_of(target: Target) -> str:
    engine = target.engine()
    try:
        with engine.connect() as connection:
            if target.kind == "sqlite":
                pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
                size = pages * connection.exec_driver_sql("PRAGMA page_size").scalar()
            else:
                size = connection.execute(
                    sa.text(
                        "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c "
                        "JOIN pg_namespace n ON n.oid = c.relnamespace "
                        "WHERE n.nspname = :schema AND c.relkind = 'r'"
                    ),
                    {"schema": target.schema},
                ).scalar()
            events = connection.execute(sa.select(sa.func.count()).select_from(db.events)).scalar()
            conversations = connection.execute(
                sa.select(sa.func.count()).select_from(db.summaries)
            ).scalar()
    finally:
        engine.dispose()
    return f"{conversations:,} conversations, {events:,} events, {size / 2**20:,.0f} MiB"


def run(args: argparse.Namespace) -> dict:
    results: dict = {}
    for kind in args.databases:
        target = (
            Target.sqlite(STATE / "console.db")
            if kind == "sqlite"
            else Target.postgresql(args.postgresql, args.schema)
        )
        saved = STATE / f"console-{kind}.json"
        if args.reuse:  # the load figures of the run that loaded this data, if it was ours
            loaded = json.loads(saved.read_text()).get("load") if saved.exists() else None
        else:
            print(f"{kind}: loading {args.conversations:,} conversations", flush=True)
            loaded = asdict(load(target, args.conversations, seed=args.seed))
        prepared = prepare_console(target)
        print(f"{kind}: measuring ({size_of(target)})", flush=True)
        busy_before = os.getloadavg()[0]
        timings = measure(target, prepared, args.repeat)
        results[kind] = {
            "data": size_of(target),
            "load": loaded,
            # Other work on the machine slows every figure: the 1-minute load average.
            "load_average": [round(busy_before, 1), round(os.getloadavg()[0], 1)],
            "timings": [asdict(t) for t in timings],
        }
        saved.write_text(json.dumps(results[kind], indent=1))
        for timing in timings:
            print(f"  {timing.name:34} {timing.median_ms:8.0f} ms  (max {timing.max_ms:.0f})")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.console_benchmark", description=__doc__)
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--postgresql", default=DEFAULT_PG_URL, help="database URL")
    parser.add_argument("--schema", default="console_bench", help="PostgreSQL schema (replaced)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reuse", action="store_true", help="measure the data already loaded")
    parser.add_argument(
        "--output", type=Path, default=PROJECT_ROOT / "docs" / "benchmarks-console.md"
    )
    args = parser.parse_args(argv)
    args.databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    unknown = set(args.databases) - {"sqlite", "postgresql"}
    if unknown or not args.databases:
        parser.error("--databases: sqlite, postgresql or both")
    STATE.mkdir(parents=True, exist_ok=True)
    results = run(args)
    write_report(args.output, results, args)
    print(f"Report: {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
