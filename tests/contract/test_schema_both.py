"""The migrations build exactly the schema of bot/storage/models.py, on a real SQLite file
and on a real PostgreSQL (started by the tests; skipped where it is not installed), and
step all the way down and up again."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection

from bot.storage import open_database
from bot.storage.database import alembic_config
from bot.storage.models import metadata
from tests.helpers.postgres import require_postgres, shared_server


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgres":
        require_postgres()
        return shared_server().new_database()
    return f"sqlite+aiosqlite:///{tmp_path / 'schema.sqlite3'}"


def _differences(conn: Connection) -> list[object]:
    context = MigrationContext.configure(conn, opts={"compare_type": True})
    return [d for d in compare_metadata(context, metadata)
            # SQLite reports no server defaults the way PostgreSQL does; types are compared.
            if not (isinstance(d, list) and d and d[0][0] == "modify_default")]


def _down_and_up(conn: Connection) -> None:
    cfg = alembic_config()
    cfg.attributes["connection"] = conn
    command.downgrade(cfg, "base")
    command.upgrade(cfg, "head")


async def test_migrations_make_the_models_schema(url: str) -> None:
    engine = await open_database(url)
    try:
        async with engine.connect() as conn:
            assert await conn.run_sync(_differences) == []
        async with engine.begin() as conn:
            await conn.run_sync(_down_and_up)
        async with engine.connect() as conn:
            assert await conn.run_sync(_differences) == []
    finally:
        await engine.dispose()
