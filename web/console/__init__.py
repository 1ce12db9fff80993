"""The recruiter console under /console/ (see common.py and web/README.md)."""

from web.console import accounts_page, sign_in, views  # noqa: F401 (their routes)
from web.console.common import console

__all__ = ["console"]
