"""The console chat survives a message that fails: an apology in the user's language, and
the next message is answered (bot/adapters/console.py).

The runtime already turns most errors into an apology; this is the console's own guard, for
an error that escapes it, as a database error while loading a conversation once did.
"""

from __future__ import annotations

import io
import logging
import sqlite3

import pytest

from bot.adapters.console import ConsoleChat
from bot.app import App
from bot.rendering import TextRenderer
from bot.runtime import Response
from bot.storage.conversations import SqlConversationStore
from flows.types import Inbound, Kind

USER = "zq_console_user_4410"


class EscapingRuntime:
    """The app's real runtime, except that the message "boom" drops the conversations
    table of the real SQLite file and loads a conversation from it, letting the
    database's error out as the runtime once did."""

    def __init__(self, app: App) -> None:
        self._app = app

    async def handle(self, key: str, event: Inbound) -> Response:
        if event.kind is Kind.TEXT and event.text == "boom":
            with sqlite3.connect(self._app.data_dir / "bot.sqlite3") as db:
                db.execute("drop table conversations")
            await SqlConversationStore(self._app.db).load("not-cached")
        return await self._app.runtime.handle(key, event)

    async def delivered(self, key: str) -> None:
        await self._app.runtime.delivered(key)


async def _session(app: App, lines: bytes, locale_hint: str = "") -> str:
    out = io.StringIO()
    chat = ConsoleChat(EscapingRuntime(app), TextRenderer(app.translator),  # type: ignore[arg-type]
                       app.keys, stdin=io.BytesIO(lines), stdout=out, interactive=False,
                       locale_hint=locale_hint, user=USER)
    assert await chat.run() == 0  # end of input, after every line
    return out.getvalue()


async def test_a_failing_message_is_an_apology_in_the_users_language(
        app: App, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    text = await _session(app, b"/lang ru\nboom\n/help\n")
    apology = "Извините, у меня что-то сломалось."
    assert apology in text
    assert "/status КОД" in text.split(apology, 1)[1]  # the chat went on, still in Russian
    assert "console.error error=OperationalError" in caplog.text
    assert "boom" not in caplog.text and USER not in caplog.text


async def test_before_any_answer_the_apology_follows_the_terminals_language(app: App) -> None:
    text = await _session(app, b"boom\n", locale_hint="en_GB.UTF-8")
    assert text.startswith("Sorry, something went wrong on my side.")
