"""Logging: event names and codes on stderr, never people or message text (STYLE point 12)."""

from __future__ import annotations

import logging
import sys


def configure_logging(level: str) -> None:
    logging.basicConfig(stream=sys.stderr, level=level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s %(message)s", force=True)
    # Client libraries log request URLs, which carry the bot token on Telegram; web servers
    # log client addresses; database drivers log statements with their parameters (message
    # text, tips). None of that may reach a log at any level, DEBUG included.
    for noisy in ("httpx", "aiohttp.access", "aiogram.event", "apscheduler", "alembic",
                  "aiosqlite", "sqlalchemy", "asyncpg", "PIL"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
