"""A tip through the console chat: from /report to a receipt code, /status later, and what
is on disk and in the logs afterwards."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from tests.e2e.test_console import USER, chat

TIP = ("Seorang calo bernama Pak Darmo datang ke desa kami dan menawarkan kerja di rumah "
       "makan di Malaysia untuk anak-anak gadis. Paspor akan disimpan agen. WA 0812-3456-7890.")
STEPS = [
    "/lang en", "/report", TIP,
    "Sexual exploitation of a child", "Indramayu", "last week", "A child under 18",
    "@darmo_kerja", "Only organisations that help (NGOs)",
]
CODE = re.compile(r"Your receipt code: ([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})")


def test_report_to_receipt_then_status(data_dir: Path) -> None:
    done = chat(data_dir, "\n".join([*STEPS, "Send"]) + "\n", LOG_LEVEL="DEBUG")
    assert done.returncode == 0, done.stderr
    match = CODE.search(done.stdout)
    assert match, done.stdout[-2000:]
    code = match.group(1)

    db = sqlite3.connect(data_dir / "bot.sqlite3")
    ref, topic, urgent, flags, place = db.execute(
        "select ref, topic, urgent, flags, place_label from tips").fetchone()
    assert (topic, urgent, place) == ("child_sexual_exploitation", 1, "Indramayu, Jawa Barat")
    assert "document_retention" in flags and "broker_via_parents" in flags
    routed = {row[0] for row in db.execute("select org_id from tip_routes")}
    assert "id-migrant-care" in routed
    marks = set(db.execute("select kind, value from recruiter_marks"))
    assert ("phone", "+6281234567890") in marks and ("handle", "darmo_kerja") in marks
    assert code.replace("-", "") not in str(db.execute("select * from tips").fetchall())
    db.close()

    # Nothing that identifies the reporter, on disk or in the logs (at DEBUG).
    key = sqlite3.connect(data_dir / "bot.sqlite3").execute(
        "select key from conversations").fetchone()[0]
    tip_row = str(sqlite3.connect(data_dir / "bot.sqlite3").execute(
        "select * from tips").fetchall())
    assert key not in tip_row
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert USER.encode() not in path.read_bytes(), path
    assert USER not in done.stderr and "Darmo" not in done.stderr and "Paspor" not in done.stderr
    assert "tips.saved ref=T-" in done.stderr

    status = chat(data_dir, f"/status {code.lower()}\n/status AAAA-BBBB-CCCC\n")
    assert f"Your report {ref}" in status.stdout
    assert "It is saved and waits to be passed on" in status.stdout
    assert "I found no report with that code." in status.stdout


def test_a_crash_between_commit_and_reply_loses_nothing(data_dir: Path) -> None:
    done = chat(data_dir, "\n".join([*STEPS, "Send"]) + "\n",
                SAFEWORK_TEST_CRASH_AFTER_COMMIT="1")
    assert done.returncode == 70  # killed right after the commit
    assert "Your receipt code" not in done.stdout  # the reply never went out
    db = sqlite3.connect(data_dir / "bot.sqlite3")
    assert db.execute("select count(*) from tips").fetchone() == (1,)
    assert db.execute("select count(*) from tip_routes").fetchone()[0] >= 1
    # The conversation still shows the summary, so "Send" again finds the same draft and
    # issues a new code for the same tip instead of a duplicate.
    again = chat(data_dir, "Send\nSend\n")  # the summary again, then its button
    assert CODE.search(again.stdout)
    assert db.execute("select count(*) from tips").fetchone() == (1,)


def test_too_many_tips_in_an_hour_are_refused_politely(data_dir: Path) -> None:
    session = []
    for _ in range(3):
        session += [*STEPS[1:], "Send"]
    done = chat(data_dir, "\n".join(["/lang en", *session]) + "\n", TIPS_PER_HOUR="2")
    assert len(CODE.findall(done.stdout)) == 2
    assert "You have sent several reports in the last hour." in done.stdout
    assert sqlite3.connect(data_dir / "bot.sqlite3").execute(
        "select count(*) from tips").fetchone() == (2,)
