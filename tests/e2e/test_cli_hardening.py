"""``python main.py`` under attack: closed pipes, bad files and ids, a database that fails
mid-session. Every case is a real process; none may end in a traceback."""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import IO

import pytest

from bot.cli import build_parser
from referral_directory import DATA_FILE, Topic

ROOT = Path(__file__).resolve().parents[2]
MAIN = str(ROOT / "main.py")
OFFER = "Gaji Rp 20 juta per bulan di Malaysia, paspor kami simpan."
EXIT_PIPE = 141  # README: stdout closed early, as a tool killed by SIGPIPE reports


def environ(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("LANG", "LC_ALL", "LC_MESSAGES", "LOG_LEVEL", "DATABASE_URL")}
    return {**env, "DATA_DIR": str(data_dir)}


def main_py(data_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, MAIN, *args], input=stdin, capture_output=True,
                          text=True, timeout=120, env=environ(data_dir), cwd=ROOT)


def assert_one_error_line(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert done.returncode == 1, (done.returncode, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    for word in words:
        assert word in lines[0], (word, lines[0])


# -- 1. a reader that goes away ------------------------------------------------------------

def _into_closed_pipe(data_dir: Path, args: list[str], stdin: str) -> tuple[int, str]:
    """Runs main.py with stdout a pipe whose reader has already closed it: the first
    write gets EPIPE, whenever it comes."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.Popen([sys.executable, MAIN, *args], stdin=subprocess.PIPE,
                                stdout=write_end, stderr=subprocess.PIPE,
                                env=environ(data_dir), cwd=ROOT)
    finally:
        os.close(write_end)
    _, err = proc.communicate(stdin.encode(), timeout=120)
    return proc.returncode, err.decode()


@pytest.mark.parametrize(("args", "stdin"), [
    (["--help"], ""),
    (["analyze", OFFER], ""),
    (["analyze", "--jsonl"], json.dumps({"id": 1, "text": OFFER}) + "\n"),
    (["directory", "validate"], ""),
    (["directory", "list", "--json"], ""),
    (["directory", "search", "Medan", "--json"], ""),
    (["org", "list", "--json"], ""),
    (["org", "invite", "id-sapa-129"], ""),
    (["digest", "preview", "--org", "id-sapa-129"], ""),
    (["chat"], "/start\n/help\n"),
], ids=lambda v: " ".join(v) if isinstance(v, list) else "")
def test_every_printing_command_stops_quietly_on_a_closed_stdout(
        data_dir: Path, args: list[str], stdin: str) -> None:
    status, err = _into_closed_pipe(data_dir, args, stdin)
    # argparse itself swallows a failed write of --help and exits 0 when stdout is
    # unbuffered (PYTHONUNBUFFERED); buffered, the final flush fails and that is 141.
    assert status == EXIT_PIPE or (args == ["--help"] and status == 0), err
    assert "Traceback" not in err and "Exception ignored" not in err, err
    assert "BrokenPipe" not in err and "Broken pipe" not in err, err


def _into_head(data_dir: Path, args: list[str], stdin: IO[bytes] | None) -> tuple[int, str,
                                                                                  bytes]:
    """``main.py ARGS | head -n 1``, with real processes on both ends."""
    writer = subprocess.Popen([sys.executable, MAIN, *args], stdin=stdin,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=environ(data_dir), cwd=ROOT)
    assert writer.stdout is not None and writer.stderr is not None
    head = subprocess.run(["head", "-n", "1"], stdin=writer.stdout, capture_output=True,
                          timeout=120)
    writer.stdout.close()
    err = writer.stderr.read().decode()
    return writer.wait(timeout=120), err, head.stdout


def test_analyze_piped_into_head_ends_quietly(data_dir: Path, tmp_path: Path) -> None:
    # Far more output than a pipe holds, so the writer is still writing when head exits.
    source = tmp_path / "many.jsonl"
    source.write_text("".join(json.dumps({"id": i, "text": OFFER}) + "\n"
                              for i in range(2000)), encoding="utf-8")
    status, err, first = _into_head(data_dir, ["analyze", "--jsonl", str(source)], None)
    assert json.loads(first)["id"] == 0
    assert status == EXIT_PIPE and err == "", err
    with source.open("rb") as fh:  # from stdin too
        status, err, first = _into_head(data_dir, ["analyze", "--jsonl"], fh)
    assert json.loads(first)["id"] == 0
    assert status == EXIT_PIPE and err == "", err


def test_directory_search_piped_into_head_ends_quietly(data_dir: Path) -> None:
    status, err, first = _into_head(data_dir, ["directory", "search", "Indonesia", "--json"],
                                    None)
    assert first == b"{\n"
    assert status in (0, EXIT_PIPE) and "Traceback" not in err, err  # 0 if it all fit


# -- 2. every option explains itself -------------------------------------------------------

def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> list[
        tuple[tuple[str, ...], argparse.ArgumentParser]]:
    found = [(path, parser)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                found += _commands(child, (*path, name))
    return found


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_every_subcommand_help_describes_every_option(data_dir: Path) -> None:
    commands = _commands(build_parser())
    assert len(commands) >= 14  # main, chat, analyze, run, directory ×6, org ×4, digest ×3
    for path, parser in commands:
        done = main_py(data_dir, *path, "--help")
        assert done.returncode == 0 and done.stderr == "", (path, done.stderr)
        shown = _flat(done.stdout)
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            assert action.help, f"{' '.join(path)}: {action.dest} has no help text"
            assert _flat(action.help) in shown, (path, action.dest)


def test_help_names_topics_country_format_json_and_file_formats(data_dir: Path) -> None:
    search = _flat(main_py(data_dir, "directory", "search", "--help").stdout)
    assert all(topic.value in search for topic in Topic)
    assert "ISO 3166-1 alpha-2" in search and "KG" in search
    assert '"results"' in search
    for action in ("import", "export"):
        text = _flat(main_py(data_dir, "directory", action, "--help").stdout)
        assert ".csv" in text and ".yaml" in text, action
    analyze = _flat(main_py(data_dir, "analyze", "--help").stdout)
    assert '{"id", "line", "error"}' in analyze and '"lang"' in analyze
    assert "141" in _flat(main_py(data_dir, "--help").stdout)


# -- 3. a country by its name --------------------------------------------------------------

@pytest.mark.parametrize("country", ["Kyrgyzstan", "Кыргызстан", "Kirgizstan", "kg"])
def test_search_takes_a_country_name_or_code(data_dir: Path, country: str) -> None:
    done = main_py(data_dir, "directory", "search", "Bishkek", "--country", country, "--json")
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["place"]["country"] == "KG"
    assert found["results"] and {r["country"] for r in found["results"]} == {"KG"}


def test_an_unknown_country_says_what_is_expected(data_dir: Path) -> None:
    done = main_py(data_dir, "directory", "search", "Bishkek", "--country", "Narnia")
    assert_one_error_line(done, "'Narnia'", "ISO 3166-1 alpha-2", "KG Kyrgyzstan")


# -- 7. a bad file or id is one line on stderr ---------------------------------------------

def test_directory_import_of_bad_files(data_dir: Path, tmp_path: Path) -> None:
    before = DATA_FILE.read_bytes()
    assert_one_error_line(main_py(data_dir, "directory", "import", str(tmp_path / "no.csv")),
                          "cannot read", "No such file")
    latin1 = tmp_path / "latin1.yaml"  # YAML is UTF-8 by its specification
    latin1.write_bytes("- id: x\n  name: Caf\xe9\n".encode("latin-1"))
    done = main_py(data_dir, "directory", "import", str(latin1))
    assert done.returncode == 1 and "not UTF-8 text (byte 20)" in done.stderr, done.stderr
    deep = tmp_path / "deep.yaml"
    deep.write_text("a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert_one_error_line(main_py(data_dir, "directory", "import", str(deep)),
                          "nested too deeply", "unchanged")
    wide = tmp_path / "wide.csv"
    wide.write_text("id,name_local,name_en,kind,country,contacts,sources\n"
                    + "x" * 200_000 + ",a,b,ngo,ID,phone | 112,s\n")
    assert_one_error_line(main_py(data_dir, "directory", "import", str(wide)), "field limit")
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    assert_one_error_line(main_py(data_dir, "directory", "import", str(notes)),
                          "csv (.csv), xlsx (.xlsx), yaml (.yaml, .yml), hsds (.json)")
    assert DATA_FILE.read_bytes() == before


def test_directory_export_to_a_bad_place(data_dir: Path, tmp_path: Path) -> None:
    assert_one_error_line(
        main_py(data_dir, "directory", "export", str(tmp_path / "no" / "dir.csv")),
        "cannot write", "No such file")
    assert_one_error_line(main_py(data_dir, "directory", "export", str(tmp_path / "d.txt")),
                          "csv (.csv), xlsx (.xlsx), yaml (.yaml, .yml), hsds (.json)")


@pytest.mark.parametrize("args", [
    ["org", "invite", "no-such-org"],
    ["org", "email", "no-such-org", "staff@example.org"],
    ["digest", "preview", "--org", "no-such-org"],
])
def test_an_unknown_organisation_is_named(data_dir: Path, args: list[str]) -> None:
    assert_one_error_line(main_py(data_dir, *args), "'no-such-org'")


def test_analyze_with_a_missing_file_or_too_long_a_text(data_dir: Path,
                                                        tmp_path: Path) -> None:
    assert_one_error_line(main_py(data_dir, "analyze", "--jsonl", str(tmp_path / "no.jsonl")),
                          "cannot read", "No such file")
    assert_one_error_line(main_py(data_dir, "analyze", "--jsonl", str(tmp_path)),
                          "Is a directory")
    assert_one_error_line(main_py(data_dir, "analyze", stdin="x" * 100_001),
                          "longer than 100000")


# -- 6. the database fails in the middle of a chat -----------------------------------------

def _read_until(stream: IO[bytes], marker: str) -> str:
    seen = []
    for raw in stream:
        line = raw.decode()
        seen.append(line)
        if marker in line:
            return "".join(seen)
    raise AssertionError(f"no {marker!r} in {''.join(seen)!r}")


def test_a_database_failing_mid_session_gets_an_apology_and_the_chat_goes_on(
        data_dir: Path) -> None:
    chat = subprocess.Popen([sys.executable, MAIN], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=environ(data_dir), cwd=ROOT)
    assert chat.stdin is not None and chat.stdout is not None
    try:
        chat.stdin.write(b"/lang ru\n")
        chat.stdin.flush()
        _read_until(chat.stdout, "Теперь я буду писать на языке: Русский.")
        with sqlite3.connect(data_dir / "bot.sqlite3") as db:
            db.execute("drop table conversations")  # nothing can be saved any more
        # /lang en must be saved, and fails; /help changes nothing, so it is answered.
        out, err = chat.communicate(b"/lang en\n/help\n/quit\n", timeout=60)
    finally:
        if chat.poll() is None:
            chat.kill()
    text = out.decode()
    assert chat.returncode == 0, err
    apology = "Извините, у меня что-то сломалось."  # in the user's language
    assert apology in text
    assert "/help - " in text.split(apology, 1)[1]  # the next message is answered
    assert "Traceback" not in err.decode()
