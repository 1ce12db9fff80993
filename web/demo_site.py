"""The demo careers site: a few plain pages that embed the widget exactly as a real site would,
and the transparency pages a public body publishes for a tool like this. The home page is in
English and in Welsh (/cy/, where the widget starts in Welsh); every page shares one base
template (pages/base.html) for its head, navigation, footer and the widget.

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

# The site's own words in each language: navigation, footer and the parts of every page.
# The transparency record and the accuracy page are in English only, and the Welsh footer
# says so; the others have a Welsh translation (TRANSLATED).
SITES = {
    "en": {
        "lang": "en-GB",
        "home": "/",
        "privacy": "/privacy",
        "name": "CPS Careers",
        "skip_link": "Skip to main content",
        "navigation_label": "Main",
        "footer_label": "About the careers assistant",
        "banner": "This is a demonstration page for the careers assistant. "
        "It is not the Crown Prosecution Service website.",
        "navigation": (
            ("/", "Careers home"),
            ("/pay-and-benefits", "Pay and benefits"),
            ("/privacy", "Privacy"),
        ),
        "about_the_assistant": (
            ("/privacy", "Privacy notice for the careers assistant"),
            ("/accessibility", "Accessibility statement"),
            ("/algorithmic-transparency", "Algorithmic transparency record"),
            ("/accuracy", "How accurate the careers assistant is"),
        ),
        "other": {"path": "/cy/", "lang": "cy", "label": "Cymraeg"},
    },
    "cy": {
        "lang": "cy",
        "home": "/cy/",
        "privacy": "/cy/privacy",
        "name": "Gyrfaoedd CPS",
        "skip_link": "Neidio i'r prif gynnwys",
        "navigation_label": "Prif",
        "footer_label": "Am y cynorthwyydd gyrfaoedd",
        "banner": "Tudalen arddangos ar gyfer y cynorthwyydd gyrfaoedd yw hon. "
        "Nid gwefan Gwasanaeth Erlyn y Goron yw hi.",
        "navigation": (
            ("/cy/", "Hafan gyrfaoedd"),
            ("/pay-and-benefits", "Cyflog a buddion (Saesneg)"),
            ("/cy/privacy", "Preifatrwydd"),
        ),
        "about_the_assistant": (
            ("/cy/privacy", "Hysbysiad preifatrwydd y cynorthwyydd gyrfaoedd"),
            ("/cy/accessibility", "Datganiad hygyrchedd"),
            ("/algorithmic-transparency", "Cofnod tryloywder algorithmig (Saesneg)"),
            ("/accuracy", "Pa mor gywir yw'r cynorthwyydd gyrfaoedd (Saesneg)"),
        ),
        "other": {"path": "/", "lang": "en-GB", "label": "English"},
    },
}
# The pages that exist in both languages, as {language: path}; the others are English only.
TRANSLATED = (
    {"en": "/", "cy": "/cy/"},
    {"en": "/privacy", "cy": "/cy/privacy"},
    {"en": "/accessibility", "cy": "/cy/accessibility"},
    {"en": "/ask-the-recruitment-team", "cy": "/cy/ask-the-recruitment-team"},
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
# path: (template, what it shows beyond the site's words, the language it is written in)
PAGES: dict[str, tuple[str, Context | None, str]] = {
    "/": ("index.html", None, "en"),
    "/cy/": ("cy/index.html", None, "cy"),
    "/pay-and-benefits": ("pay-and-benefits.html", None, "en"),
    "/privacy": ("privacy.html", retention, "en"),
    "/cy/privacy": ("cy/privacy.html", retention, "cy"),
    "/accessibility": ("accessibility.html", facts, "en"),
    "/cy/accessibility": ("cy/accessibility.html", facts, "cy"),
    "/algorithmic-transparency": ("algorithmic-transparency.html", transparency_record, "en"),
    "/accuracy": ("accuracy.html", evaluation, "en"),
    "/ask-the-recruitment-team": ("ask-the-recruitment-team.html", None, "en"),
    "/cy/ask-the-recruitment-team": ("cy/ask-the-recruitment-team.html", None, "cy"),
}

pages = Blueprint("pages")


def versions(path: str) -> dict[str, str]:
    """{hreflang: path} of a page that exists in more than one language, else {}."""
    for translated in TRANSLATED:
        if path in translated.values():
            return {SITES[lang]["lang"]: there for lang, there in translated.items()}
    return {}


def render(
    request: Request, name: str, context: Context | None = None, lang: str = "en", path: str = "/"
) -> HTTPResponse:
    page = templates.get_template(name).render(
        widget_origin=widget_origin(request),
        current=path,
        site={**SITES[lang], "versions": versions(path)},
        **(context(request) if context else {}),
    )
    return html_response(page)


def _register(path: str, name: str, context: Context | None, lang: str) -> None:
    async def handler(request: Request) -> HTTPResponse:
        return render(request, name, context, lang, path)

    route_name = name.replace(".", "_").replace("/", "_")
    pages.add_route(handler, path, methods=["GET", "HEAD"], name=route_name)


for _path, (_name, _context, _lang) in PAGES.items():
    _register(_path, _name, _context, _lang)
