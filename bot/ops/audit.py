"""`make audit`: known vulnerabilities in requirements.txt, less those accepted after review.

1. It asks the OSV database a question whose answer it knows; without that answer (no
   network) it stops at once, installing nothing, and says where to run it.
2. It reads the accepted advisories from the table between the `audit:accepted` markers
   of docs/security.md: a package whose row says "every advisory" is left out of the
   audit; every other advisory id in the table is passed to pip-audit as `--ignore-vuln`.
3. pip-audit (in its own virtual environment, so nothing of the project's changes) checks
   every other pin against OSV, failing on any other known vulnerability or any pin it
   could not check (`--strict`).

Standard library only: it runs before, and apart from, the project's virtual environment.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bot.ops import PROJECT_ROOT

PIP_AUDIT = "pip-audit==2.10.1"
PIP = "pip==24.0"
START, END = "audit:accepted:start", "audit:accepted:end"
EVERY = "every advisory"
ADVISORY_ID = re.compile(r"GHSA(-[0-9a-z]{4}){3}|PYSEC-[0-9]+-[0-9]+|CVE-[0-9]+-[0-9]+")
# A package and version OSV knows to be vulnerable: the probe's answer must list it.
PROBE = {"package": {"name": "jinja2", "ecosystem": "PyPI"}, "version": "2.4.1"}


@dataclass(frozen=True)
class Accepted:
    whole_packages: list[str]  # every advisory of these is accepted
    advisory_ids: list[str]


def accepted(notes: str) -> Accepted:
    """The accepted advisories of the notes' table (between the markers)."""
    section = notes.split(START, 1)[1].split(END, 1)[0] if START in notes else ""
    whole = []
    for line in section.splitlines():
        cells = line.split("|")
        if len(cells) > 4 and EVERY in cells[3]:
            whole.append(cells[1].replace("`", "").strip())
    ids = sorted({match.group(0) for match in ADVISORY_ID.finditer(section)})
    return Accepted(whole, ids)


def without(requirements: str, packages: list[str]) -> str:
    """The requirements less the pins of these packages (names compared case-blind)."""
    left_out = {name.lower() for name in packages}
    kept = [
        line
        for line in requirements.splitlines()
        if line.partition("==")[0].strip().lower() not in left_out or "==" not in line
    ]
    return "\n".join(kept) + "\n"


def osv_answers(url: str) -> bool:
    if not url.startswith(("https://", "http://")):
        return False
    try:
        request = urllib.request.Request(url, json.dumps(PROBE).encode())  # noqa: S310 - checked
        with urllib.request.urlopen(request, timeout=15) as answer:  # noqa: S310 - checked
            return "vulns" in json.load(answer)
    except (OSError, ValueError):
        return False


def pip_audit(venv: Path) -> Path:
    """pip-audit in its own virtual environment, installed on first use."""
    tool = venv / "bin" / "pip-audit"
    if not tool.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "pip"), "install", "--quiet"]
        subprocess.run([*pip, PIP, PIP_AUDIT], check=True)
    return tool


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--probe-url", default="https://api.osv.dev/v1/query")
    parser.add_argument("--venv", type=Path, default=PROJECT_ROOT / "var" / "audit-venv")
    parser.add_argument("--notes", type=Path, default=PROJECT_ROOT / "docs" / "security.md")
    parser.add_argument("--requirements", type=Path, default=PROJECT_ROOT / "requirements.txt")
    args = parser.parse_args(argv)

    if not osv_answers(args.probe_url):
        print(
            f"make audit needs the network: the OSV vulnerability database did not answer at "
            f"{args.probe_url}. Run it where that is reachable; {args.notes} records the last "
            "review.",
            file=sys.stderr,
        )
        return 2
    tool = pip_audit(args.venv)
    review = accepted(args.notes.read_text(encoding="utf-8"))
    audited = args.venv / "requirements.txt"
    audited.write_text(without(args.requirements.read_text(), review.whole_packages))
    print(
        f"Accepted after review ({args.notes}): every advisory of "
        f"{', '.join(review.whole_packages)}, and {len(review.advisory_ids)} advisories by id."
    )
    ignored = [flag for vuln in review.advisory_ids for flag in ("--ignore-vuln", vuln)]
    command = [
        str(tool), "--requirement", str(audited), "--no-deps", "--disable-pip", "--strict",
        "--vulnerability-service", "osv", "--progress-spinner", "off", *ignored,
    ]  # fmt: skip
    return subprocess.run(command, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
