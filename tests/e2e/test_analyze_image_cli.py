"""``python main.py analyze --image FILE [--json]``: a picture's text read and checked; the
JSON has the fields of an ``--jsonl`` line plus ``"ocr_text"``; bad files get one clear
line and exit 1, never a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from flows.red_flags import Analyzer
from tests.helpers.pictures import OFFER_ID, OFFER_RU, blank, flyer, needs_tesseract

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "analyze", *args],
                          capture_output=True, text=True, timeout=180,
                          env={**os.environ, **(env or {})})


@needs_tesseract
def test_image_json_is_a_jsonl_line_plus_the_text_read(tmp_path: Path) -> None:
    picture = tmp_path / "iklan.jpg"
    picture.write_bytes(flyer(OFFER_ID, angle=2.0))
    done = run("--image", str(picture), "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert "LOWONGAN KERJA KE MALAYSIA" in out["ocr_text"]
    line = Analyzer.load().analyze(out["ocr_text"]).to_json()
    assert out == {"id": str(picture), **line, "ocr_text": out["ocr_text"]}
    assert out["risk"] == "high" and "document_retention" in out["flags"]


@needs_tesseract
def test_image_explained_in_words_with_a_country(tmp_path: Path) -> None:
    picture = tmp_path / "объявление.png"
    picture.write_bytes(flyer(OFFER_RU, fmt="PNG"))
    done = run("--image", str(picture), "--country", "KG")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("read from the picture: РАБОТА В ДУБАЕ")
    assert "risk: high" in done.stdout and "document_retention" in done.stdout


@needs_tesseract
def test_bad_files_get_one_line_and_exit_1(tmp_path: Path) -> None:
    (tmp_path / "empty.png").write_bytes(blank())
    (tmp_path / "notes.txt").write_text("not a picture")
    for name, said in (("missing.png", "cannot read"), ("notes.txt", "is not a picture"),
                       ("empty.png", "shows no text I can read")):
        done = run("--image", str(tmp_path / name), "--json")
        assert done.returncode == 1 and said in done.stderr, done.stderr
        assert "Traceback" not in done.stderr and done.stdout == ""
    done = run("--json", "some text")
    assert done.returncode == 1 and "--json goes with --image" in done.stderr


def test_without_tesseract_the_command_says_what_to_install(tmp_path: Path) -> None:
    picture = tmp_path / "a.png"
    picture.write_bytes(blank())
    done = run("--image", str(picture), env={"PATH": str(tmp_path)})  # no tesseract there
    assert done.returncode == 1
    assert "apt-get install tesseract-ocr tesseract-ocr-ind tesseract-ocr-rus" in done.stderr
