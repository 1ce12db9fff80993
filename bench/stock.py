"""The truly stock baseline: Rasa 3.6.21 as `rasa init` would serve this data, none of ours.

`python -I -m rasa run` (isolated: neither the project folder nor PYTHONPATH is on the
path, so no module of ours can be imported, and bot/rasa_patches.py is not installed) with
files written for the run:

* credentials: Rasa's own REST channel (``rest:``), nothing else;
* endpoints: Rasa's own SQL tracker store on an SQLite file, and, with several workers,
  Rasa's own Redis lock store (Rasa refuses several workers without one);
* the model trained with the `rasa init` config on this project's domain and data
  (bench/baseline/);
* the same action server as ours (the answers come from the same knowledge file).

``stock`` runs one Sanic worker, like the embedded default; ``stock-2w`` two, like the
production profile, so that every comparison is at equal workers.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.ops.profiles import Redis
from bot.ops.services import Service, action_server, free_port

# Rasa's log stays at its default level, as `rasa run` leaves it.
STOCK_CREDENTIALS = {"rest": None}
# What `rasa run` logs once the model is loaded: its REST channel answers before that.
UP_AND_RUNNING = "Rasa server is up and running"


@dataclass
class StockRasa(Service):
    """Healthy once its channel answers and its log says the model is loaded."""

    def healthy(self) -> bool:
        if not super().healthy() or self.log_path is None or not self.log_path.exists():
            return False
        return UP_AND_RUNNING in self.log_path.read_text(errors="replace")


def stock_endpoints(
    state_dir: Path, action_url: str, workers: int, redis: Redis | None = None
) -> dict:
    endpoints: dict = {
        "action_endpoint": {"url": f"{action_url}/webhook"},
        "tracker_store": {
            "type": "SQL",
            "dialect": "sqlite",
            "db": str(state_dir / "stock-tracker.db"),
        },
    }
    if workers > 1:
        redis = redis or Redis()
        endpoints["lock_store"] = {
            "type": "redis",
            "url": redis.host,
            "port": redis.port,
            "db": redis.db,
            "key_prefix": redis.key_prefix,
        }
    return endpoints


def stock_rasa(
    model: Path,
    state_dir: Path,
    port: int,
    action_url: str,
    workers: int,
    redis: Redis | None = None,
) -> Service:
    """Rasa's own server, from Rasa's own entry point, in isolated mode."""
    endpoints, credentials = state_dir / "endpoints.yml", state_dir / "credentials.yml"
    endpoints.write_text(
        yaml.safe_dump(stock_endpoints(state_dir, action_url, workers, redis)), encoding="utf-8"
    )
    credentials.write_text(yaml.safe_dump(STOCK_CREDENTIALS), encoding="utf-8")
    args = [
        sys.executable,
        "-I",  # isolated: no project folder or PYTHONPATH on sys.path
        "-m",
        "rasa",
        "run",
        "--model",
        str(model),
        "--endpoints",
        str(endpoints),
        "--credentials",
        str(credentials),
        "--interface",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    return StockRasa(
        name="Stock Rasa server",
        args=args,
        host="127.0.0.1",
        port=port,
        health_path="/webhooks/rest/",
        env={"SANIC_WORKERS": str(workers), "PYTHONPATH": ""},
        log_path=state_dir / "rasa.log",
    )


def stock_services(
    model: Path, state_dir: Path, workers: int, redis: Redis | None = None
) -> tuple[Service, Service]:
    """The action server (ours, as `make run` starts it) and stock Rasa, not yet started."""
    actions = action_server(
        free_port(),
        log_path=state_dir / "actions.log",
        env={"ACTION_SERVER_SANIC_WORKERS": str(workers)},
    )
    rasa = stock_rasa(model, state_dir, free_port(), actions.url, workers, redis)
    return actions, rasa
