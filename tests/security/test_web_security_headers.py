"""Every response of the web app carries the security headers: pages, widget files,
the JSON API (answers and errors), the recruiter console and its files, and 404s.

The expected values are written out here rather than imported from web.security, so
a weakened policy there fails this test.
"""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

import pytest
import requests

pytestmark = pytest.mark.e2e

CONVERSATION = "0123456789abcdef0123456789abcdef"
MESSAGES = "/api/messages"
JSON = {"Content-Type": "application/json"}
CROSS_SITE = {"Origin": "https://evil.example"}
REFERRER_POLICIES = ("strict-origin-when-cross-origin", "no-referrer", "same-origin")


def said(message: str, conversation: str = CONVERSATION) -> dict:
    return {"conversation": conversation, "message": message}


# (method, path, body, headers, expected status): one of each kind of response.
ROUTES = [
    ("GET", "/", None, {}, 200),
    ("HEAD", "/", None, {}, 200),
    ("GET", "/pay-and-benefits", None, {}, 200),
    ("GET", "/privacy", None, {}, 200),
    ("GET", "/favicon.ico", None, {}, 204),
    ("GET", "/widget/widget.js", None, {}, 200),
    ("GET", "/widget/widget.css", None, {}, 200),
    ("GET", "/assets/site.css", None, {}, 200),
    ("POST", MESSAGES, said("hello"), JSON, 200),
    ("POST", MESSAGES, said(""), JSON, 400),
    ("POST", MESSAGES, "message=hi", {}, 415),
    ("POST", MESSAGES, said("x" * 200_000), JSON, 413),
    ("POST", MESSAGES, said("hi", "bad-id"), JSON, 400),
    ("POST", f"/api/conversations/{CONVERSATION}/messages", said("hi"), JSON, 410),
    ("POST", "/api/transcript", {"conversation": CONVERSATION}, JSON, 200),
    ("POST", MESSAGES, said("hi"), {**JSON, **CROSS_SITE}, 403),
    ("OPTIONS", MESSAGES, None, {**CROSS_SITE, "Access-Control-Request-Method": "POST"}, 204),
    ("GET", MESSAGES, None, {}, 405),
    ("GET", "/console/sign-in", None, {}, 200),
    ("GET", "/console/", None, {}, 303),
    ("GET", "/console/conversations", None, {}, 303),
    ("POST", "/console/sign-in", None, {}, 403),
    ("GET", "/console/govuk/govuk-frontend.min.css", None, {}, 200),
    ("GET", "/console/static/console.css", None, {}, 200),
    ("GET", "/no-such-page", None, {}, 404),
    ("GET", "/widget/no-such-file.js", None, {}, 404),
    ("GET", "/api/no-such-route", None, {}, 404),
    ("GET", "/console/no-such-page", None, {}, 404),
]

# Ways out of the static folders to files that exist (web/app.py, web/console/views.py,
# /etc/passwd); CVE-2022-35920 was the %2F kind, fixed in the Sanic we pin.
ESCAPES = [
    "/widget/../../app.py",
    "/widget/%2e%2e/%2e%2e/app.py",
    "/widget/..%2f..%2fapp.py",
    "/widget/%2e%2e%2f%2e%2e%2fapp.py",
    "/widget/....//....//app.py",
    "/widget/..%5c..%5capp.py",
    "/assets/..%2f..%2fapp.py",
    "/assets/%252e%252e%252f%252e%252e%252fapp.py",
    "/console/static/..%2fviews.py",
    "/console/static/%2e%2e/views.py",
    "/widget/" + "..%2f" * 8 + "etc%2fpasswd",
    "/widget/%2fetc%2fpasswd",
]


def fetch(base_url: str, method: str, path: str, body, headers) -> requests.Response:
    kwargs = {"data": body} if isinstance(body, str) else {"json": body}
    return requests.request(
        method, base_url + path, headers=headers, allow_redirects=False, timeout=30, **kwargs
    )


def route_id(route) -> str:
    method, path, _, headers, status = route
    return f"{method} {path} {status or ''}{' cross-site' if 'Origin' in headers else ''}"


@pytest.mark.parametrize(
    ("method", "path", "body", "headers", "status"), ROUTES, ids=map(route_id, ROUTES)
)
def test_security_headers_on_every_kind_of_response(
    security_web, method, path, body, headers, status
):
    response = fetch(security_web.url, method, path, body, headers)
    if status is not None:
        assert response.status_code == status, response.text[:200]
    got = response.headers
    assert got.get("X-Content-Type-Options") == "nosniff"
    assert got.get("X-Frame-Options") == "DENY"
    assert got.get("Referrer-Policy") in REFERRER_POLICIES
    assert got.get("Cross-Origin-Opener-Policy") == "same-origin"
    permissions = got.get("Permissions-Policy", "")
    for feature in ("camera", "microphone", "geolocation"):
        assert f"{feature}=()" in permissions
    csp = got.get("Content-Security-Policy", "")
    assert csp.startswith("default-src 'none'") or csp.startswith("default-src 'self'")
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


def csp_directives(csp: str) -> dict[str, str]:
    parts = (part.strip().split(" ", 1) for part in csp.split(";"))
    return {part[0]: part[1] for part in parts if len(part) == 2}


def test_html_pages_run_only_our_own_scripts(security_web):
    for path in ("/", "/privacy", "/console/sign-in"):
        response = requests.get(security_web.url + path, timeout=10)
        directives = csp_directives(response.headers["Content-Security-Policy"])
        assert directives.get("script-src") == "'self'", (path, directives)
        assert directives.get("base-uri") == "'none'", (path, directives)


@pytest.mark.parametrize("path", ESCAPES)
def test_static_files_cannot_be_read_outside_their_folders(security_web, path):
    # http.client sends the path exactly as written (requests would resolve the dots).
    address = urlsplit(security_web.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read().decode(errors="replace")
    finally:
        connection.close()
    assert response.status in (400, 403, 404), (path, response.status)
    for leaked in ("create_app", "signed_in", "def ", "root:x:0:0"):
        assert leaked not in body, path
    assert response.getheader("X-Content-Type-Options") == "nosniff"


def test_conversations_and_console_pages_are_never_cached(security_web):
    answer = fetch(security_web.url, "POST", MESSAGES, said("hello"), JSON)
    sign_in = requests.get(f"{security_web.url}/console/sign-in", timeout=10)
    for response in (answer, sign_in):
        assert "no-store" in response.headers.get("Cache-Control", ""), response.url


def test_the_console_sign_in_cookie_is_httponly_and_strict(security_web):
    response = requests.get(f"{security_web.url}/console/sign-in", timeout=10)
    cookie = response.headers["Set-Cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/console" in cookie
