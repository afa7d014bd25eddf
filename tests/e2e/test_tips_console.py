"""A tip through the console chat: from /report to a receipt code, /status later, and what
is on disk and in the logs afterwards."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

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


# -- the person's country, asked once when no place gives the tip one --------------------------

def _label(msgid: str, lang: str) -> str:
    """A button's label as the console shows it in that language."""
    from bot.i18n import Translator
    from bot.rendering import TextRenderer
    from flows.types import msg
    return TextRenderer(Translator.load()).part(msg(msgid), lang)


QUIET_TIPS = {"ru": "Вербовщик обещает работу за границей, просит деньги вперёд",
              "id": "Ada lowongan aneh di grup WA desa, minta uang pendaftaran",
              "en": "A recruiter promises work abroad and asks for money up front"}
QUESTION_SAYS = {"ru": "в какой вы сейчас стране?", "id": "sekarang kamu ada di negara mana?",
                 "en": "which country are you in now?"}


def _no_place_report(lang: str, answer: str) -> list[str]:
    skip = _label("Skip", lang)
    return [f"/lang {lang}", "/report", QUIET_TIPS[lang],
            _label("Trafficking or a suspicious job offer", lang), skip, answer, skip,
            _label("No", lang), skip, _label("Also police and government", lang),
            _label("Send", lang)]


@pytest.mark.parametrize(("lang", "answer"), [("ru", "Киргизия"), ("id", "Kirgizstan"),
                                              ("en", "Kyrgyzstan")])
def test_a_report_without_a_place_is_routed_by_the_country_the_person_answers(
        data_dir: Path, lang: str, answer: str) -> None:
    done = chat(data_dir, "\n".join(_no_place_report(lang, answer)) + "\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count(QUESTION_SAYS[lang]) == 1
    db = sqlite3.connect(data_dir / "bot.sqlite3")
    assert db.execute("select country, place_label from tips").fetchall() == [("KG", "")]
    routed = {row[0] for row in db.execute("select org_id from tip_routes")}
    assert routed and all(org.startswith("kg-") for org in routed), routed
    # The summary named them before "Send", and the receipt names them again.
    from referral_directory import load_directory
    directory = load_directory()
    for org in routed:
        entry = directory.get(org)
        assert entry is not None and done.stdout.count(entry.name_for(lang)) >= 2, org


@pytest.mark.parametrize("lang", ["ru", "id", "en"])
def test_a_report_with_no_country_goes_to_nobody_by_default(data_dir: Path, lang: str) -> None:
    done = chat(data_dir, "\n".join(_no_place_report(lang, _label("Skip", lang))) + "\n")
    assert done.returncode == 0, done.stderr
    assert _label("Name the place or country", lang) in done.stdout  # offered before Send
    db = sqlite3.connect(data_dir / "bot.sqlite3")
    assert db.execute("select country from tips").fetchall() == [(None,)]
    assert db.execute("select count(*) from tip_routes").fetchone() == (0,)  # not RU, not ID
    assert re.search(r"\b[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}\b", done.stdout)  # a receipt


def test_a_digit_typed_where_the_report_asks_for_words_is_no_old_button(
        data_dir: Path) -> None:
    """The menu's "1" is gone once the report asks what happened: "1" is a too-thin tip,
    asked again, and the report goes on with the words that follow."""
    done = chat(data_dir, "/lang en\n/report\n1\n" + TIP + "\n")
    assert done.returncode == 0, done.stderr
    after = done.stdout.split("Tell me what happened", 1)[1]
    assert after.index("Please write in a few words what happened") < after.index("What is it "
                                                                                  "about?")
    assert "Paste the job offer here" not in after


@pytest.mark.parametrize("wish", ["mau lapor aja", "i want to report"])
def test_a_report_asked_for_in_words_asks_what_happened(data_dir: Path, wish: str) -> None:
    done = chat(data_dir, f"{wish}\n")
    assert done.returncode == 0, done.stderr
    assert ("Ceritakan apa yang terjadi" in done.stdout
            or "Tell me what happened" in done.stdout), done.stdout
