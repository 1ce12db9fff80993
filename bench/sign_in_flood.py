"""Memory of the web app under a burst of parallel console sign-ins.

    python -m bench.sign_in_flood [--parallel 60] [--spread] [--root DIR] [--env NAME=VALUE ...]

Starts ``python -m web`` from ``--root`` (this checkout by default; another checkout
measures older code) on an SQLite database of its own with one console account. Then
``--parallel`` clients each fetch the sign-in form and, all at once, post it: half with
e-mail addresses that have no account (random, as an attacker avoiding a per-account
limit would), half with the real one and a wrong password. With ``--spread`` every
client has an address of its own (the web app trusts one proxy, SANIC_PROXIES_COUNT=1,
and each request names a different X-Forwarded-For), as from a botnet, so no per-address
limit stops the burst before its passwords are checked. Meanwhile the web app's
memory is sampled: RSS every 20 ms, PSS (the kernel walks every mapping for it) every
200 ms, summed over its process tree. Prints the baseline, the peak and the memory
afterwards, and how the sign-ins were answered.

Nothing here needs Rasa: the flood is the console's. tests/security/test_sign_in_flood.py
checks the bound and that the widget API keeps answering during a flood.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import requests

from bench.memory import tree_pss, tree_rss
from bot.ops import PROJECT_ROOT
from bot.ops.services import free_port

MIB = 1024 * 1024
EMAIL = "flood-target@cps.example"
PASSWORD = "the real password of the target"  # noqa: S105 (a throwaway benchmark account)


@dataclass
class FloodResult:
    parallel: int
    baseline_rss: int
    baseline_pss: int
    peak_rss: int
    peak_pss: int
    after_rss: int
    seconds: float
    answers: Counter = field(default_factory=Counter)

    def lines(self) -> list[str]:
        answers = ", ".join(f"{status}: {n}" for status, n in sorted(self.answers.items()))
        return [
            f"{self.parallel} parallel sign-ins in {self.seconds:.1f} s ({answers})",
            f"RSS  baseline {self.baseline_rss / MIB:6.0f} MiB   peak {self.peak_rss / MIB:6.0f} "
            f"MiB   (+{(self.peak_rss - self.baseline_rss) / MIB:.0f})   "
            f"after {self.after_rss / MIB:.0f} MiB",
            f"PSS  baseline {self.baseline_pss / MIB:6.0f} MiB   peak {self.peak_pss / MIB:6.0f} "
            f"MiB   (+{(self.peak_pss - self.baseline_pss) / MIB:.0f})",
        ]


class Sampler(threading.Thread):
    """The peak RSS and PSS of a process tree while it runs."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.roots = {"web": [pid]}
        self.peak_rss = self.peak_pss = 0
        self.stopped = threading.Event()

    def rss(self) -> int:
        return tree_rss(self.roots)["web"]

    def run(self) -> None:
        tick = 0
        while not self.stopped.is_set():
            self.peak_rss = max(self.peak_rss, self.rss())
            if tick % 10 == 0:
                self.peak_pss = max(self.peak_pss, tree_pss(self.roots)["web"])
            tick += 1
            time.sleep(0.02)


def sign_in_form(url: str) -> tuple[requests.Session, str]:
    session = requests.Session()
    page = session.get(f"{url}/console/sign-in", timeout=60).text
    return session, re.search(r'name="signin_token" value="([^"]+)"', page).group(1)


def flood(url: str, parallel: int, spread: bool = False, timeout: float = 120) -> Counter:
    """``parallel`` sign-ins posted at the same moment; their answers' status codes."""
    forms = [sign_in_form(url) for _ in range(parallel)]
    start = threading.Barrier(parallel)
    answers: Counter = Counter()
    lock = threading.Lock()

    def post(number: int) -> None:
        session, token = forms[number]
        email = EMAIL if number % 2 else f"nobody-{uuid.uuid4().hex[:12]}@example.org"
        if spread:  # 198.18.0.0/15: addresses set aside for benchmarks (RFC 2544)
            session.headers["X-Forwarded-For"] = f"198.18.{number // 250}.{number % 250 + 1}"
        start.wait()
        try:
            status = session.post(
                f"{url}/console/sign-in",
                data={"email": email, "password": f"guess {number}", "signin_token": token},
                allow_redirects=False,
                timeout=timeout,
            ).status_code
        except requests.RequestException as error:
            status = type(error).__name__
        with lock:
            answers[status] += 1

    threads = [threading.Thread(target=post, args=(n,)) for n in range(parallel)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def start_web_app(
    root: Path, state: Path, extra_env: dict[str, str]
) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(root),
        "TRACKER_DB": str(state / "tracker.db"),
        "WEB_PORT": str(port),
        "RASA_URL": f"http://127.0.0.1:{free_port()}",  # the console does not need Rasa
        "CONSOLE_COOKIE_SECURE": "false",
        "PASSWORD": PASSWORD,
        **extra_env,
    }
    subprocess.run(
        [sys.executable, "-m", "web.console.accounts", "add", EMAIL, "--role", "recruiter"],
        cwd=root, env=env, check=True, capture_output=True,
    )
    log = open(state / "web.log", "wb")  # noqa: SIM115 (open for the process's life)
    process = subprocess.Popen(
        [sys.executable, "-m", "web"], cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/console/sign-in", timeout=2).status_code == 200:
                return process, url
        except requests.RequestException:
            pass
        if process.poll() is not None:
            break
        time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"the web app did not start; see {state / 'web.log'}")


def measure(url: str, pid: int, parallel: int, spread: bool = False) -> FloodResult:
    roots = {"web": [pid]}
    sign_in_form(url)  # warm: templates compiled, database open
    time.sleep(1)
    sampler = Sampler(pid)
    baseline_rss, baseline_pss = sampler.rss(), tree_pss(roots)["web"]
    sampler.start()
    began = time.monotonic()
    answers = flood(url, parallel, spread)
    seconds = time.monotonic() - began
    time.sleep(1)
    sampler.stopped.set()
    sampler.join()
    return FloodResult(
        parallel,
        baseline_rss,
        baseline_pss,
        max(sampler.peak_rss, baseline_rss),
        max(sampler.peak_pss, baseline_pss),
        sampler.rss(),
        seconds,
        answers,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sign_in_flood", description=__doc__)
    parser.add_argument("--parallel", type=int, default=60)
    parser.add_argument("--spread", action="store_true", help="one address per client")
    parser.add_argument("--root", type=Path, default=PROJECT_ROOT, help="checkout to run")
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for the web app")
    args = parser.parse_args(argv)
    extra = dict(item.split("=", 1) for item in args.env)
    if args.spread:
        extra.setdefault("SANIC_PROXIES_COUNT", "1")
    with tempfile.TemporaryDirectory(prefix="sign-in-flood-") as state:
        process, url = start_web_app(args.root.resolve(), Path(state), extra)
        try:
            result = measure(url, process.pid, args.parallel, args.spread)
        finally:
            process.terminate()
            process.wait(timeout=20)
    spread = ", one address per client" if args.spread else ", all from one address"
    print(f"Web app from {args.root.resolve()} ({os.cpu_count()} CPUs seen{spread})")
    print("\n".join(result.lines()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
