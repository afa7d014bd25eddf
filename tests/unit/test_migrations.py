"""Migrations on a real SQLite file that already holds data from an older version."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine

from bot.app import build_app
from bot.errors import StartupError
from bot.settings import Settings
from bot.storage import open_database
from bot.storage.database import alembic_config
from bot.tips.store import TipStore
from tests.helpers.clock import Clock
from tests.unit.test_tips_store import tip


def _old_database(path: Path, revision: str) -> None:
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    engine.dispose()


async def test_issued_references_stay_issued_across_the_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    _old_database(path, "0006")
    db = sqlite3.connect(path)
    db.execute("insert into tips (ref, draft_id, receipt_hash, created_on, topic, text, "
               "when_text, recruiter, place_label, danger_now, minor, urgent, consent, risk, "
               "flags, language, status) values ('T-2611-0007', 'draft-1', 'h', '2026-11-20', "
               "'trafficking', 't', '', '', '', 0, 0, 0, 'ngo', 'low', '[]', 'id', 'received')")
    db.commit()
    db.close()
    engine = await open_database(f"sqlite+aiosqlite:///{path}")
    store = TipStore(engine, tmp_path, b"salt", Clock())
    assert (await store.save(tip("new"), "h2", "k", 9)).ref == "T-2611-0008"
    await engine.dispose()
    columns = {row[1] for row in sqlite3.connect(path).execute("pragma table_info(tips)")}
    assert "draft_id" not in columns and "draft_hash" in columns


async def test_a_database_from_a_newer_version_is_refused_with_a_message(
        tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    _old_database(path, "head")
    db = sqlite3.connect(path)
    db.execute("update alembic_version set version_num = '0099'")
    db.commit()
    db.close()
    with pytest.raises(StartupError, match="newer version"):
        await open_database(f"sqlite+aiosqlite:///{path}")


async def test_another_secret_key_on_existing_data_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    app = await build_app(Settings(data_dir=data, bot_secret_key="k" * 32))
    await app.close()
    with pytest.raises(StartupError, match="another secret key"):
        await build_app(Settings(data_dir=data, bot_secret_key="j" * 32))
    app = await build_app(Settings(data_dir=data, bot_secret_key="k" * 32))  # the right one
    await app.close()


def test_the_newest_migration_file_is_alembics_head() -> None:
    """The start skips alembic when the database is at newest_revision(), read from the
    file names: that only holds while each migration's revision is its number."""
    from alembic.script import ScriptDirectory

    from bot.storage.database import newest_revision

    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == newest_revision()
