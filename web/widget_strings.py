"""The widget's own words in English and Welsh, from the knowledge file's `widget-` labels.

The widget asks for them once when it loads (GET /api/strings), so no word it shows is
written in its JavaScript, and the Welsh is reviewed and listed (`make check-knowledge`)
like every other Welsh text.
"""

from __future__ import annotations

from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema import MONTHS
from bot.knowledge.welsh import LANGUAGES, MISOEDD, WELSH

PREFIX = "widget-"
MONTH_NAMES = {"en": list(MONTHS), WELSH: list(MISOEDD)}


def widget_strings(kb: KnowledgeBase) -> dict[str, dict[str, object]]:
    """{"en": {"launcher": ..., "months": [...]}, "cy": {...}}: the labels without the prefix."""
    keys = sorted(key for key in kb.labels if key.startswith(PREFIX))
    return {
        lang: {
            **{key.removeprefix(PREFIX): kb.label(key, lang).text for key in keys},
            "months": MONTH_NAMES[lang],
            # beside a link to a page that has no Welsh version: "(Saesneg)"
            "in-english": kb.label("source-in-english", lang).text,
            "handoff-heading": kb.label("handoff-button", lang).text,
        }
        for lang in LANGUAGES
    }
