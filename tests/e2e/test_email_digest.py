"""E-mail as the second channel, against a real SMTP server (aiosmtpd) on 127.0.0.1: the
operator binds an address, `digest send --now` mails the digest with its CSV and chart
once, an urgent tip is mailed at once, and a server that cannot encrypt gets nothing."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from bot.app import build_app
from bot.settings import Settings
from tests.e2e.test_analyze_cli import ROOT
from tests.helpers.clock import Clock
from tests.unit.test_digest_languages import IDS
from tests.unit.test_tips_store import tip

ADDRESS = "staff@example.org"


@dataclass
class Inbox:
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)  # addresses the server does not know

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address in self.refused:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    box = Inbox(_free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


def main_py(data: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("SMTP_", "TELEGRAM_"))}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=data.parent,
                          env={**clean, "DATA_DIR": str(data), **env}, capture_output=True,
                          text=True, timeout=120, check=False)


def _smtp(inbox: Inbox, security: str = "none") -> dict[str, str]:
    return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(inbox.port),
            "SMTP_SECURITY": security, "SMTP_FROM": "bot@example.org"}


async def _save(data: Path, *drafts: str) -> None:
    app = await build_app(Settings(data_dir=data), clock=Clock())
    try:
        store = app.runtime._performer._store  # type: ignore[attr-defined]
        for draft in drafts:
            await store.save(tip(draft), "h" + draft, "k", 9)
    finally:
        await app.close()


async def test_a_digest_is_mailed_once_with_its_csv_and_chart(tmp_path: Path,
                                                              inbox: Inbox) -> None:
    data = tmp_path / "data"
    await _save(data, "a", "b")
    bound = main_py(data, "org", "email", "id-sapa-129", ADDRESS)
    assert bound.returncode == 0 and "added" in bound.stdout
    assert "SMTP_HOST is not set" in bound.stderr  # the operator is told it will wait
    assert main_py(data, "org", "email", "id-sapa-129", "not-an-address").returncode == 1

    waiting = main_py(data, "digest", "send", "--now")  # no SMTP yet: nothing is lost
    assert waiting.returncode == 0 and "0 tips sent" in waiting.stdout

    sent = main_py(data, "digest", "send", "--now", **_smtp(inbox))
    assert sent.returncode == 0, sent.stderr
    assert "id-sapa-129: 2 tips" in sent.stdout
    (mail,) = inbox.messages
    assert mail["To"] == ADDRESS and mail["From"] == "bot@example.org"
    assert "SAPA" in mail["Subject"] and "2" in mail["Subject"]
    body = mail.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "T-2611-0001" in text and "T-2611-0002" in text and "Lowongan aneh" in text
    assert "<b>" not in text and "*" not in text  # plain text, not Telegram's markup
    assert "/claim" not in text  # chat commands mean nothing in an e-mail
    # In the organisation's language, by names, never by internal ids.
    assert "Perdagangan orang atau tawaran mencurigakan 2" in text
    assert "Pekerjaan tidak jelas, tanpa nama pemberi kerja" in text
    assert "risiko sedang" in text and not IDS.search(text)
    files = {part.get_filename(): part for part in mail.iter_attachments()}
    csv_name = next(n for n in files if n and n.endswith(".csv"))
    png_name = next(n for n in files if n and n.endswith(".png"))
    assert files[csv_name].get_content_type() == "text/csv"
    csv = files[csv_name].get_payload(decode=True)
    assert csv.startswith("\ufeff".encode()) and b"T-2611-0002" in csv
    assert files[png_name].get_payload(decode=True).startswith(b"\x89PNG")

    again = main_py(data, "digest", "send", "--now", **_smtp(inbox))
    assert again.returncode == 0 and len(inbox.messages) == 1  # the ledger says: sent

    removed = main_py(data, "org", "email", "id-sapa-129", ADDRESS, "--remove")
    assert "removed" in removed.stdout


async def test_no_tip_goes_out_unencrypted_unless_the_operator_says_so(
        tmp_path: Path, inbox: Inbox) -> None:
    data = tmp_path / "data"
    await _save(data, "a")
    assert main_py(data, "org", "email", "id-sapa-129", ADDRESS).returncode == 0
    # The default is STARTTLS; this server offers none, so the send fails and waits.
    refused = main_py(data, "digest", "send", "--now", **_smtp(inbox, "starttls"))
    assert refused.returncode == 1 and "failed, kept for the next run" in refused.stdout
    assert "digests.failed org=id-sapa-129" in refused.stderr and inbox.messages == []
    retried = main_py(data, "digest", "send", "--now", **_smtp(inbox))
    assert retried.returncode == 0 and "id-sapa-129: 1 tips" in retried.stdout
    assert len(inbox.messages) == 1


async def test_an_urgent_tip_is_mailed_at_once(tmp_path: Path, inbox: Inbox) -> None:
    data = tmp_path / "data"
    settings = Settings(data_dir=data, smtp_host="127.0.0.1", smtp_port=inbox.port,
                        smtp_security="none")
    app = await build_app(settings, clock=Clock())
    try:
        inbox.refused.add("gone@example.org")  # a dead address comes first…
        assert await app.orgs.bind("id-sapa-129", "email", "gone@example.org")
        assert await app.orgs.bind("id-sapa-129", "email", ADDRESS)
        store = app.runtime._performer._store  # type: ignore[attr-defined]
        saved = await store.save(tip("u"), "hu", "k", 9)
        await app.digests.alert(saved.tip_id)
    finally:
        await app.close()
    (mail,) = inbox.messages  # …and does not keep the alert from the live one
    assert mail["To"] == ADDRESS
    body = mail.get_body(("plain",))
    assert body is not None and "T-2611-0001" in body.get_content()
    assert mail["Subject"].startswith("LAPORAN MENDESAK")  # the organisation's language
