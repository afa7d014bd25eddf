"""SQL implementation of ``ConversationStore`` (SQLite by default, PostgreSQL later)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.models import conversations
from flows.engine import Conversation


class SqlConversationStore:
    def __init__(self, engine: AsyncEngine, ttl: timedelta = timedelta(hours=24),
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._engine = engine
        self._ttl = ttl
        self._clock = clock
        self._insert: Any = (postgresql.insert if engine.dialect.name == "postgresql"
                             else sqlite.insert)

    async def load(self, key: str) -> Conversation:
        async with self._engine.connect() as conn:
            row = (await conn.execute(
                select(conversations).where(conversations.c.key == key))).mappings().first()
        if row is None:
            return Conversation()
        conv = Conversation(flow=row["flow"], state=row["state"], data=json.loads(row["data"]),
                            session=row["session"], lang=row["lang"])
        if self._clock() - _aware(row["updated_at"]) > self._ttl:
            return Conversation(session=conv.session, lang=conv.lang)
        return conv

    async def save(self, key: str, conversation: Conversation) -> None:
        values = {
            "key": key,
            "flow": conversation.flow,
            "state": conversation.state,
            "data": json.dumps(dict(conversation.data), ensure_ascii=False),
            "session": conversation.session,
            "lang": conversation.lang,
            "updated_at": self._clock(),
        }
        stmt = self._insert(conversations).values(**values)
        stmt = stmt.on_conflict_do_update(
            index_elements=[conversations.c.key],
            set_={k: stmt.excluded[k] for k in values if k != "key"},
        )
        async with self._engine.begin() as conn:
            await conn.execute(stmt)

    async def count(self) -> int:
        async with self._engine.connect() as conn:
            return int((await conn.execute(
                select(func.count()).select_from(conversations))).scalar_one())


def _aware(value: datetime) -> datetime:
    # SQLite gives back naive datetimes; everything we write is UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
