"""Alembic environment. The bot runs migrations itself at start (``open_database``),
sharing its connection; the ``alembic`` command line (alembic.ini at the repository root)
connects with the bot's settings instead."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from bot.storage.models import metadata


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata,
                      render_as_batch=True, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


async def _run_from_settings() -> None:
    from bot.settings import Settings
    from bot.storage.database import create_engine

    engine = create_engine(Settings().resolved_database_url())
    async with engine.begin() as conn:
        await conn.run_sync(_run)
    await engine.dispose()


shared = context.config.attributes.get("connection")
if shared is not None:
    _run(shared)
else:
    asyncio.run(_run_from_settings())
