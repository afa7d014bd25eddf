"""Staff chats and one-time invite codes (stored as a keyed hash; a code lasts 7 days)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.storage.database import writing
from bot.storage.models import org_chats, org_invites
from flows.deps import RECEIPT_ALPHABET

INVITE_LIFETIME = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Recipient:
    """A staff chat or address of an organisation, with the language it chose (or None:
    the organisation's directory language)."""

    transport: str
    chat_id: str
    language: str | None = None


class OrgStore:
    def __init__(self, engine: AsyncEngine, salt: bytes,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._engine = engine
        self._salt = salt
        self._clock = clock

    def _hash(self, code: str) -> str:
        normal = code.strip().upper().replace("-", "").replace(" ", "")
        return hmac.new(self._salt, normal.encode(), hashlib.sha256).hexdigest()

    async def invite(self, org_id: str) -> str:
        raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))
        code = "-".join(raw[i:i + 4] for i in range(0, 12, 4))
        async with writing(self._engine) as conn:
            await conn.execute(insert(org_invites).values(
                code_hash=self._hash(code), org_id=org_id,
                expires_at=self._clock() + INVITE_LIFETIME, used=False))
        return code

    async def register(self, code: str, transport: str, chat_id: str) -> str | None:
        """Binds the chat to the code's organisation; None for an unknown, used or
        expired code."""
        now = self._clock()
        async with writing(self._engine) as conn:
            row = (await conn.execute(select(org_invites).where(
                org_invites.c.code_hash == self._hash(code)))).mappings().first()
            expires = row["expires_at"] if row else None
            if expires is not None and expires.tzinfo is None:
                expires = expires.replace(tzinfo=UTC)
            if row is None or row["used"] or expires is None or expires < now:
                return None
            # Only while unused: two workers on PostgreSQL given one code at once both read
            # it unused, and the second UPDATE, waiting for the first's row lock, finds it
            # used and changes nothing.
            claimed = await conn.execute(update(org_invites).where(
                org_invites.c.code_hash == row["code_hash"],
                org_invites.c.used.is_(False)).values(used=True))
            if claimed.rowcount != 1:
                return None
            await self._bind(conn, str(row["org_id"]), transport, chat_id)
        return str(row["org_id"])

    async def bind(self, org_id: str, transport: str, chat_id: str) -> bool:
        """Binds a chat (an e-mail address, by the operator) without an invite; False when
        it was bound already."""
        async with writing(self._engine) as conn:
            return await self._bind(conn, org_id, transport, chat_id)

    async def _bind(self, conn: AsyncConnection, org_id: str, transport: str,
                    chat_id: str) -> bool:
        exists = (await conn.execute(select(org_chats).where(and_(
            org_chats.c.org_id == org_id, org_chats.c.transport == transport,
            org_chats.c.chat_id == chat_id)))).first()
        if exists is not None:
            return False
        await conn.execute(insert(org_chats).values(
            org_id=org_id, transport=transport, chat_id=chat_id,
            registered_on=self._clock().date()))
        return True

    async def unbind(self, org_id: str, transport: str, chat_id: str) -> bool:
        async with writing(self._engine) as conn:
            result = await conn.execute(delete(org_chats).where(and_(
                org_chats.c.org_id == org_id, org_chats.c.transport == transport,
                org_chats.c.chat_id == chat_id)))
        return bool(result.rowcount)

    async def unregister(self, transport: str, chat_id: str) -> list[str]:
        orgs = await self.orgs_of(transport, chat_id)
        async with writing(self._engine) as conn:
            await conn.execute(delete(org_chats).where(and_(
                org_chats.c.transport == transport, org_chats.c.chat_id == chat_id)))
        return orgs

    async def orgs_of(self, transport: str, chat_id: str) -> list[str]:
        async with self._engine.connect() as conn:
            rows = (await conn.execute(select(org_chats.c.org_id).where(and_(
                org_chats.c.transport == transport, org_chats.c.chat_id == chat_id)))).all()
        return sorted(r.org_id for r in rows)

    async def registered(self) -> list[str]:
        """Organisations with at least one staff chat or address."""
        async with self._engine.connect() as conn:
            rows = (await conn.execute(select(org_chats.c.org_id).distinct())).all()
        return sorted(r.org_id for r in rows)

    async def chats_on(self, transport: str) -> frozenset[str]:
        """Every registered chat of a transport."""
        async with self._engine.connect() as conn:
            rows = (await conn.execute(select(org_chats.c.chat_id).where(
                org_chats.c.transport == transport).distinct())).all()
        return frozenset(r.chat_id for r in rows)

    async def chats_of(self, org_id: str) -> list[tuple[str, str]]:
        async with self._engine.connect() as conn:
            rows = (await conn.execute(select(org_chats.c.transport, org_chats.c.chat_id)
                                       .where(org_chats.c.org_id == org_id))).all()
        return [(r.transport, r.chat_id) for r in rows]

    async def recipients(self, org_id: str) -> list[Recipient]:
        async with self._engine.connect() as conn:
            rows = (await conn.execute(select(
                org_chats.c.transport, org_chats.c.chat_id, org_chats.c.language)
                .where(org_chats.c.org_id == org_id))).all()
        return [Recipient(r.transport, r.chat_id, r.language) for r in rows]

    async def set_language(self, transport: str, chat_id: str, language: str | None) -> None:
        """The language of a chat's digests, alerts and answers (None: the directory's)."""
        async with writing(self._engine) as conn:
            await conn.execute(update(org_chats).where(and_(
                org_chats.c.transport == transport, org_chats.c.chat_id == chat_id))
                .values(language=language))

    async def language_of(self, transport: str, chat_id: str) -> str | None:
        async with self._engine.connect() as conn:
            return (await conn.execute(select(org_chats.c.language).where(and_(
                org_chats.c.transport == transport, org_chats.c.chat_id == chat_id))
                .limit(1))).scalar()
