"""The one piece of a client's message metadata the assistant keeps: the chosen language.

The widget sends the language the visitor chose with every message, `{"lang": "cy"}`
(REST: the body's `metadata`; socket.io: the `user_uttered` event's `metadata`). It is
the conversation's language until a message says otherwise, and the language of a
message that cannot tell ("ok", a name, a button). Anything else in the metadata is
dropped, so nothing a client sends but its text and this choice is stored.
"""

from __future__ import annotations

from typing import Any

LANG = "lang"
LANGUAGES = ("en", "cy")


def kept_metadata(metadata: Any) -> dict[str, str] | None:
    """`{"lang": "cy"}` or `{"lang": "en"}` from a client's metadata, else None."""
    lang = metadata.get(LANG) if isinstance(metadata, dict) else None
    return {LANG: lang} if lang in LANGUAGES else None
