"""create_app(settings): the web app that serves the widget, its API and the demo pages,
the recruiter console, or both (WEB_SERVES)."""

from __future__ import annotations

import logging
from pathlib import Path

from sanic import Request, Sanic
from sanic.exceptions import SanicException
from sanic.handlers import ErrorHandler
from sanic.response import HTTPResponse, empty, json, text

from bot.storage import database as db
from web import handoff  # noqa: F401 (adds its routes to the API)
from web.api import api
from web.console import console
from web.demo_site import pages
from web.rasa_client import RasaClient
from web.security import add_security_headers
from web.settings import Settings

STATIC_DIR = Path(__file__).parent / "static"
error_logger = logging.getLogger("sanic.error")


class PathOnlyErrorHandler(ErrorHandler):
    """Sanic logs an unhandled error with the full URL; its query string can hold what a
    recruiter searched for, so only the method and path are logged."""

    @staticmethod
    def log(request: Request, exception: Exception) -> None:
        quiet = getattr(exception, "quiet", False)
        if quiet is False or getattr(request.app.config, "NOISY_EXCEPTIONS", False):
            error_logger.exception(
                "Exception occurred while handling %s %s", request.method, request.path
            )


def create_app(settings: Settings | None = None, name: str = "cps_careers_web") -> Sanic:
    settings = settings or Settings.from_env()
    app = Sanic(name, configure_logging=True, error_handler=PathOnlyErrorHandler())
    app.ctx.settings = settings
    # A message is at most MAX_MESSAGE_CHARS; nothing legitimate needs a large body.
    app.config.REQUEST_MAX_SIZE = 16 * 1024 + 4 * settings.max_message_chars
    app.config.REQUEST_TIMEOUT = 30
    app.config.KEEP_ALIVE_TIMEOUT = 5

    if settings.public:
        app.blueprint(pages)
        app.blueprint(api)
        app.static("/widget", str(STATIC_DIR / "widget"), name="widget")
        app.static("/assets", str(STATIC_DIR / "site"), name="assets")
    if settings.console:
        app.blueprint(console)  # the recruiter console, /console/ (web/console)

    @app.get("/health")
    async def health(_request: Request) -> HTTPResponse:
        return text(f"ok: {settings.serves}")  # what probes and `make run` wait for

    @app.get("/favicon.ico")
    async def no_favicon(_request: Request) -> HTTPResponse:
        return empty()  # browsers ask for it; the demo has none

    # One database for both parts: the console's conversations and accounts, and the
    # public API's reload of a conversation and its questions to the recruitment team.
    # Public pods alone (WEB_SERVES=public) connect as a role that may only read the
    # conversations and queue questions (bot/storage/public_role.py): the console's pods
    # create the tables.
    @app.listener("before_server_start")
    async def open_database(app: Sanic, _loop) -> None:
        app.ctx.database = db.make_engine(create_tables=settings.console)

    @app.listener("after_server_stop")
    async def close_database(app: Sanic, _loop) -> None:
        app.ctx.database.dispose()

    if settings.public:  # only the widget's API talks to Rasa

        @app.listener("before_server_start")
        async def start_client(app: Sanic, _loop) -> None:
            app.ctx.rasa = RasaClient(settings.rasa_url, settings.rasa_timeout)
            await app.ctx.rasa.start()

        @app.listener("after_server_stop")
        async def close_client(app: Sanic, _loop) -> None:
            await app.ctx.rasa.close()

    @app.on_response
    async def security_headers(request: Request, response: HTTPResponse) -> None:
        add_security_headers(request, response)

    @app.exception(SanicException)
    async def api_errors_as_json(request: Request, exception: SanicException) -> HTTPResponse:
        # The widget reads JSON; Sanic's default error pages are HTML.
        status = getattr(exception, "status_code", 500) or 500
        if request.path.startswith("/api/"):
            return json({"error": f"http_{status}", "reason": str(exception)}, status=status)
        return text(f"{status}: {exception}", status=status)

    return app
