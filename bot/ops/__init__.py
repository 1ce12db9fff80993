"""Operating the assistant: build the model when its inputs change, run the services.

How `make run` starts, one module a step:

* ``run``: the command itself (settings first, then the model, then every process,
  and Ctrl-C stops them all);
* ``profiles``: PROFILE=embedded|production turned into each process's settings;
* ``model``: an up-to-date model, trained only when its inputs changed;
* ``dependencies``: PostgreSQL and Redis waited for before the production profile starts;
* ``stack``: which processes one profile runs, on which ports (also for the benchmarks
  and tests);
* ``services``: how one process is started, watched and stopped (the Rasa server through
  bot.rasa_server, so it has the project's Rasa patches).
"""

from bot import PROJECT_ROOT

__all__ = ["PROJECT_ROOT"]
