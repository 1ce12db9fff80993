"""The recruiter console under /console/ (see common.py and web/README.md)."""

from web.console import (  # noqa: F401 (their routes)
    accounts_page,
    answers_page,
    improve,
    models_page,
    requests_page,
    safeguarding,
    sign_in,
    unanswered_page,
    views,
)
from web.console.common import console

__all__ = ["console"]
