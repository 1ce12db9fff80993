"""The recruiter console over HTTP, as a browser uses it (for the benchmark and tests)."""

from __future__ import annotations

import re

import pyotp
import requests


def setup_key(page: str) -> str:
    """The authenticator secret shown as text on the set-up page."""
    return re.search(r'id="setup-key">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")


def csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def submit_password(
    session: requests.Session, url: str, email: str, password: str
) -> requests.Response:
    """The sign-in form's first step: a redirect (303) to the code's step if accepted."""
    form = session.get(f"{url}/console/sign-in", timeout=30).text
    token = re.search(r'name="signin_token" value="([^"]+)"', form).group(1)
    return session.post(
        f"{url}/console/sign-in",
        data={"email": email, "password": password, "signin_token": token},
        allow_redirects=False,
        timeout=30,
    )


def sign_in(
    url: str, email: str, password: str, totp_secret: str | None = None
) -> tuple[requests.Session, requests.Response]:
    """Sign in through the console's forms, as a browser would: the password, then the code
    from an authenticator app with ``totp_secret``, or, for an account that has none yet,
    the set-up page's own secret (kept as ``session.totp_secret``). The session and the
    last answer (a redirect once signed in; the recovery codes page after setting up)."""
    session = requests.Session()
    session.totp_secret = totp_secret
    response = submit_password(session, url, email, password)
    if response.status_code != 303:
        return session, response
    step = response.headers["location"]
    page = session.get(url + step, timeout=30).text
    if step.startswith("/console/sign-in/set-up"):
        session.totp_secret = setup_key(page)
    response = session.post(
        url + step.split("?")[0],
        data={
            "code": pyotp.TOTP(session.totp_secret).now(),
            "csrf_token": csrf_token(page),
            "next": re.search(r'name="next" value="([^"]*)"', page).group(1),
        },
        allow_redirects=False,
        timeout=30,
    )
    return session, response
