"""The recruiter console under /console/ (see views.py and web/README.md)."""

from web.console.views import console

__all__ = ["console"]
