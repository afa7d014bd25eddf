"""Facts about the installation kept in its database: which secret key made the data."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.errors import StartupError
from bot.storage.database import dialect_insert, writing
from bot.storage.models import instance

KEY_FINGERPRINT = "key_fingerprint"


class WrongKeyError(StartupError):
    pass


async def check_key_fingerprint(engine: AsyncEngine, fingerprint: str) -> None:
    """Records the key's fingerprint on first start; refuses a start with another key.

    With another key every receipt code would answer "no report with that code" and every
    conversation and invite would be lost without a word, so the operator is told instead.
    Data made before fingerprints were kept adopts the key it is started with.
    """
    async with writing(engine) as conn:
        stored = (await conn.execute(select(instance.c.value).where(
            instance.c.name == KEY_FINGERPRINT))).scalar_one_or_none()
        if stored is None:
            stmt = dialect_insert(engine)(instance).values(name=KEY_FINGERPRINT,
                                                           value=fingerprint)
            await conn.execute(stmt.on_conflict_do_nothing(index_elements=[instance.c.name]))
            return
    if stored != fingerprint:
        raise WrongKeyError(
            "this data was made with another secret key: BOT_SECRET_KEY (or DATA_DIR/"
            "secret.key) differs from the one the database was created with. Start with the "
            "original key; with another one no receipt code, conversation or invite would be "
            "found.")
