"""The machine a benchmark ran on, as docs/benchmarks.md states it."""

from __future__ import annotations

import os
import platform
from importlib.metadata import version
from pathlib import Path

from bench.results import Machine


def _field(path: Path, name: str) -> str | None:
    """The value of the first `name: value` (or `name=value`) line of a /proc or /etc file."""
    try:
        lines = path.read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        key, sep, value = line.partition(":") if ":" in line else line.partition("=")
        if sep and key.strip() == name:
            return value.strip().strip('"')
    return None


def describe() -> Machine:
    memory_kb = _field(Path("/proc/meminfo"), "MemTotal") or "0 kB"
    return Machine(
        cpu=_field(Path("/proc/cpuinfo"), "model name") or platform.processor() or "unknown",
        cores=os.cpu_count() or 0,
        memory_gib=round(int(memory_kb.split()[0]) / 1024**2, 1),
        os=_field(Path("/etc/os-release"), "PRETTY_NAME") or platform.platform(),
        python=platform.python_version(),
        rasa=version("rasa"),
    )
