"""The recruiter console over HTTP, as a browser uses it (for the benchmark and tests)."""

from __future__ import annotations

import re

import requests


def sign_in(url: str, email: str, password: str) -> tuple[requests.Session, requests.Response]:
    """Sign in through the console's form, as a browser would; the session and the answer."""
    session = requests.Session()
    form = session.get(f"{url}/console/sign-in", timeout=30).text
    token = re.search(r'name="signin_token" value="([^"]+)"', form).group(1)
    response = session.post(
        f"{url}/console/sign-in",
        data={"email": email, "password": password, "signin_token": token},
        allow_redirects=False,
        timeout=30,
    )
    return session, response
