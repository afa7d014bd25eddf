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
                      "language": "id"}
    assert "error" in out[6]


def test_jsonl_from_a_file(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": 1, "text": "Требуются официантки в Турцию."}) + "\n")
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
