"""What the assistant says when a visitor typed a National Insurance or card number.

Follows the GDS user-support model: say what we did (it was not kept) and ask
them not to share such details. Independent of rasa-sdk, so any action can use it::

    notice = sensitive_notice(tracker.latest_message.get("text"))
    if notice:
        dispatcher.utter_message(text=notice)

The tracker store (bot.storage.tracker_store) is what actually keeps the number
out of the database; this only tells the visitor.
"""

from __future__ import annotations

from bot.privacy.patterns import CARD_NUMBER, NATIONAL_INSURANCE
from bot.privacy.redaction import redact

WHAT = {
    NATIONAL_INSURANCE: "National Insurance number",
    CARD_NUMBER: "card number",
}


def sensitive_notice(text: str | None) -> str | None:
    """The notice to show, or None if ``text`` holds no NI or card number."""
    if not text:
        return None
    found = redact(text).kinds
    what = [label for kind, label in WHAT.items() if kind in found]
    if not what:
        return None
    return (
        f"You typed what looks like a {' and a '.join(what)}. "
        f"We have not kept {'it' if len(what) == 1 else 'them'}. "
        "Please do not share National Insurance numbers, card details or other "
        "personal details here: the careers assistant does not need them."
    )
