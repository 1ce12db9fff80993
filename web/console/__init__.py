"""The recruiter console under /console/ (see common.py and web/README.md)."""

from web.console import accounts_page, answers_page, improve, sign_in, views  # noqa: F401
from web.console.common import console

__all__ = ["console"]
