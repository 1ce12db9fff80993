"""Keep what visitors type out of the logs, whatever the log level.

At DEBUG, Rasa 3.6 logs the parsed text, the entities, the slot values and whole events
of every message through structlog ("processor.message.parse" with ``parse_data_text``,
"processor.slots.log" with ``slot_values``, "processor.actions.log" with ``rasa_events``
...). Rasa names those fields itself, for the anonymisation its commercial edition plugs
in (``rasa.utils.log_utils._anonymizer``, which does nothing in Rasa Open Source).
:func:`keep_visitor_text_out_of_logs` does two things, once per process:

* puts :func:`withhold_visitor_text` first in the structlog chain Rasa configured: the
  value of each of those fields becomes ``[withheld]``. The chain is changed in place,
  because loggers Rasa has already used keep a reference to that same list;
* adds :class:`RedactingFilter` to the root logger's handlers: any other record (Rasa's
  plain ``logging`` calls, such as "Validating extracted slots: ...") is redacted like a
  stored message.

The tracker store calls it as every Rasa server starts, and the action server when it
loads the actions; tests/privacy/test_log_filter.py and the end-to-end test with
``LOG_LEVEL=DEBUG`` (tests/console/test_redaction_end_to_end.py) check it.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.privacy.redaction import redact

WITHHELD = "[withheld]"

# The fields in which Rasa 3.6 logs what a visitor typed (rasa/utils/log_utils.py).
VISITOR_TEXT_KEYS = frozenset(
    {
        "text",
        "response_text",
        "user_text",
        "slot_values",
        "parse_data_text",
        "parse_data_entities",
        "prediction_events",
        "tracker_latest_message",
        "prefilled_slots",
        "message",
        "response",
        "slot_candidates",
        "rasa_event",
        "rasa_events",
        "tracker_states",
        "current_states",
        "old_states",
        "successes",
        "current_entity",
        "next_entity",
        "states",
        "entity",
        "token_text",
        "user_message",
        "json_message",
    }
)


def withhold_visitor_text(_logger: Any, _method: str, event_dict: dict[str, Any]) -> dict:
    """A structlog processor: the fields that can hold visitor text are withheld."""
    for key in VISITOR_TEXT_KEYS.intersection(event_dict):
        event_dict[key] = WITHHELD
    return event_dict


class RedactingFilter(logging.Filter):
    """Redacts personal details from any log record's message, as the tracker store does."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it to the handler to report
            return True
        cleaned = redact(message).text
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


_FILTER = RedactingFilter()


def keep_visitor_text_out_of_logs() -> None:
    """Install both protections (idempotent)."""
    try:
        import structlog
    except ModuleNotFoundError:  # the action server's image: rasa-sdk logs through logging
        structlog = None
    if structlog is not None:
        processors = structlog.get_config()["processors"]
        if withhold_visitor_text not in processors:
            processors.insert(0, withhold_visitor_text)
    for handler in logging.getLogger().handlers:
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)
