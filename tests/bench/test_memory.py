"""Memory is summed over each service's process tree."""

import os
import signal
import subprocess
import sys
import time

from bench.memory import (
    PeakMemory,
    descendants,
    parent_of,
    pss_bytes,
    rss_bytes,
    tree_cpu_seconds,
    tree_pss,
    tree_rss,
)


def test_the_parent_is_read_even_when_the_command_has_spaces_and_brackets():
    assert parent_of("4242 (rasa) worker) 1) S 17 4242 4242 0 -1") == 17


def test_a_tree_is_its_root_and_everything_below_it():
    parents = {1: 0, 10: 1, 11: 10, 12: 10, 13: 11, 20: 1, 21: 20}
    assert descendants([10], parents) == {10, 11, 12, 13}
    assert descendants([11, 20], parents) == {11, 13, 20, 21}
    assert descendants([99], parents) == {99}


def test_a_child_process_counts_with_its_parent():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        time.sleep(0.3)  # let the interpreter start
        own, child_alone = rss_bytes([os.getpid()]), rss_bytes([child.pid])
        tree = tree_rss({"me": [os.getpid()]})["me"]
        assert child_alone > 1_000_000  # a Python interpreter is megabytes
        assert tree >= own + child_alone - 1_000_000  # a little slack: memory moves
    finally:
        child.kill()
        child.wait()


BURN = (
    "import time\n"
    "end = time.process_time() + 0.5\n"
    "while time.process_time() < end: pass\n"
    "time.sleep(60)"
)


def test_cpu_time_is_counted_for_the_whole_tree():
    # A parent that only waits for its child; the child burns 0.5 s of CPU, then sleeps.
    waits = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {BURN!r}])"
    parent = subprocess.Popen([sys.executable, "-c", waits], start_new_session=True)
    try:
        used, deadline = 0.0, time.monotonic() + 20
        while used < 0.5 and time.monotonic() < deadline:
            time.sleep(0.1)
            used = tree_cpu_seconds({"tree": [parent.pid]})["tree"]
        assert used >= 0.5  # the parent alone uses a fraction of that
    finally:
        os.killpg(parent.pid, signal.SIGKILL)
        parent.wait()


def test_the_peak_is_the_highest_sample():
    with PeakMemory({"me": [os.getpid()]}, interval=0.01) as peak:
        ballast = bytearray(50 * 2**20)
        peak.sample()
        del ballast
    assert peak.bytes["me"] >= 50 * 2**20


def test_pages_shared_by_a_forked_child_count_once_in_pss_and_twice_in_rss():
    # A parent with 64 MiB written, then a child forked from it that only sleeps: both map
    # the same pages, so the RSS sum counts them twice and the PSS sum once.
    script = (
        "import os, time\n"
        "ballast = bytearray(64 * 2**20)\n"
        "for i in range(0, len(ballast), 4096): ballast[i] = 1\n"
        "if os.fork() == 0: time.sleep(60)\n"
        "time.sleep(60)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], start_new_session=True)
    try:
        time.sleep(1.5)
        rss = tree_rss({"tree": [parent.pid]})["tree"]
        pss = tree_pss({"tree": [parent.pid]})["tree"]
        assert pss_bytes([parent.pid]) > 32 * 2**20  # half of the shared ballast at least
        assert rss > 128 * 2**20
        assert pss < rss - 48 * 2**20
    finally:
        os.killpg(parent.pid, signal.SIGKILL)
        parent.wait()
