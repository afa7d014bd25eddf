"""Digests in the organisation's language: no internal id in a rendered digest (id, ru,
en; Telegram HTML and plain text), the CSV with machine ids beside translated names, a
chart whose words follow the language, and recruiter links that stay few per tip."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PIL import Image

from bot.app import App, build_app
from bot.orgs.chart import ChartLabels, chart_png, week_starts
from bot.orgs.digests import LINKS_SHOWN
from bot.rendering import TextRenderer
from bot.settings import Settings
from flows.red_flags.catalogue import ALL_FLAGS
from referral_directory.routing import TipTopic
from tests.helpers.clock import Clock
from tests.unit.test_tips_store import tip

# Every internal id a digest could show: topics and flags (risk ids are plain words, so
# they are looked for where the old digests put them: "risk high", "risiko high").
IDS = re.compile("|".join([*ALL_FLAGS, *(t.value for t in TipTopic)]))
RAW_RISK = re.compile(r"(risk|risiko|риск)\s+(high|medium|low)\b")
ORGS = {"id": "id-sapa-129", "ru": "ru-sisters-centre"}


async def _app_with_tips(tmp_path: Path) -> App:
    app = await build_app(Settings(data_dir=tmp_path / "data"), clock=Clock())
    app.digests._clock = lambda: datetime(2026, 11, 25, 9, tzinfo=UTC)  # type: ignore[method-assign]
    store = app.runtime._performer._store  # type: ignore[attr-defined]
    for n, (topic, risk, flags, urgent) in enumerate([
            ("trafficking", "high", ("document_retention", "minor_targeted"), True),
            ("forced_labour", "medium", ("costs_repaid_from_wages",), False),
            ("migrant_workers", "low", (), False),
            ("child_sexual_exploitation", "high", ("sexual_service_hint",), True),
            ("violence", "medium", ("secrecy_isolation",), False)]):
        for org in ORGS.values():
            saved = dataclasses.replace(
                tip(f"{org}-{n}", marks=[("phone", "+6281234567890")]), topic=topic,
                risk=risk, flags=flags, urgent=urgent, routes=((org, "national"),))
            await store.save(saved, f"h-{org}-{n}", "k", 99)
    return app


@pytest.mark.parametrize("lang", ["id", "ru", "en"])
async def test_a_rendered_digest_shows_no_internal_id(tmp_path: Path, lang: str) -> None:
    app = await _app_with_tips(tmp_path)
    try:
        org = ORGS["id"]
        digest = (await app.digests.prepare([org]))[org]
        reply = app.digests.content(org, digest.rows, lang)
        html = "\n".join(app.digests.render(org, reply, lang))
        plain = TextRenderer(app.translator).parts(
            app.digests.content(org, digest.rows, lang, chat=False).parts, lang)
        for text in (html, plain):
            assert not IDS.search(text), IDS.search(text)
            assert not RAW_RISK.search(text), RAW_RISK.search(text)
            assert "T-2611-0001" in text and "Lowongan aneh" in text
        expected = {"id": ("Perdagangan orang atau tawaran mencurigakan", "risiko tinggi",
                           "Dokumen dipegang orang lain"),
                    "ru": ("Торговля людьми или подозрительное предложение", "высокий риск",
                           "Документы забирают"),
                    "en": ("Trafficking or a suspicious offer", "high risk",
                           "Someone else keeps the documents")}[lang]
        for words in expected:
            assert words in plain, words
        # An urgent alert is built from the same lines.
        rows = await app.digests.rows([digest.rows[0].id])
        alert = TextRenderer(app.translator).parts(
            app.digests.content(org, rows, lang).parts, lang)
        assert not IDS.search(alert)
    finally:
        await app.close()


async def test_the_csv_keeps_machine_ids_and_adds_translated_names(tmp_path: Path) -> None:
    app = await _app_with_tips(tmp_path)
    try:
        digests = await app.digests.prepare(list(ORGS.values()))
        for lang, org in ORGS.items():
            digest = digests[org]
            assert digest.lang == lang  # the directory's language of the organisation
            table = list(csv.DictReader(io.StringIO(digest.csv.decode("utf-8-sig"))))
            first = table[0]
            assert first["topic"] == "trafficking" and first["risk"] == "high"
            assert first["flags"] == "document_retention minor_targeted"
            assert first["urgent"] == "yes"
            if lang == "ru":
                assert first["topic_name"] == "Торговля людьми или подозрительное предложение"
                assert first["risk_name"] == "высокий риск" and first["urgent_name"] == "срочно"
                assert first["flag_names"].startswith("Документы забирают; ")
            else:
                assert first["risk_name"] == "risiko tinggi"
                assert first["urgent_name"] == "mendesak"
        # A chat that chose English gets the same tips with English names.
        english = app.digests.translated(digests[ORGS["ru"]], "en")
        table = list(csv.DictReader(io.StringIO(english.csv.decode("utf-8-sig"))))
        assert table[0]["risk_name"] == "high risk" and table[0]["topic"] == "trafficking"
        assert english.rows == digests[ORGS["ru"]].rows
    finally:
        await app.close()


def _ink(png: bytes, box: tuple[int, int, int, int]) -> int:
    """How many dark pixels a region of the chart has (text drawn there)."""
    region = Image.open(io.BytesIO(png)).convert("L").crop(box)
    return sum(region.histogram()[:128])


def test_the_chart_draws_its_words_in_the_language_given() -> None:
    weeks = week_starts(date(2026, 11, 25))
    counts = {weeks[-1]: Counter(trafficking=3)}
    english = chart_png(weeks, counts)
    russian = chart_png(weeks, counts, ChartLabels(
        title="Сообщения по неделям и темам", axis="неделя, начиная с понедельника",
        empty="за эти недели сообщений нет",
        topics={"trafficking": "Торговля людьми или подозрительное предложение"}))
    assert english != russian
    title, axis, legend = (0, 0, 720, 30), (48, 380, 520, 400), (536, 40, 720, 90)
    for box in (title, axis, legend):  # Cyrillic is drawn (DejaVu), not left out
        assert _ink(russian, box) > 100, box
    blank = chart_png(weeks, counts, ChartLabels(title="", axis="", topics={"trafficking": ""}))
    assert _ink(blank, title) == 0 and _ink(blank, axis) == 0


async def test_links_show_a_few_references_and_the_count(tmp_path: Path) -> None:
    app = await build_app(Settings(data_dir=tmp_path / "data"), clock=Clock())
    try:
        store = app.runtime._performer._store  # type: ignore[attr-defined]
        for n in range(12):  # one number in twelve tips; a name in the first four
            marks = [("phone", "+6281111111111")] + ([("name", "pak darmo")] if n < 4 else [])
            await store.save(tip(f"d{n}", marks=marks), f"h{n}", "k", 99)
        rows = await app.digests.pending("id-sapa-129")
        first = rows[0]
        phone, name = first.links
        assert (phone.kind, phone.count) == ("phone", 11)
        assert phone.refs == ("T-2611-0012", "T-2611-0011", "T-2611-0010")  # the newest
        assert (name.kind, name.count, len(name.refs)) == ("name", 3, 3)
        assert all(first.ref not in link.refs for link in first.links)
        assert all(len(link.refs) <= LINKS_SHOWN for r in rows for link in r.links)
        text = "\n".join(app.digests.render(
            "id-sapa-129", app.digests.content("id-sapa-129", rows, "en"), "en"))
        assert ("The same number is in 11 other tips: T-2611-0012, T-2611-0011, "
                "T-2611-0010, …") in text
        # Each tip's line names at most LINKS_SHOWN others per mark, so the digest grows
        # with the tips, not with their pairs.
        refs = len(re.findall(r"T-2611-\d{4}", text))
        assert refs <= 12 * (1 + 2 * LINKS_SHOWN) + 12
    finally:
        await app.close()
