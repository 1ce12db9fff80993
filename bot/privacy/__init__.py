"""Personal-data redaction for everything a visitor types (see redaction.py)."""

from bot.privacy.notice import sensitive_notice
from bot.privacy.redaction import (
    PII_KINDS,
    PLACEHOLDERS,
    SENSITIVE_KINDS,
    Redaction,
    redact,
)

__all__ = [
    "PII_KINDS",
    "PLACEHOLDERS",
    "SENSITIVE_KINDS",
    "Redaction",
    "redact",
    "sensitive_notice",
]
