"""The console chat as a person (or a script) uses it: through stdin and stdout."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
USER = "zq_console_user_7731"


def chat(data_dir: Path, lines: bytes | str, **env: str) -> subprocess.CompletedProcess[str]:
    payload = lines.encode() if isinstance(lines, str) else lines
    environ = {k: v for k, v in os.environ.items()
               if k not in ("LANG", "LC_ALL", "LC_MESSAGES", "LOG_LEVEL", "DATABASE_URL")}
    environ.update({"DATA_DIR": str(data_dir), "USER": USER, "LOGNAME": USER, **env})
    done = subprocess.run([sys.executable, str(ROOT / "main.py")], input=payload,
                          capture_output=True, env=environ, timeout=60, cwd=ROOT)
    return subprocess.CompletedProcess(done.args, done.returncode,
                                       done.stdout.decode(), done.stderr.decode())


def test_scripted_session_answers_every_line_and_exits_zero(data_dir: Path) -> None:
    done = chat(data_dir, "/start\n/help\n/lang ru\n/quit\n")
    assert done.returncode == 0, done.stderr
    assert "Halo!" in done.stdout  # /start, in the default language (Indonesian)
    assert "/status KODE" in done.stdout  # /help
    assert "Теперь я буду писать на языке: Русский." in done.stdout  # /lang ru
    assert "Traceback" not in done.stderr


def test_language_survives_a_restart(data_dir: Path) -> None:
    assert chat(data_dir, "/lang ru\n").returncode == 0
    again = chat(data_dir, "/help\n")
    assert again.returncode == 0
    assert "Команды:" in again.stdout


def test_environment_locale_is_the_first_guess(data_dir: Path) -> None:
    done = chat(data_dir, "/start\n", LANG="ru_RU.UTF-8")
    assert "Здравствуйте!" in done.stdout


def test_buttons_are_chosen_by_number_or_label(data_dir: Path) -> None:
    done = chat(data_dir, "/start\nBahasa / Language / Язык\nEnglish\n")
    assert "From now on I will write in English." in done.stdout
    done = chat(data_dir, "/lang\n2\n")
    assert "Теперь я буду писать на языке: Русский." in done.stdout


def test_end_of_input_without_quit_exits_zero(data_dir: Path) -> None:
    done = chat(data_dir, "/start")  # no trailing newline either
    assert done.returncode == 0 and "Halo!" in done.stdout


def test_bad_input_gets_clear_answers(data_dir: Path) -> None:
    lines = b"\n" + b"x" * 100_000 + b"\n" + b"\xff\xfe\x00\x01\x80\x81\x82\n/nope\n/quit\n"
    done = chat(data_dir, lines)
    assert done.returncode == 0, done.stderr
    assert "Pesan yang saya terima kosong" in done.stdout
    assert "terlalu panjang" in done.stdout
    assert "Saya tidak bisa membaca pesan itu" in done.stdout
    assert "Saya tidak mengenal perintah /nope" in done.stdout
    assert "Traceback" not in done.stderr


def test_no_raw_identifier_at_rest(data_dir: Path) -> None:
    assert chat(data_dir, "/start\n/lang en\n").returncode == 0
    for path in data_dir.iterdir():
        assert USER.encode() not in path.read_bytes(), path
    rows = sqlite3.connect(data_dir / "bot.sqlite3").execute(
        "select key from conversations").fetchall()
    assert len(rows) == 1 and len(rows[0][0]) == 64


def test_corrupt_database_stops_with_its_path_and_is_left_untouched(data_dir: Path) -> None:
    data_dir.mkdir()
    db = data_dir / "bot.sqlite3"
    db.write_bytes(b"this is not a database" * 100)
    done = chat(data_dir, "/start\n")
    assert done.returncode == 2
    assert str(db) in done.stderr and "Traceback" not in done.stderr
    assert db.read_bytes() == b"this is not a database" * 100


def test_data_dir_that_is_a_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "data"
    bad.write_text("oops")
    done = chat(bad, "/start\n")
    assert done.returncode == 2
    assert f"DATA_DIR {bad}" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.skipif(not Path("/proc/version").exists(), reason="needs /proc")
def test_unwritable_data_dir_is_named(tmp_path: Path) -> None:
    bad = Path("/proc/version/data")  # a path no process can create, even as root
    done = chat(bad, "/start\n")
    assert done.returncode == 2
    assert str(bad) in done.stderr and "Traceback" not in done.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores permission bits")
def test_read_only_data_dir_is_named(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        done = chat(ro, "/start\n")
    finally:
        ro.chmod(0o700)
    assert done.returncode == 2 and str(ro) in done.stderr


def test_invite_for_an_unknown_organisation_is_refused(data_dir: Path) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "org", "invite", "x"],
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "DATA_DIR": str(data_dir)})
    assert done.returncode == 1 and "no organisation 'x'" in done.stderr


def test_a_pasted_offer_is_answered_with_the_analysis(data_dir: Path) -> None:
    offer = ("Dicari gadis usia 15 sampai 20 tahun untuk bekerja di rumah makan di Batam. "
             "Tidak perlu ijazah.")
    done = chat(data_dir, offer + "\n1\n")
    assert done.returncode == 0, done.stderr
    assert "Risiko tinggi." in done.stdout
    assert "Menyasar anak di bawah 18 tahun" in done.stdout
    assert "SAPA" in done.stdout and "129" in done.stdout
    assert "Pertanyaan 1 dari" in done.stdout  # button 1: answer a few questions
