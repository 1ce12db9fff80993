"""A PostgreSQL cluster and a Redis server of a test's own, to stop and start at will.

The machine's own PostgreSQL (5432) and Redis (6379) serve other work at the same
time, so the fault tests never stop them: they start these instead, on free ports,
in a temporary folder that is removed afterwards. Both require a password, as the
production profile expects: PostgreSQL checks it (scram-sha-256), Redis too
(requirepass).
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis

from bot.ops.services import free_port

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def postgres_bin() -> Path:
    """The newest PostgreSQL server installed (Debian keeps them in /usr/lib/postgresql/N/bin)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]))
    if not found:
        raise RuntimeError("PostgreSQL's server programs are missing: apt-get install postgresql")
    return found[-1].parent


class PrivatePostgres:
    """initdb, pg_ctl start and pg_ctl stop, as user postgres when run as root.

    PostgreSQL refuses to run as root, and the folder must belong to whoever runs it.
    """

    def __init__(self, root: Path):
        self.root = root
        self.data = root / "data"
        self.port = free_port()
        self.bin = postgres_bin()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.password = secrets.token_urlsafe(18)
        self._running = False

    def _run(self, program: str, *args: str) -> None:
        command = [*self.as_postgres, str(self.bin / program), *args]
        finished = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if finished.returncode != 0:
            raise RuntimeError(f"{program} {args[0]} failed: {finished.stderr.strip()}")

    def initialise(self) -> None:
        password_file = self.root / "password"
        password_file.write_text(self.password + "\n")
        if self.as_postgres:
            owner = pwd.getpwnam("postgres").pw_uid
            os.chown(self.root, owner, -1)
            os.chown(password_file, owner, -1)
        # --no-sync: a throwaway cluster need not survive a power cut, and fsync is slow here.
        self._run(
            "initdb", "-D", str(self.data), "-A", "scram-sha-256", "-U", "postgres",
            f"--pwfile={password_file}", "--no-sync",
        )
        password_file.unlink()

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        # -l: the server's output goes to a file, so pg_ctl does not hold our pipe open.
        log = str(self.root / "postgres.log")
        self._run("pg_ctl", "start", "-D", str(self.data), "-l", log, "-o", options, "-w")
        self._running = True

    def running(self) -> bool:
        return self._running

    def stop(self) -> None:
        """Fast shutdown: open connections are cut, as when a database server goes away."""
        self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "fast", "-w")
        self._running = False


class PrivateRedis:
    """redis-server with nothing saved to disk, so a restart starts empty."""

    def __init__(self, root: Path):
        self.root = root
        self.port = free_port()
        self.password = secrets.token_hex(18)  # no "-": a value starting "--" is an option
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        args = ["--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        args += ["--requirepass", self.password]
        self.process = subprocess.Popen(
            [REDIS_SERVER, *args, "--dir", str(self.root)], stdout=subprocess.DEVNULL
        )
        client = redis.Redis(port=self.port, password=self.password, socket_connect_timeout=1)
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError(f"redis-server did not start on port {self.port}") from None
                time.sleep(0.1)
            finally:
                client.close()

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        if self.running():
            self.process.terminate()
            self.process.wait(timeout=20)


@contextmanager
def _folder(prefix: str) -> Iterator[Path]:
    # Not pytest's tmp_path: its parent folders are private to root, and user postgres
    # must reach this one.
    root = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    with _folder("cps-faults-postgres-") as root:
        server = PrivatePostgres(root)
        server.initialise()
        server.start()
        try:
            yield server
        finally:
            if server.running():
                server.stop()


@contextmanager
def private_redis() -> Iterator[PrivateRedis]:
    with _folder("cps-faults-redis-") as root:
        server = PrivateRedis(root)
        server.start()
        try:
            yield server
        finally:
            server.stop()
