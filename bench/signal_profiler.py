"""Run a module (`python -m bench.signal_profiler OUT MODULE ARGS...`) under cProfile, on signal.

SIGUSR1 starts profiling, SIGUSR2 stops it and writes the statistics to OUT, so a
server is profiled on the messages a benchmark sends, not on its start-up or
warm-up. Used by `make profile` (bench.turn_profile) to run the Rasa server.
"""

from __future__ import annotations

import cProfile
import os
import runpy
import signal
import sys


def main() -> None:
    output, module, *arguments = sys.argv[1:]
    profiler = cProfile.Profile()

    def start(*_: object) -> None:
        profiler.enable()

    def stop(*_: object) -> None:
        profiler.disable()
        profiler.dump_stats(f"{output}.part")
        os.replace(f"{output}.part", output)  # whoever waits for OUT never reads half of it

    signal.signal(signal.SIGUSR1, start)
    signal.signal(signal.SIGUSR2, stop)
    sys.argv = [module, *arguments]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
