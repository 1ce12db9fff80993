"""`make audit` and the accepted advisories in docs/security.md, checked offline.

The real audit needs the OSV database (see docs/security.md, "Dependencies"). Here
the target runs for real against stand-ins on loopback: a closed port (no network),
and a fake OSV answer plus a fake pip-audit that records what it was asked to do.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.ops import PROJECT_ROOT
from bot.ops.services import free_port

NOTES = PROJECT_ROOT / "docs" / "security.md"
REQUIREMENTS = PROJECT_ROOT / "requirements.txt"
ADVISORY_ID = re.compile(r"GHSA(-[0-9a-z]{4}){3}|PYSEC-\d+-\d+|CVE-\d+-\d+")
EVERY = "every advisory"
MAKE = shutil.which("make") or "make"


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins() -> dict[str, str]:
    lines = REQUIREMENTS.read_text().splitlines()
    return {normalise(n): v for n, _, v in (line.partition("==") for line in lines) if v}


def accepted_rows() -> list[dict[str, str]]:
    text = NOTES.read_text(encoding="utf-8")
    section = text.split("<!-- audit:accepted:start -->")[1].split("<!-- audit:accepted:end -->")[0]
    rows = [line for line in section.strip().splitlines() if line.startswith("|")][2:]
    cells = [[cell.strip() for cell in row.strip("|").split("|")] for row in rows]
    columns = ("package", "pinned", "advisories", "why")
    return [dict(zip(columns, row, strict=True)) for row in cells]


def make_audit(tmp_path: Path, probe_url: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [MAKE, "--no-print-directory", "audit",
         f"AUDIT_PROBE_URL={probe_url}", f"AUDIT_VENV={tmp_path / 'venv'}"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60, check=False,
    )


# ---- The accepted advisories ------------------------------------------------------------


def test_every_accepted_row_matches_the_pinned_version_and_says_why():
    rows, pinned = accepted_rows(), pins()
    assert rows, "the audit:accepted table is empty or its markers moved"
    for row in rows:
        package = normalise(row["package"])
        assert pinned.get(package) == row["pinned"], (
            f"{row['package']} is pinned at {pinned.get(package)} but docs/security.md accepted "
            f"advisories for {row['pinned']}: review the row again"
        )
        assert row["advisories"] == EVERY or ADVISORY_ID.search(row["advisories"]), row
        assert len(row["why"]) > 80, f"say why {row['package']} is acceptable"


def test_no_advisory_is_accepted_twice():
    ids = [m.group(0) for row in accepted_rows() for m in ADVISORY_ID.finditer(row["advisories"])]
    assert len(ids) == len(set(ids))


# ---- make audit ---------------------------------------------------------------------------


def test_without_the_vulnerability_database_it_stops_at_once_and_says_why(tmp_path):
    closed = f"http://127.0.0.1:{free_port()}/v1/query"
    result = make_audit(tmp_path, closed)
    assert result.returncode != 0
    assert "make audit needs the network" in result.stderr
    assert closed in result.stderr
    assert not (tmp_path / "venv").exists(), "nothing should be installed when it cannot run"


class FakeOsv(BaseHTTPRequestHandler):
    """Answers the probe the way OSV does: a JSON object with `vulns`."""

    def do_POST(self):  # noqa: N802 - the name http.server calls
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = json.dumps({"vulns": []}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_osv() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeOsv)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1/query"
    server.shutdown()
    server.server_close()


@pytest.fixture
def recording_pip_audit(tmp_path: Path) -> Path:
    """A stand-in pip-audit in the audit venv that writes its arguments to args.txt."""
    script = tmp_path / "venv" / "bin" / "pip-audit"
    script.parent.mkdir(parents=True)
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{tmp_path / "args.txt"}"\n')
    script.chmod(0o755)
    return tmp_path / "args.txt"


def test_it_ignores_exactly_the_accepted_advisories_and_audits_every_other_pin(
    tmp_path, fake_osv, recording_pip_audit
):
    result = make_audit(tmp_path, fake_osv)
    assert result.returncode == 0, result.stderr
    args = recording_pip_audit.read_text().splitlines()
    for flag in ("--strict", "--no-deps", "--disable-pip"):
        assert flag in args
    assert args[args.index("--vulnerability-service") + 1] == "osv"

    ignored = {args[i + 1] for i, arg in enumerate(args) if arg == "--ignore-vuln"}
    rows = accepted_rows()
    documented = {m.group(0) for row in rows for m in ADVISORY_ID.finditer(row["advisories"])}
    assert ignored == documented

    audited = Path(args[args.index("--requirement") + 1]).read_text().splitlines()
    audited_names = {normalise(line.partition("==")[0]) for line in audited if "==" in line}
    left_out = {normalise(row["package"]) for row in rows if row["advisories"] == EVERY}
    assert audited_names == set(pins()) - left_out
    whole = ", ".join(row["package"] for row in rows if row["advisories"] == EVERY)
    assert f"every advisory of {whole}," in result.stdout
