"""Starts the console chat as an operator would and checks that unusable data stops it with
exit 2 and one message, never a traceback, and never runs with a weak key."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.e2e.test_console import chat


def _refused(done: object, *words: str) -> None:
    assert done.returncode == 2, (done.stdout, done.stderr)  # type: ignore[attr-defined]
    err: str = done.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in err
    for word in words:
        assert word in err, err


def test_an_empty_key_file_stops_the_bot(data_dir: Path) -> None:
    data_dir.mkdir()
    (data_dir / "secret.key").write_bytes(b"")
    _refused(chat(data_dir, "/start\n/quit\n"), "secret.key", "empty or damaged")
    assert not (data_dir / "bot.sqlite3").exists()  # it never ran


def test_another_key_on_existing_data_stops_the_bot(data_dir: Path) -> None:
    assert chat(data_dir, "/start\n/quit\n", BOT_SECRET_KEY="k" * 32).returncode == 0
    _refused(chat(data_dir, "/start\n/quit\n", BOT_SECRET_KEY="j" * 32), "another secret key")


def test_a_database_of_a_newer_version_stops_the_bot(data_dir: Path) -> None:
    assert chat(data_dir, "/quit\n").returncode == 0
    db = sqlite3.connect(data_dir / "bot.sqlite3")
    db.execute("update alembic_version set version_num = '0099'")
    db.commit()
    db.close()
    _refused(chat(data_dir, "/quit\n"), "newer version")
