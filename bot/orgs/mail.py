"""E-mail, the second channel for organisations without Telegram (SMTP via aiosmtplib).

A digest goes as one message: the plain-text digest as the body, the CSV and the chart as
attachments. Addresses are bound to an organisation by the operator
(``python main.py org email ORG_ID ADDRESS``), never taken from the public directory: a
public contact box is not a place for tips.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import aiosmtplib

from bot.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Attachment:
    name: str
    content: bytes
    mime: str  # "text/csv", "image/png"


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    host: str
    port: int
    sender: str
    username: str | None
    password: str | None
    security: str  # "starttls", "tls" or "none"
    timeout: float = 30.0

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpConfig | None:
        if not settings.smtp_host:
            return None
        security = settings.smtp_security
        port = settings.smtp_port or {"tls": 465, "starttls": 587}.get(security, 25)
        return cls(host=settings.smtp_host, port=port,
                   sender=settings.smtp_from or f"safe-work-bot@{settings.smtp_host}",
                   username=settings.smtp_username,
                   password=settings.smtp_password.get_secret_value()
                   if settings.smtp_password else None,
                   security=security)


def compose(sender: str, to: str, subject: str, body: str,
            attachments: Sequence[Attachment] = ()) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(body, charset="utf-8")
    for item in attachments:
        maintype, _, subtype = item.mime.partition("/")
        message.add_attachment(item.content, maintype=maintype, subtype=subtype,
                               filename=item.name)
    return message


class Mailer:
    def __init__(self, config: SmtpConfig) -> None:
        self._config = config

    async def send(self, to: str, subject: str, body: str,
                   attachments: Sequence[Attachment] = ()) -> None:
        """Raises on failure (the digest stays unsent in the ledger and goes again)."""
        config = self._config
        message = compose(config.sender, to, subject, body, attachments)
        await aiosmtplib.send(
            message, hostname=config.host, port=config.port, username=config.username,
            password=config.password, use_tls=config.security == "tls",
            start_tls=config.security == "starttls",
            timeout=config.timeout)
        log.info("mail.sent attachments=%d", len(attachments))
