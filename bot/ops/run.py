"""`make run`: build what is missing, start every service, stop them all on Ctrl-C.

Settings come from the environment (see README, "Configuration"); every
default keeps the assistant on this machine.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

from bot.ops import PROJECT_ROOT
from bot.ops.model import ensure_model
from bot.ops.services import Service, ServiceError, action_server, rasa_server, web_app
from bot.storage.retention import run_daily

STATE_DIR = PROJECT_ROOT / "var"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _setting(name: str, default: str) -> str:
    return os.environ.get(name) or default


def build_services(model: Path) -> list[Service]:
    STATE_DIR.mkdir(exist_ok=True)
    host = _setting("BIND_HOST", "127.0.0.1")
    web_port = int(_setting("WEB_PORT", "8000"))
    origins = _setting(
        "ALLOWED_ORIGINS", f"http://localhost:{web_port},http://127.0.0.1:{web_port}"
    )
    actions = action_server(
        int(_setting("ACTIONS_PORT", "5055")), log_path=STATE_DIR / "actions.log"
    )
    tracker_db = Path(_setting("TRACKER_DB", str(STATE_DIR / "tracker.db")))
    rasa = rasa_server(
        model,
        port=int(_setting("RASA_PORT", "5005")),
        host=host,
        action_url=actions.url,
        tracker_db=tracker_db,
        cors=origins.split(","),
        api_token=os.environ.get("RASA_API_TOKEN"),
        log_path=STATE_DIR / "rasa.log",
    )
    web_env = {
        "ALLOWED_ORIGINS": origins,
        "TRACKER_DB": str(tracker_db),  # the console reads the conversations Rasa stores
        # Plain http on this machine cannot carry Secure cookies; anywhere else it must.
        "CONSOLE_COOKIE_SECURE": _setting(
            "CONSOLE_COOKIE_SECURE", "false" if host in LOOPBACK else "true"
        ),
    }
    web = web_app(
        web_port, rasa_url=rasa.url, host=host, log_path=STATE_DIR / "web.log", env=web_env
    )
    return [actions, rasa, web]


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def main() -> int:
    try:
        model = ensure_model()
    except Exception as error:  # a failed build must say what failed, not hang
        print(f"Could not build the model: {error}", file=sys.stderr)
        return 1
    services = build_services(model)
    stop_retention = None
    # Set SIGINT too: a shell that starts us in the background may have ignored it.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        for service in services:
            print(f"Starting {service.name} on {service.url} ...", flush=True)
            service.start()
            service.wait_until_healthy(timeout=180)
        print("\nThe CPS careers assistant is running:")
        for service in services:
            print(f"  {service.name:<14} {service.url}")
        print(f"  REST channel   {services[1].url}/webhooks/rest/webhook")
        print(f"  Console        {services[2].url}/console/ (accounts: make add-recruiter)")
        print(f"Logs are in {STATE_DIR}. Press Ctrl-C to stop.\n", flush=True)
        # Conversations older than RETENTION_DAYS (default 90) go, now and daily.
        stop_retention = run_daily()
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
    except ServiceError as error:
        print(f"Could not start the assistant: {error}", file=sys.stderr)
        return 1
    finally:
        if stop_retention is not None:
            stop_retention.set()
        for service in reversed(services):
            service.stop()
        print("Stopped.", flush=True)


if __name__ == "__main__":
    sys.exit(main())
