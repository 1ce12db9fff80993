"""Email to visitors: recruiters' replies to questions sent to the recruitment team.

With ``SMTP_HOST`` set, each message goes out through that server (``SMTP_PORT``,
``SMTP_USER`` and ``SMTP_PASSWORD`` if it needs a sign-in, ``SMTP_TLS``: ``starttls``,
the default, ``ssl`` or ``none``, for a relay on the same host only). Without it, as
`make run` starts on one machine, each message is written as an ``.eml`` file to
``MAIL_OUTBOX`` (``var/outbox/``), readable by this user only, so nothing needs a mail
server. Messages are plain text; the recipient is the address the visitor gave for that
request and nothing else.
"""

from __future__ import annotations

import os
import smtplib
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from bot.limits.settings import SettingsError, env_int
from bot.ops import PROJECT_ROOT

DEFAULT_OUTBOX = PROJECT_ROOT / "var" / "outbox"
DEFAULT_FROM = "CPS careers assistant <no-reply@localhost>"
TLS_MODES = ("starttls", "ssl", "none")
TIMEOUT = 20  # seconds to wait for the mail server


class MailError(Exception):
    """The message could not be sent; the reason is safe to show a recruiter."""


@dataclass(frozen=True)
class MailSettings:
    host: str | None = None
    port: int = 587
    user: str | None = None
    password: str | None = None
    sender: str = DEFAULT_FROM
    tls: str = "starttls"
    outbox: Path = DEFAULT_OUTBOX

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> MailSettings:
        env = os.environ if env is None else env
        tls = (env.get("SMTP_TLS") or "starttls").strip().lower()
        if tls not in TLS_MODES:
            raise SettingsError(f"SMTP_TLS: {tls!r} is not one of {', '.join(TLS_MODES)}")
        default_port = {"starttls": 587, "ssl": 465, "none": 25}[tls]
        sender = (env.get("SMTP_FROM") or DEFAULT_FROM).strip()
        if "\n" in sender or "\r" in sender:
            raise SettingsError("SMTP_FROM must be one line")
        return cls(
            host=(env.get("SMTP_HOST") or "").strip() or None,
            port=env_int(env, "SMTP_PORT", default_port, 1, 65535),
            user=env.get("SMTP_USER") or None,
            password=env.get("SMTP_PASSWORD") or None,
            sender=sender,
            tls=tls,
            outbox=Path(env.get("MAIL_OUTBOX") or DEFAULT_OUTBOX),
        )

    @property
    def where(self) -> str:
        """Where messages go, in words for a recruiter."""
        return f"the mail server {self.host}" if self.host else f"the outbox folder {self.outbox}"


def plain_message(settings: MailSettings, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=_domain(settings.sender))
    message.set_content(body)  # text/plain, UTF-8: nothing in it is ever read as HTML
    return message


def send(settings: MailSettings, message: EmailMessage) -> str:
    """Send ``message`` (blocking: call it from a thread). Where it went, or MailError."""
    if settings.host is None:
        return _write_to_outbox(settings.outbox, message)
    try:
        if settings.tls == "ssl":
            smtp = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=TIMEOUT, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT)
        with smtp:
            if settings.tls == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if settings.user:
                smtp.login(settings.user, settings.password or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        # The server's reply and our settings only: never the recipient's address.
        raise MailError(f"{settings.where} did not accept it ({type(error).__name__})") from None
    return settings.where


def _write_to_outbox(outbox: Path, message: EmailMessage) -> str:
    try:
        outbox.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = outbox / f"{time.strftime('%Y%m%d-%H%M%S', time.gmtime())}-{time.time_ns()}.eml"
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(message.as_bytes())
    except OSError as error:
        raise MailError(
            f"the outbox folder {outbox} could not be written ({error.strerror})"
        ) from None
    return f"the outbox folder {outbox}"


def _domain(address: str) -> str:
    tail = address.rsplit("@", 1)[-1]
    return tail.strip(" >") or "localhost"
