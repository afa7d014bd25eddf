from __future__ import annotations

import errno
import multiprocessing
import os
import stat
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from bot.errors import DataDirError
from bot.keys import SECRET_FILE, KeyBuilder, load_or_create_secret


def test_secret_is_generated_once_and_private(tmp_path: Path) -> None:
    first = load_or_create_secret(None, tmp_path)
    assert len(first) == 32
    assert stat.S_IMODE((tmp_path / SECRET_FILE).stat().st_mode) == 0o600
    assert load_or_create_secret(None, tmp_path) == first


def test_configured_secret_wins_and_must_be_long(tmp_path: Path) -> None:
    assert load_or_create_secret("x" * 20, tmp_path) == b"x" * 20
    assert not (tmp_path / SECRET_FILE).exists()
    with pytest.raises(DataDirError, match="too short"):
        load_or_create_secret("short", tmp_path)


@pytest.mark.parametrize("content", ["not hex at all", "", "\n", "abcd\n", "00" * 8])
def test_an_empty_short_or_corrupt_key_is_refused_not_used(tmp_path: Path,
                                                           content: str) -> None:
    # A crash or a full disk between creating the file and writing it leaves it empty: the
    # bot must not run with KeyBuilder(b"") (anyone holding the database could then compute
    # every user's key), nor replace the file (its data would be orphaned).
    (tmp_path / SECRET_FILE).write_text(content)
    with pytest.raises(DataDirError, match="empty or damaged"):
        load_or_create_secret(None, tmp_path)
    assert (tmp_path / SECRET_FILE).read_text() == content


def _start(folder: str) -> str:
    return load_or_create_secret(None, Path(folder)).hex()


def test_processes_starting_at_once_share_one_whole_key(tmp_path: Path) -> None:
    for attempt in range(5):
        folder = tmp_path / str(attempt)
        folder.mkdir()
        with ProcessPoolExecutor(4, mp_context=multiprocessing.get_context("spawn")) as pool:
            keys = set(pool.map(_start, [str(folder)] * 8))
        assert len(keys) == 1
        assert bytes.fromhex((folder / SECRET_FILE).read_text()).hex() in keys
        assert [p.name for p in folder.iterdir()] == [SECRET_FILE]  # no temporary left


def test_a_full_disk_at_first_start_leaves_no_key_file(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    def full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(DataDirError, match="No space left"):
        load_or_create_secret(None, tmp_path)
    assert list(tmp_path.iterdir()) == []  # neither an empty key nor a temporary file
    monkeypatch.undo()
    assert len(load_or_create_secret(None, tmp_path)) == 32  # space again: a whole key


def test_keys_are_stable_and_separate_per_transport() -> None:
    keys = KeyBuilder(b"s" * 32)
    a = keys.conversation_key("telegram", 123456789)
    assert a == keys.conversation_key("telegram", "123456789")
    assert a != keys.conversation_key("whatsapp", 123456789)
    assert a != KeyBuilder(b"t" * 32).conversation_key("telegram", 123456789)
    assert len(a) == 64 and "123456789" not in a
