"""What Tesseract read becomes the message a person would paste: a chat screenshot's
chrome (times, ticks, the contact's name, status bar, input box) goes, the words stay; the
language packs follow the person's language and country. Pure: no engine needed."""

from __future__ import annotations

import pytest

from bot.adapters.pictures import READ, UNREADABLE, with_reading
from bot.ocr import Reading, Status
from bot.ocr.languages import packs_for
from bot.ocr.screenshot import clean_lines, is_chrome, lines_of, message_text
from bot.ocr.tesseract import Word
from flows.types import Inbound, Kind


def words(*rows: str, conf: float = 90.0, paragraph: int = 1) -> list[Word]:
    """One Tesseract line per row, all in one paragraph."""
    out = []
    for n, row in enumerate(rows, start=1):
        for i, token in enumerate(row.split()):
            out.append(Word(token, conf, i * 50, n * 40, 30, (1, paragraph, n)))
    return out


@pytest.mark.parametrize("line", [
    "16:48", "22:33 00", "16:52 ✓✓", "9:41 PM", "4G 62%", "AG 33%,", "12:30 LTE 85%",
    "online", "last seen today at 10:41", "в сети", "печатает…", "mengetik...",
    "Today", "Hari ini", "Сегодня", "12.05.2026", "Type a message", "Ketik pesan O",
    "Сообщение", "Forwarded", "Diteruskan", "Пересланное сообщение", "<", "21 < 14",
    "Messages and calls are end-to-end encrypted. No one outside of this chat can read them.",
])
def test_chat_chrome_is_recognised(line: str) -> None:
    assert is_chrome(line)


@pytest.mark.parametrize("line", [
    "Hubungi Ibu Rina WA 0812-3456-7890", "0812-3456-7890", "+7 999 123-45-67",
    "Вахта 30/30, питание и жильё", "Gaji 9 juta", "Это правда?", "Is this real?",
    "Berangkat 12.05 pagi", "Salary $2500 per month",
])
def test_message_lines_are_kept(line: str) -> None:
    assert not is_chrome(line)


def test_a_screenshot_becomes_the_message() -> None:
    read = [*words("10:42 4G 87%", paragraph=1), *words("< Bu Rina Agen", "online",
                                                          paragraph=2),
            *words("Hari ini", paragraph=3),
            *words("Dibutuhkan 20 wanita usia 17-25 tahun untuk", "kerja di restoran.",
                   "16:49", paragraph=4),
            *words("Paspor dititipkan ke majikan. 16:50", paragraph=5),
            *words("Ini beneran kak? 16:52 vv", paragraph=6),
            *words("Ketik pesan", paragraph=7)]
    text = message_text(clean_lines(lines_of(read)))
    assert text == ("Dibutuhkan 20 wanita usia 17-25 tahun untuk kerja di restoran.\n\n"
                    "Paspor dititipkan ke majikan.\n\nIni beneran kak?")


def test_doubtful_words_and_edges_are_left_out_and_hyphens_joined() -> None:
    read = [*words("Gaji besar, paspor di-"),
            Word("simpan", 91, 0, 80, 30, (1, 1, 2)), Word("agen", 88, 80, 80, 30, (1, 1, 2)),
            Word("|", 95, 200, 80, 30, (1, 1, 2)), Word("@#", 12, 260, 80, 30, (1, 1, 2))]
    assert message_text(clean_lines(lines_of(read))) == "Gaji besar, paspor disimpan agen"


def test_the_name_is_dropped_when_read_after_the_status() -> None:
    read = [*words("online", paragraph=1), *words("< ©® Jobs Abroad Agent", paragraph=2),
            *words("HOUSEMAID IN LEBANON", paragraph=3)]
    assert message_text(clean_lines(lines_of(read))) == "HOUSEMAID IN LEBANON"


@pytest.mark.parametrize(("lang", "country", "packs"), [
    ("id", "", "ind+eng"),
    ("id", "KG", "ind+rus+eng"),
    ("ru", "", "rus+eng"),
    ("ru", "ID", "rus+ind+eng"),
    ("ru", "kz", "rus+eng"),
    ("en", "", "eng+ind+rus"),  # English speakers may forward ads of either region
    ("en", "MY", "eng+ind"),
    ("", "", "eng+ind+rus"),
])
def test_language_packs_follow_language_and_country(lang: str, country: str,
                                                    packs: str) -> None:
    assert packs_for(lang, country, {"ind", "rus", "eng"}) == packs


def test_only_installed_packs_are_asked_for() -> None:
    assert packs_for("ru", "", {"eng"}) == "eng"
    assert packs_for("id", "", set()) == ""


def test_a_reading_joins_the_caption_in_the_event() -> None:
    event = Inbound(kind=Kind.MEDIA, text="Dari grup desa", choice="ptoken")
    read = with_reading(event, Reading(Status.READ, "Gaji 9 juta, paspor disimpan agen"))
    assert read.text == "Dari grup desa\n\nGaji 9 juta, paspor disimpan agen"
    assert (read.picture, read.picture_text, read.choice) == (
        READ, "Gaji 9 juta, paspor disimpan agen", "ptoken")
    bare = with_reading(Inbound(kind=Kind.MEDIA), Reading(Status.READ, "Gaji 9 juta"))
    assert bare.text == "Gaji 9 juta"
    for status in (Status.NO_TEXT, Status.FAILED, Status.BUSY):
        assert with_reading(Inbound(kind=Kind.MEDIA), Reading(status)).picture == UNREADABLE
    for status in (Status.OFF, Status.REJECTED):  # as before OCR: the photo's notice says it
        assert with_reading(event, Reading(status)) == event


def test_a_sentence_cut_into_two_paragraphs_is_joined_and_titles_stay_apart() -> None:
    read = [*words("FACTORY WORKERS WANTED", paragraph=1),
            *words("Monthly pay RM 4000. Pay a processing fee of RM", paragraph=2),
            *words("1500 before departure.", paragraph=3),
            *words("For young girls, $5000 a month,", paragraph=4),
            *words("travel paid.", paragraph=5), *words("Send your photos", paragraph=6)]
    assert message_text(clean_lines(lines_of(read))) == (
        "FACTORY WORKERS WANTED\n\n"
        "Monthly pay RM 4000. Pay a processing fee of RM 1500 before departure.\n\n"
        "For young girls, $5000 a month, travel paid.\n\nSend your photos")
