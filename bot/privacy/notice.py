"""When to tell a visitor that personal details they typed were removed.

Follows the GDS user-support model (say what we did, and that there is no need to share
such details), but once per conversation and gently: the wording is the knowledge file's
`conversation` reply `personal-details-removed`. Independent of rasa-sdk, so any action
can use it (``bot.actions.replies.Reply.send`` does)::

    if needs_notice(latest_text, earlier_replies, notice_text):
        dispatcher.utter_message(text=notice_text)

The tracker store (``bot.storage.tracker_store``) is what keeps the details out of the
database; this only tells the visitor.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.privacy.redaction import redact


def needs_notice(text: str | None, earlier_replies: Iterable[str | None], notice: str) -> bool:
    """True if ``text`` holds personal details and ``notice`` was not said before."""
    if not text or not redact(text).changed:
        return False
    return all(reply != notice for reply in earlier_replies)
