"""The web app, started for the console tests (PostgreSQL schemas: tests/postgres_schemas.py)."""

from __future__ import annotations

from pathlib import Path

from bot.ops.services import Service, free_port, web_app


def start_web_app(env: dict[str, str], log_path: Path) -> Service:
    port = free_port()
    service = web_app(
        port,
        rasa_url=f"http://127.0.0.1:{free_port()}",  # the console does not need Rasa
        log_path=log_path,
        env={
            "CONSOLE_COOKIE_SECURE": "false",  # plain http on 127.0.0.1, unless a test says
            "ALLOWED_ORIGINS": f"http://127.0.0.1:{port}",
            **env,
        },
    )
    service.start()
    try:
        service.wait_until_healthy(timeout=90)
    except Exception:
        service.stop()
        raise
    return service
