"""Personal details sent through the running assistant never reach its database or logs.

The `assistant` fixture runs Rasa with endpoints.yml, so the redacting tracker
store is the one in use; the test reads its SQLite `events` table directly.
"""

from __future__ import annotations

import sqlite3
import uuid

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.model]

MESSAGES = {
    "jane.doe@example.com": "my email is jane.doe@example.com, what does a prosecutor earn?",
    "07700 900123": "can someone call me on 07700 900123 about the legal trainee scheme",
    "QQ 12 34 56 C": "my national insurance number is QQ 12 34 56 C",
    "4111 1111 1111 1111": "can I pay with 4111 1111 1111 1111",
    "SW1A 1AA": "I live at SW1A 1AA, is there an office near me?",
    "Priya Chaudhry": "my name is Priya Chaudhry and I want to be a paralegal",
    "14/07/1990": "I was born on 14/07/1990, am I too old to apply?",
    "01AB1234567": "my case is 01AB1234567 and I was the victim, can I still apply?",
    "12/34567/21": "the crime reference was 12/34567/21, does that matter for vetting?",
    "MORGA753116SM9IJ": "my licence is MORGA753116SM9IJ, do I need to drive?",
    "sarah jones": "im sarah jones, what does a paralegal earn?",
    "10 Downing Street": "my address is 10 Downing Street, which office is nearest?",
    "third of March 1990": "I was born on the third of March 1990, can I apply?",
}
SENSITIVE = "I have multiple sclerosis, can I get adjustments at interview?"


def test_personal_details_never_reach_the_database_or_the_logs(assistant):
    check_database_and_logs(assistant)


def test_nothing_typed_reaches_the_logs_at_debug_level(start_assistant):
    """At DEBUG, Rasa logs parsed text, entities and slots: withheld (bot/privacy/log_filter.py)."""
    with start_assistant("debug-logs", {"LOG_LEVEL": "DEBUG"}) as debugging:
        check_database_and_logs(debugging)
        debugging.send(uuid.uuid4().hex, SENSITIVE)
        logs = debugging.rasa_service.log_path.read_text(errors="replace")
    assert "processor.message.parse" in logs, "Rasa did log at DEBUG"
    assert "[withheld]" in logs
    assert "multiple sclerosis" not in logs


def check_database_and_logs(assistant) -> None:
    sender = uuid.uuid4().hex
    for message in MESSAGES.values():
        assistant.send(sender, message)
    database = assistant.rasa_service.env["TRACKER_DB"]
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT type_name, data FROM events WHERE sender_id = ?", (sender,)
        ).fetchall()
        everything = "\n".join(
            str(value) for row in connection.execute("SELECT * FROM events") for value in row
        )
    user_rows = [data for kind, data in rows if kind == "user"]
    assert len(user_rows) == len(MESSAGES), "every message was stored (redacted)"
    for raw in MESSAGES:
        assert raw not in everything, f"{raw!r} reached the database"
    assert "[email address]" in everything and "[national insurance number]" in everything
    assert "[name]" in everything and "[card number]" in everything
    assert "[case reference]" in everything and "[police reference]" in everything
    logs = assistant.rasa_service.log_path.read_text(errors="replace")
    logs += assistant.actions_service.log_path.read_text(errors="replace")
    for raw in MESSAGES:
        assert raw not in logs, f"{raw!r} reached a server log"
