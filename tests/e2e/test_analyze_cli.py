"""``python main.py analyze``: JSONL in, one JSONL line out per line, never a crash."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "analyze", *args],
                          input=stdin, capture_output=True, text=True, timeout=120)


def test_jsonl_one_line_out_per_line_in_with_errors_for_bad_lines() -> None:
    lines = [
        json.dumps({"id": "a", "text": "Paspor kamu kami simpan selama kontrak."}),
        "not json",
        json.dumps([1, 2]),
        json.dumps({"id": 3}),
        "",
        json.dumps({"id": "b", "text": "Selamat ulang tahun!"}),
        json.dumps({"id": "c", "text": "x" * 200_000}),
    ]
    done = run("--jsonl", stdin="\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(out) == len(lines)
    assert out[0]["id"] == "a" and out[0]["risk"] == "high"
    assert out[0]["flags"] == ["document_retention"]
    assert out[0]["evidence"][0]["text"] == "Paspor kamu kami simpan"
    assert [o.get("error", "")[:8] for o in out[1:5]] == ["not JSON", "expected", "missing ",
                                                         "not JSON"]
    assert out[3]["id"] == 3
    assert out[5] == {"id": "b", "risk": "low", "flags": [], "evidence": [], "good_signs": [],
                      "language": "id", "kind": "chat"}
    assert "error" in out[6]


def test_jsonl_from_a_file(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": 1, "text": "Требуются официантки в кафе в Турцию."})
                      + "\n")
    done = run("--jsonl", str(source))
    assert json.loads(done.stdout)["flags"] == ["vague_job_lure", "abroad_service_job"]
    assert run("--jsonl", str(tmp_path / "missing.jsonl")).returncode == 1


def test_text_mode_explains_in_the_texts_language() -> None:
    done = run("Работа в Южной Корее по туристической визе. Контракт подписывается после "
               "прибытия.")
    assert done.returncode == 0, done.stderr
    assert "risk: high" in done.stdout
    assert "Не законный путь" in done.stdout
    assert "112" in done.stdout


def test_jsonl_bad_fields_each_get_an_error_line_naming_what_is_valid() -> None:
    lines = [
        json.dumps({"id": "de", "text": "Kerja di Malaysia", "lang": "de"}),
        json.dumps({"id": "num", "text": "Kerja di Malaysia", "lang": 5}),
        json.dumps({"id": "null", "text": "Kerja di Malaysia", "lang": None}),  # detect it
        json.dumps({"id": "ru", "text": "Работа в Турции", "lang": "ru"}),
        json.dumps({"text": "Kerja di Malaysia"}),
        json.dumps({"id": True, "text": "x"}),
        json.dumps({"id": [1], "text": "x"}),
        '{"id": NaN, "text": "x"}',
        json.dumps({"id": "list", "text": ["Kerja"]}),
        "[" * 40_000 + "]" * 40_000,
        json.dumps({"id": "\ud800", "text": "Kerja di Malaysia"}),
        json.dumps({"id": "long", "text": "x" * 150_000}),
        json.dumps({"id": "after", "text": "Selamat ulang tahun!"}),
    ]
    done = run("--jsonl", stdin="\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(out) == len(lines)
    assert [o["line"] for o in out if "error" in o] == [1, 2, 5, 6, 7, 8, 9, 10, 12]
    for bad in out[0], out[1]:
        assert "'lang' must be one of id, ru, en" in bad["error"]
    assert out[0]["id"] == "de" and '"de"' in out[0]["error"] and "5" in out[1]["error"]
    assert out[2]["language"] == "id" and out[3]["language"] == "ru"
    assert out[4] == {"id": None, "line": 5, "error": out[4]["error"]}
    assert out[4]["error"].startswith("missing 'id'")
    assert all("'id' must be a string or an integer" in o["error"] for o in out[5:8])
    assert out[8]["error"] == "missing or non-string 'text'"
    assert "nested too deeply" in out[9]["error"]
    assert out[10]["id"] == "\ud800" and "error" not in out[10]  # escaped, still JSON
    assert out[11]["error"] == "line longer than 100000 characters"
    assert out[12]["id"] == "after" and out[12]["risk"] == "low"


def test_jsonl_lang_option_is_the_default_for_lines_without_one() -> None:
    lines = [json.dumps({"id": 1, "text": "Kerja di Malaysia"}),
             json.dumps({"id": 2, "text": "Kerja di Malaysia", "lang": "id"})]
    done = run("--jsonl", "--lang", "en", stdin="\n".join(lines) + "\n")
    assert [json.loads(line)["language"] for line in done.stdout.splitlines()] == ["en", "id"]
