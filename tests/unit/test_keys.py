from __future__ import annotations

import stat
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


def test_corrupt_secret_file_is_reported_not_replaced(tmp_path: Path) -> None:
    (tmp_path / SECRET_FILE).write_text("not hex at all")
    with pytest.raises(DataDirError, match="not a valid secret"):
        load_or_create_secret(None, tmp_path)
    assert (tmp_path / SECRET_FILE).read_text() == "not hex at all"


def test_keys_are_stable_and_separate_per_transport() -> None:
    keys = KeyBuilder(b"s" * 32)
    a = keys.conversation_key("telegram", 123456789)
    assert a == keys.conversation_key("telegram", "123456789")
    assert a != keys.conversation_key("whatsapp", 123456789)
    assert a != KeyBuilder(b"t" * 32).conversation_key("telegram", 123456789)
    assert len(a) == 64 and "123456789" not in a
