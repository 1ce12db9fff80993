"""Visitor text is withheld from Rasa's structlog events and redacted from other records."""

import logging

import structlog

from bot.privacy.log_filter import (
    WITHHELD,
    RedactingFilter,
    keep_visitor_text_out_of_logs,
    withhold_visitor_text,
)


def test_fields_rasa_logs_visitor_text_in_are_withheld():
    event = {
        "event": "processor.message.parse",
        "parse_data_text": "I have MS and my name is Jane",
        "parse_data_intent": {"name": "reasonable-adjustments"},
        "slot_values": "\tsubject: jane",
        "rasa_events": [{"event": "user", "text": "hello"}],
    }
    cleaned = withhold_visitor_text(None, "debug", dict(event))
    assert cleaned["parse_data_text"] == cleaned["slot_values"] == WITHHELD
    assert cleaned["rasa_events"] == WITHHELD
    assert cleaned["parse_data_intent"] == {"name": "reasonable-adjustments"}
    assert cleaned["event"] == "processor.message.parse"


def test_other_records_are_redacted():
    record = logging.LogRecord(
        "rasa.core.actions.action",
        logging.DEBUG,
        __file__,
        1,
        "Validating extracted slots: %s",
        ({"email": "jane@example.com"},),
        None,
    )
    assert RedactingFilter().filter(record)
    message = record.getMessage()
    assert "jane@example.com" not in message and "[email address]" in message
    plain = logging.LogRecord("x", logging.INFO, __file__, 1, "no visitor text", (), None)
    RedactingFilter().filter(plain)
    assert plain.getMessage() == "no visitor text"


def test_installed_once_in_the_chain_and_on_the_handlers(caplog):
    root = logging.getLogger()
    handler = logging.StreamHandler()
    root.addHandler(handler)
    saved = structlog.get_config()
    try:
        structlog.configure(
            processors=[structlog.processors.JSONRenderer()],
            logger_factory=structlog.stdlib.LoggerFactory(),
            wrapper_class=structlog.make_filtering_bound_logger(logging.DEBUG),
            cache_logger_on_first_use=True,
        )
        logger = structlog.get_logger("rasa.core.processor")
        keep_visitor_text_out_of_logs()
        keep_visitor_text_out_of_logs()
        processors = structlog.get_config()["processors"]
        assert (
            processors.count(withhold_visitor_text) == 1 and processors[0] is withhold_visitor_text
        )
        assert sum(isinstance(f, RedactingFilter) for f in handler.filters) == 1
        with caplog.at_level(logging.DEBUG):
            logger.debug("processor.message.parse", parse_data_text="I'm pregnant, jane@x.com")
        assert "pregnant" not in caplog.text and "jane@x.com" not in caplog.text
        assert WITHHELD in caplog.text
    finally:
        root.removeHandler(handler)
        structlog.configure(**saved)
