"""The demo careers site: a few plain pages that embed the widget exactly as a real site would.

The widget's address in each page is this app's own address as the visitor
reached it, so the demo works on any host and port without configuration.
"""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path

from sanic import Blueprint, Request
from sanic.response import HTTPResponse
from sanic.response import html as html_response

from web.security import own_origin

PAGES_DIR = Path(__file__).parent / "pages"
PAGES = {
    "/": "index.html",
    "/pay-and-benefits": "pay-and-benefits.html",
    "/privacy": "privacy.html",
}
# Only a plain host[:port] is put into a page; anything odd in the Host header falls back.
SAFE_ORIGIN = re.compile(r"^https?://[a-z0-9.-]+(:\d{1,5})?$")

pages = Blueprint("pages")


@cache
def template(name: str) -> str:
    return (PAGES_DIR / name).read_text(encoding="utf-8")


def widget_origin(request: Request) -> str:
    origin = own_origin(request)
    if SAFE_ORIGIN.match(origin):
        return origin
    settings = request.app.ctx.settings
    return f"http://{settings.host}:{settings.port}"


def render(request: Request, name: str) -> HTTPResponse:
    settings = request.app.ctx.settings
    values = {
        "widget_origin": widget_origin(request),
        # The privacy notice states the retention in force, not a copy that could drift.
        "retention_days": str(settings.retention_days),
        "sensitive_retention_days": str(settings.sensitive_retention_days),
    }
    page = template(name)
    for key, value in values.items():
        page = page.replace("{{" + key + "}}", html.escape(value))
    return html_response(page)


def _register(path: str, name: str) -> None:
    async def handler(request: Request) -> HTTPResponse:
        return render(request, name)

    pages.add_route(handler, path, methods=["GET", "HEAD"], name=name.replace(".", "_"))


for _path, _name in PAGES.items():
    _register(_path, _name)
