"""``python main.py directory …`` as an operator uses it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from bot.commands import directory as cli
from referral_directory import DATA_FILE, load_directory
from tests.e2e.test_analyze_cli import ROOT


def main_py(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "directory", *args],
                          capture_output=True, text=True, timeout=120)


def test_validate_passes_on_the_committed_data() -> None:
    done = main_py("validate")
    assert done.returncode == 0, done.stderr
    assert f"{len(load_directory())} organisations valid" in done.stdout


def test_list_and_search_as_json() -> None:
    listed = json.loads(main_py("list", "--json").stdout)
    assert {o["id"] for o in listed} >= {"id-sapa-129", "ru-child-helpline"}
    found = json.loads(main_py("search", "Medn", "--topic", "child_sexual_exploitation",
                               "--json").stdout)
    assert found["place"]["name"] == "Medan"
    assert found["results"][0]["id"] == "id-pkpa-medan"
    assert found["results"][0]["tier"] == "region"
    assert main_py("search", "x", "--topic", "nonsense").returncode == 1


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "organisations.yaml"
    shutil.copy(DATA_FILE, target)
    return target


def test_csv_round_trip_keeps_every_field(tmp_path: Path, data_copy: Path) -> None:
    exported = tmp_path / "dir.csv"
    assert cli.export_file(exported, source=data_copy) == 0
    assert cli.import_file(exported, target=data_copy) == 0
    assert load_directory(data_copy) == load_directory(DATA_FILE)
    assert data_copy.read_text().startswith("# The referral directory")  # header kept


def test_a_bad_import_is_refused_whole_and_the_old_data_stays(
        tmp_path: Path, data_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exported = tmp_path / "dir.csv"
    cli.export_file(exported, source=data_copy)
    rows = exported.read_text().split("\n")
    broken = exported.read_text().replace("phone | 129", "phone | call us", 1)
    broken = broken.replace(",hotline,", ",club,", 1)
    bad = tmp_path / "bad.csv"
    bad.write_text(broken)
    before = data_copy.read_bytes()
    assert cli.import_file(bad, target=data_copy) == 1
    err = capsys.readouterr().err
    assert "bad.csv:2: id-sapa-129: contacts.0: Value error, not a phone number" in err
    assert "bad.csv:2: id-sapa-129: kind" in err
    assert "nothing imported" in err
    assert data_copy.read_bytes() == before
    assert len(rows) > 30


def test_stale_entries_are_flagged() -> None:
    today = date(2026, 11, 25)
    assert cli.stale("2025-05-07", today)
    assert cli.stale("2024", today)
    assert cli.stale(None, today)
    assert not cli.stale("2026-01-28", today)
    assert not cli.stale("2025-12", today)
