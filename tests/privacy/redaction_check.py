"""The check every example test makes: the exact redacted text, the kinds, a fixed point."""

from bot.privacy import Redaction, redact


def check(text: str, expected: str, kinds) -> Redaction:
    result = redact(text)
    assert result.text == expected
    assert result.kinds == frozenset(kinds)
    assert redact(result.text).text == result.text  # every result is a fixed point
    return result
