"""Personal data typed by visitors: redaction (redaction.py), the notice that tells the
visitor once that it was removed (notice.py), and special-category statements that make
a conversation sensitive (special_category.py)."""

from bot.privacy.notice import needs_notice
from bot.privacy.redaction import PII_KINDS, PLACEHOLDERS, Redaction, redact
from bot.privacy.special_category import SPECIAL_CATEGORIES, special_categories

__all__ = [
    "PII_KINDS",
    "PLACEHOLDERS",
    "SPECIAL_CATEGORIES",
    "Redaction",
    "needs_notice",
    "redact",
    "special_categories",
]
