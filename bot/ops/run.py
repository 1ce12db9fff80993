"""`make run`: build what is missing, start every service, stop them all on Ctrl-C.

Settings come from the environment (see README, "Configuration"); every
default keeps the assistant on this machine.
"""

from __future__ import annotations

import signal
import sys
import time

from bot.ops import PROJECT_ROOT
from bot.ops.dependencies import DependencyError
from bot.ops.model import ModelError, ensure_model
from bot.ops.profiles import Profile, ProfileError, load_profile, require_passwords
from bot.ops.services import ServiceError
from bot.ops.stack import build_stack
from bot.storage.database import database_url, make_engine
from bot.storage.retention import run_daily

STATE_DIR = PROJECT_ROOT / "var"


def _retention_engine(profile: Profile):
    """The console's database, as the web app of this profile sees it."""
    url = profile.web_env.get("CONVERSATIONS_DB_URL") or database_url(profile.web_env)
    return make_engine(url, profile.web_env.get("CONVERSATIONS_DB_SCHEMA", ""))


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def main() -> int:
    try:  # settings first: a typo should not wait for a model to train
        profile = load_profile(STATE_DIR)
        require_passwords(profile)
    except ProfileError as error:
        print(f"Setting not usable: {error}", file=sys.stderr)
        return 2
    try:
        stack = build_stack(ensure_model(), profile, STATE_DIR)
    except Exception as error:  # a failed build must say what failed, not hang
        print(f"Could not build the model: {error}", file=sys.stderr)
        return 1
    services = stack.services
    stop_retention = None
    # Set SIGINT too: a shell that starts us in the background may have ignored it.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        stack.start(timeout=180, report=lambda line: print(line, flush=True))
        print(f"\nThe CPS careers assistant is running ({stack.profile.name} profile):")
        for service in services:
            print(f"  {service.name:<14} {service.url}")
        print(f"  REST channel   {stack.rasas[0].url}/webhooks/rest/webhook")
        print(f"  Console        {stack.web.url}/console/ (accounts: make add-recruiter)")
        print(f"Logs are in {STATE_DIR}. Press Ctrl-C to stop.\n", flush=True)
        # Conversations older than RETENTION_DAYS (default 90) go, now and daily.
        stop_retention = run_daily(lambda: _retention_engine(stack.profile))
        while True:
            dead = [s for s in services if not s.running()]
            if dead:
                print(
                    f"{dead[0].name} stopped unexpectedly; see {dead[0].log_path}", file=sys.stderr
                )
                return 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        print("\nStopping ...", flush=True)
        return 0
    except (ServiceError, DependencyError, ModelError) as error:
        print(f"Could not start the assistant: {error}", file=sys.stderr)
        return 1
    finally:
        if stop_retention is not None:
            stop_retention.set()
        stack.stop()
        print("Stopped.", flush=True)


if __name__ == "__main__":
    sys.exit(main())
