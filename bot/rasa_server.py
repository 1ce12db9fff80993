"""Rasa's command line with the project's patches installed: how every Rasa process starts.

    python -m bot.rasa_server run --model ... --endpoints ... --credentials ...
    python -m bot.rasa_server shell | test | interactive ...   (make rasa ARGS="...")

`make run`, `make bench`, the tests and the Rasa image (deploy/docker/serve.py, which the
Kubernetes pods run) all start the server this way (bot.ops.services.rasa_server).
Installing first checks the Rasa version and refuses another (bot/rasa_patches.py);
plain `rasa run` leaves the patches out and our channels refuse to start.
"""

from __future__ import annotations

import sys

from bot import rasa_patches


def main() -> None:
    try:
        rasa_patches.install()
    except (rasa_patches.RasaVersionError, ValueError) as error:  # ValueError: a setting
        print(f"Rasa not started: {error}", file=sys.stderr)
        sys.exit(2)
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"  # Rasa's help and error messages name its own command
    rasa_main()


if __name__ == "__main__":
    main()
