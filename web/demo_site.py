"""The demo careers site: a few plain pages that embed the widget exactly as a real site would,
and the transparency pages a public body publishes for a tool like this.

Pages are Jinja2 templates with autoescaping, so nothing put into them is read as
HTML. The widget's address in each page is this app's own address as the visitor
reached it, so the demo works on any host and port without configuration.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Blueprint, Request
from sanic.response import HTTPResponse
from sanic.response import html as html_response

from web.security import own_origin
from web.transparency import assistant_facts, read_evaluation

PAGES_DIR = Path(__file__).parent / "pages"
# Only a plain host[:port] is put into a page; anything odd in the Host header falls back.
SAFE_ORIGIN = re.compile(r"^https?://[a-z0-9.-]+(:\d{1,5})?$")

# The site's main navigation, and the pages about the careers assistant in every footer.
NAVIGATION = (
    ("/", "Careers home"),
    ("/pay-and-benefits", "Pay and benefits"),
    ("/privacy", "Privacy"),
)
ABOUT_THE_ASSISTANT = (
    ("/privacy", "Privacy notice for the careers assistant"),
    ("/accessibility", "Accessibility statement"),
    ("/algorithmic-transparency", "Algorithmic transparency record"),
    ("/accuracy", "How accurate the careers assistant is"),
)

templates = Environment(
    loader=FileSystemLoader(PAGES_DIR),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def widget_origin(request: Request) -> str:
    origin = own_origin(request)
    if SAFE_ORIGIN.match(origin):
        return origin
    settings = request.app.ctx.settings
    return f"http://{settings.host}:{settings.port}"


def evaluation(request: Request) -> dict[str, Any]:
    return {"measurement": read_evaluation(request.app.ctx.settings.evaluation_file)}


def facts(request: Request) -> dict[str, Any]:
    return {"facts": assistant_facts()}


def retention(request: Request) -> dict[str, Any]:
    """The privacy notice states the retention in force, not a copy that could drift."""
    settings = request.app.ctx.settings
    return {
        "retention_days": settings.retention_days,
        "sensitive_retention_days": settings.sensitive_retention_days,
        "request_retention_days": settings.request_retention_days,
        "request_reply_days": settings.request_reply_days,
    }


def transparency_record(request: Request) -> dict[str, Any]:
    return {**evaluation(request), **facts(request)}


Context = Callable[[Request], dict[str, Any]]
PAGES: dict[str, tuple[str, Context | None]] = {
    "/": ("index.html", None),
    "/pay-and-benefits": ("pay-and-benefits.html", None),
    "/privacy": ("privacy.html", retention),
    "/accessibility": ("accessibility.html", facts),
    "/algorithmic-transparency": ("algorithmic-transparency.html", transparency_record),
    "/accuracy": ("accuracy.html", evaluation),
    "/ask-the-recruitment-team": ("ask-the-recruitment-team.html", None),
}

pages = Blueprint("pages")


def render(request: Request, name: str, context: Context | None = None) -> HTTPResponse:
    page = templates.get_template(name).render(
        widget_origin=widget_origin(request),
        current=request.path,
        navigation=NAVIGATION,
        about_the_assistant=ABOUT_THE_ASSISTANT,
        **(context(request) if context else {}),
    )
    return html_response(page)


def _register(path: str, name: str, context: Context | None) -> None:
    async def handler(request: Request) -> HTTPResponse:
        return render(request, name, context)

    pages.add_route(handler, path, methods=["GET", "HEAD"], name=name.replace(".", "_"))


for _path, (_name, _context) in PAGES.items():
    _register(_path, _name, _context)
