"""Where replies to visitors go: the outbox by default, an SMTP server when SMTP_HOST is set,
and settings that cannot work are refused at start-up."""

from __future__ import annotations

import pytest

from bot.limits.settings import SettingsError
from web.mail import DEFAULT_OUTBOX, MailSettings, plain_message


def test_without_a_mail_server_replies_go_to_the_outbox():
    settings = MailSettings.from_env({})
    assert (settings.host, settings.outbox) == (None, DEFAULT_OUTBOX)
    assert DEFAULT_OUTBOX.parts[-2:] == ("var", "outbox")


def test_the_port_follows_the_kind_of_tls():
    assert MailSettings.from_env({"SMTP_HOST": "mail.example"}).port == 587
    assert MailSettings.from_env({"SMTP_HOST": "mail.example", "SMTP_TLS": "ssl"}).port == 465
    chosen = MailSettings.from_env({"SMTP_HOST": "mail.example", "SMTP_PORT": "2525"})
    assert (chosen.port, chosen.tls) == (2525, "starttls")


@pytest.mark.parametrize(
    "env",
    [{"SMTP_TLS": "maybe"}, {"SMTP_PORT": "0"}, {"SMTP_FROM": "a@example.org\nBcc: b@example.org"}],
)
def test_settings_that_cannot_work_are_refused(env):
    with pytest.raises(SettingsError):
        MailSettings.from_env(env)


def test_a_message_is_plain_text_to_one_address():
    message = plain_message(MailSettings(), "visitor@example.org", "Subject", "<b>Hi</b>\n")
    assert message["To"] == "visitor@example.org"
    assert message.get_content_type() == "text/plain"
    assert message.get_content() == "<b>Hi</b>\n"
