"""``python main.py``: the console chat on the embedded default (SQLite under DATA_DIR)."""

from __future__ import annotations

import sys

from bot.adapters.console import ConsoleChat, console_markup, environment_locale
from bot.app import build_app
from bot.logging_setup import configure_logging
from bot.rendering import TextRenderer
from bot.settings import Settings


async def run_chat() -> int:
    settings = Settings()
    # In a terminal, event logs would interleave with the chat: unless LOG_LEVEL is set
    # explicitly, the console shows only warnings.
    explicit = "log_level" in settings.model_fields_set
    configure_logging(settings.log_level if explicit else "WARNING")
    # The larger data loads behind the first prompt (bot/app.py, deferred_deps).
    app = await build_app(settings, background=True)
    try:
        interactive = sys.stdin.isatty()
        renderer = TextRenderer(app.translator, console_markup(sys.stdout.isatty()))
        chat = ConsoleChat(app.runtime, renderer, app.keys, stdin=sys.stdin.buffer,
                           stdout=sys.stdout, interactive=interactive,
                           locale_hint=environment_locale())
        return await chat.run()
    finally:
        await app.close()
