"""Peak memory of each service, sampled while a run goes on, and the CPU time it used.

A service's memory is the resident set (RSS) summed over its whole process
tree, so Rasa's Sanic workers count with it. Forked workers share some pages,
which this sum counts once per worker: an upper bound. The proportional set size
(PSS) splits each shared page among the processes sharing it, so its sum is
what the service really occupies; the kernel computes it by walking every
mapping (milliseconds for a TensorFlow process), so it is read at moments, not
sampled during a run.

Read from /proc (Linux, where the benchmark runs): psutil is not among the
pinned dependencies, and adding it would change requirements.txt, an input of
the model's fingerprint.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Collection, Iterable, Mapping
from pathlib import Path

PROC = Path("/proc")
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def _stat_fields(stat_line: str) -> list[str]:
    """The fields of a /proc/<pid>/stat line after the command (which may hold spaces, ')')."""
    return stat_line.rsplit(")", 1)[1].split()


def parent_of(stat_line: str) -> int:
    return int(_stat_fields(stat_line)[1])


def cpu_seconds_of(stat_line: str) -> float:
    """User plus system CPU time of the process itself."""
    fields = _stat_fields(stat_line)
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def descendants(roots: Iterable[int], parents: Mapping[int, int]) -> set[int]:
    """The `roots` and every process below them, given each pid's parent."""
    children: dict[int, list[int]] = {}
    for pid, parent in parents.items():
        children.setdefault(parent, []).append(pid)
    found, todo = set(), list(roots)
    while todo:
        pid = todo.pop()
        if pid not in found:
            found.add(pid)
            todo.extend(children.get(pid, []))
    return found


def _read(path: Path) -> str | None:
    try:
        return path.read_text()
    except OSError:  # the process ended between listing and reading
        return None


def process_parents() -> dict[int, int]:
    parents = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            stat = _read(entry / "stat")
            if stat:
                parents[int(entry.name)] = parent_of(stat)
    return parents


def rss_bytes(pids: Iterable[int]) -> int:
    total = 0
    for pid in pids:
        statm = _read(PROC / str(pid) / "statm")
        if statm:
            total += int(statm.split()[1]) * PAGE_BYTES
    return total


def pss_bytes(pids: Iterable[int]) -> int:
    """Proportional set size, summed (0 where the kernel does not report it)."""
    total = 0
    for pid in pids:
        rollup = _read(PROC / str(pid) / "smaps_rollup")
        for line in (rollup or "").splitlines():
            if line.startswith("Pss:"):
                total += int(line.split()[1]) * 1024
                break
    return total


def tree_cpu_seconds(roots: Mapping[str, Collection[int]]) -> dict[str, float]:
    """CPU seconds used so far by each named group of process trees (living processes)."""
    parents = process_parents()
    used = {}
    for name, pids in roots.items():
        stats = (_read(PROC / str(pid) / "stat") for pid in descendants(pids, parents))
        used[name] = sum(cpu_seconds_of(stat) for stat in stats if stat)
    return used


def _per_tree(
    roots: Mapping[str, Collection[int]], measure: Callable[[Iterable[int]], int]
) -> dict[str, int]:
    parents = process_parents()
    return {name: measure(descendants(pids, parents)) for name, pids in roots.items()}


def tree_rss(roots: Mapping[str, Collection[int]]) -> dict[str, int]:
    """RSS in bytes, at this moment, of each named group of process trees."""
    return _per_tree(roots, rss_bytes)


def tree_pss(roots: Mapping[str, Collection[int]]) -> dict[str, int]:
    """PSS in bytes, at this moment, of each named group of process trees."""
    return _per_tree(roots, pss_bytes)


class PeakMemory:
    """`with PeakMemory({"Rasa": [pid, ...], ...}) as peak:` samples every `interval` s.

    `peak.bytes` is each group's highest total seen.
    """

    def __init__(self, roots: Mapping[str, Collection[int]], interval: float = 0.5):
        self.roots = dict(roots)
        self.interval = interval
        self.bytes: dict[str, int] = dict.fromkeys(self.roots, 0)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample_until_stopped, daemon=True)

    def sample(self) -> None:
        for name, value in tree_rss(self.roots).items():
            self.bytes[name] = max(self.bytes[name], value)

    def _sample_until_stopped(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def __enter__(self) -> PeakMemory:
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()
