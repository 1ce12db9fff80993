"""Security headers on every response, and CORS for the API limited to configured origins.

CORS is done by hand (a dozen lines) so the rules are visible: only listed
origins, or the app's own, may call the API from a browser; anything else is
refused on the server too, because CORS alone does not stop a "simple" POST.
"""

from __future__ import annotations

from collections.abc import Iterable

from sanic import Request
from sanic.response import HTTPResponse

# The demo pages run only our own files: no inline script or style, nothing from elsewhere.
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
# Everything that is not a page (API answers, the widget files) needs to do nothing at all.
DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'"

COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


def own_origin(request: Request) -> str:
    return f"{request.scheme}://{request.host}".lower()


def origin_allowed(request: Request, allowed: Iterable[str]) -> bool:
    """Requests without an Origin (curl, same-origin GETs) are not from another site."""
    origin = request.headers.get("origin")
    return origin is None or origin.lower() in (*allowed, own_origin(request))


def add_security_headers(request: Request, response: HTTPResponse) -> None:
    for name, value in COMMON_HEADERS.items():
        response.headers.setdefault(name, value)
    is_page = response.content_type and response.content_type.startswith("text/html")
    response.headers.setdefault("Content-Security-Policy", PAGE_CSP if is_page else DEFAULT_CSP)
    if request.path.startswith("/widget/"):
        # Other sites load the widget's script and stylesheet; let them.
        response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    if request.path.startswith("/api/"):
        response.headers["Cache-Control"] = "no-store"  # conversations are never cached


def add_cors_headers(request: Request, response: HTTPResponse, allowed: Iterable[str]) -> None:
    origin: str | None = request.headers.get("origin")
    response.headers["Vary"] = "Origin"
    if origin and origin_allowed(request, allowed):
        response.headers["Access-Control-Allow-Origin"] = origin
        if request.method == "OPTIONS":
            response.headers["Access-Control-Allow-Methods"] = "POST"
            response.headers["Access-Control-Allow-Headers"] = "Content-Type"
            response.headers["Access-Control-Max-Age"] = "600"
