"""Opening the database: DATA_DIR checks, the async engine, SQLite pragmas and migrations.

SQLite is the embedded default (one file under DATA_DIR, WAL mode so readers never block
the writer); any other SQLAlchemy async URL (PostgreSQL with asyncpg) works without
changing callers, since repositories only use SQLAlchemy Core.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import tempfile
import weakref
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, inspect, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from bot.errors import DataDirError, StorageError

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK = 0x5AFE_0001  # a PostgreSQL advisory lock while migrating


def prepare_data_dir(data_dir: Path) -> Path:
    """Creates DATA_DIR if needed and proves it writable; raises a message naming the path.

    Everything under it is private to the service user: the process creates files 0600 and
    folders 0700 from here on (umask 077), and what an older version left readable to
    others is made private now.
    """
    path = data_dir.expanduser()
    if path.exists() and not path.is_dir():
        raise DataDirError(f"DATA_DIR {path} exists but is not a directory.")
    os.umask(0o077)
    try:
        path.mkdir(parents=True, exist_ok=True)
        make_private(path)
        # A real write, not os.access: permission bits lie on read-only mounts and for root.
        with tempfile.NamedTemporaryFile(dir=path, prefix=".write-probe-"):
            pass
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise DataDirError(f"DATA_DIR {path} is not usable ({reason}). Point DATA_DIR at a "
                           "writable directory.") from exc
    return path


def make_private(root: Path) -> None:
    """0700 for DATA_DIR and its folders, 0600 for its files (the SQLite file, its WAL and
    shared-memory files, photos, the key)."""
    root.chmod(0o700)
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            (Path(folder) / name).chmod(0o700)
        for name in files:
            file = Path(folder) / name
            if not file.is_symlink():
                file.chmod(0o600)


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    return Path(parsed.database)


# PostgreSQL connections per worker: conversations held at once (bot/storage/shared.py,
# MAX_HELD) plus their effects, rate limits and delivery records. Mind max_connections
# (PostgreSQL's default is 100) times the number of workers.
POOL = {"pool_size": 10, "max_overflow": 10, "pool_timeout": 10.0}


def is_shared(engine: AsyncEngine) -> bool:
    """Whether several workers may share this database (PostgreSQL), so that nothing a
    conversation, a limit or a record needs may live in one process only."""
    return engine.dialect.name == "postgresql"


def create_engine(url: str) -> AsyncEngine:
    if make_url(url).get_backend_name() == "postgresql":
        # No ping before each use: it cost 1.6 ms of the 4 ms a short transaction takes
        # here (bench/bench_workers.py). After a restart of the database each pooled
        # connection fails once (that event is an apology, the connection is replaced).
        return create_async_engine(url, pool_pre_ping=False, **POOL)
    engine = create_async_engine(url, pool_pre_ping=False)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode: a commit survives a crash of the process, and conversation
        # state needs no more. A confirmed tip also has to survive a power cut: the tip store
        # checkpoints with fsync right after its commit (bot/tips/store.py).
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        # Deleted and overwritten rows (an old conversation state, a purged tip) are zeroed
        # instead of lingering in free pages of the file.
        cursor.execute("PRAGMA secure_delete=ON")
    finally:
        cursor.close()


_WRITE_LOCKS: weakref.WeakKeyDictionary[Any, asyncio.Lock] = weakref.WeakKeyDictionary()


@contextlib.asynccontextmanager
async def writing(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A write transaction. SQLite has one writer at a time: concurrent writers from the
    pool would collide and sleep in SQLite's busy handler (milliseconds each), so writes
    queue on one asyncio lock per engine instead. Other databases get a plain transaction.
    """
    if engine.dialect.name != "sqlite":
        async with engine.begin() as conn:
            yield conn
        return
    lock = _WRITE_LOCKS.get(engine.sync_engine)
    if lock is None:
        lock = _WRITE_LOCKS[engine.sync_engine] = asyncio.Lock()
    async with lock, engine.begin() as conn:
        yield conn


_AUTOCOMMIT: weakref.WeakKeyDictionary[Any, AsyncEngine] = weakref.WeakKeyDictionary()


@contextlib.asynccontextmanager
async def autocommit(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A connection for statements that each stand alone (a delivery record, a counter).
    On PostgreSQL each commits by itself: one round trip instead of BEGIN, the statement
    and COMMIT (2.4 against 4.0 ms here). SQLite: a ``writing`` transaction."""
    if engine.dialect.name != "postgresql":
        async with writing(engine) as conn:
            yield conn
        return
    view = _AUTOCOMMIT.get(engine.sync_engine)
    if view is None:  # the same pool, each statement committed on its own
        view = _AUTOCOMMIT[engine.sync_engine] = engine.execution_options(
            isolation_level="AUTOCOMMIT")
    async with view.connect() as conn:
        yield conn


def dialect_insert(engine: AsyncEngine) -> Any:
    """The dialect's INSERT (with ON CONFLICT … DO UPDATE): PostgreSQL's or SQLite's."""
    return postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert


def alembic_config() -> Any:
    from alembic.config import Config  # alembic (and mako) only when a migration may run

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def newest_revision() -> str:
    """The newest migration's revision id: migrations are numbered files ("0011_….py")
    whose revision is their number (tests/unit/test_migrations.py holds this)."""
    numbers = [p.name.split("_", 1)[0] for p in (MIGRATIONS_DIR / "versions").glob("[0-9]*.py")]
    return max(numbers)


def _at_newest(connection: Connection) -> bool:
    """Whether the schema is already at the newest migration: then the start need not
    import alembic at all (about half a second of the console's start)."""
    if not inspect(connection).has_table("alembic_version"):
        return False  # a new database (a failed SELECT would abort PostgreSQL's transaction)
    row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
    return row is not None and row[0] == newest_revision()


class _NewerDatabase(Exception):
    """The database holds a migration this version does not know."""


def _upgrade(connection: Connection) -> None:
    from alembic import command
    from alembic.util.exc import CommandError

    cfg = alembic_config()
    cfg.attributes["connection"] = connection
    try:
        command.upgrade(cfg, "head")
    except CommandError as exc:
        raise _NewerDatabase(str(exc)) from exc


def _where(url: str, path: Path | None) -> str:
    return str(path) if path is not None else make_url(url).render_as_string()


async def open_database(url: str) -> AsyncEngine:
    """Creates the engine and brings the schema to the newest migration.

    A file that is not a database, or one the process may not write, stops the start with
    a message naming it; the file is never replaced, so nothing already stored is lost.
    """
    path = sqlite_path(url)
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            if is_shared(engine):  # workers starting together migrate one after the other
                await conn.execute(select(func.pg_advisory_xact_lock(MIGRATION_LOCK)))
            if not await conn.run_sync(_at_newest):
                await conn.run_sync(_upgrade)
    except _NewerDatabase as exc:
        await engine.dispose()
        raise StorageError(f"the database {_where(url, path)} was made by a newer version of "
                           f"this bot ({exc}). Run that version, or restore a backup made "
                           "with this one; the file was left untouched.") from exc
    except (SQLAlchemyError, OSError) as exc:
        await engine.dispose()
        detail = str(getattr(exc, "orig", None) or exc) or exc.__class__.__name__
        raise StorageError(f"cannot open the database {_where(url, path)}: {detail}. The file "
                           "was left untouched; free disk space, restore it from a backup or "
                           "point DATABASE_URL elsewhere.") from exc
    if path is not None and path.exists():
        path.chmod(0o600)  # conversation keys and tips are for this service only
    log.info("storage.ready dialect=%s", engine.dialect.name)
    return engine
