"""Guidance follows the country the person is in: a mother in Bishkek reads Russia's and
Central Asia's rules, a family in Java Indonesia's, each module with the sources of what was
shown, and the numbers of the reader's own country in place of the markers."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from bot.app import build_engine
from bot.i18n import LOCALES_DIR
from flows.engine import Conversation, Engine
from flows.learn.content import (
    FOR,
    SOURCES_LABEL,
    Guidance,
    parse_module,
    reader_countries,
)
from flows.types import Bullets, Msg, Part, Quote, Reply, Text
from flows.whom_to_call import iso_countries
from tests.helpers.events import command, find_choice, press

CENTRAL_ASIA = ("RU", "KZ", "KG", "UZ", "TJ")
# The countries the guidance is written for: where our readers live, and where Central
# Asian workers go (Turkey, the UAE, South Korea) or Indonesian workers live (Malaysia).
WRITTEN_FOR = {"ID", "MY", *CENTRAL_ASIA, "TR", "AE", "KR"}
READERS = ["", *sorted(WRITTEN_FOR), "DE"]  # "" while unknown; DE: nothing written for it
# The catalogue's own origins ("Indonesian studies of child trafficking, ECPAT, IOM, Russian
# NGOs") may be named; Indonesia's process and laws may not.
INDONESIAN_PROCESS = re.compile(r"P3MI|SISKOP2MI|Disnaker|BP2MI|KP2MI|LTSA|G to G|Kepmenaker"
                                r"|Safe Travel|Закон\w* Индонезии|В Индонезии|Из Индонезии", re.I)
RUSSIAN_LAW = re.compile(r"115-FZ|115-ФЗ|\bpaten\b|\bpatent\b|EAEU|127\.1|127\.2|KUHP Rusia"
                         r"|UU Federal Rusia|di Rusia|ke Rusia|Asia Tengah|Uzbekistan", re.I)


@pytest.fixture(scope="module")
def guidance() -> Guidance:
    return Guidance.load(LOCALES_DIR)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return build_engine()


def _flat(part: object) -> str:
    if isinstance(part, Msg):
        return " ".join([part.msgid, *(_flat(v) for v in part.params.values())])
    if isinstance(part, Quote | Text):
        return part.text
    if isinstance(part, Bullets):
        return "\n".join(_flat(item) for item in part.items)
    return str(part)


def _said(replies: tuple[Reply, ...]) -> str:
    parts: list[Part] = [p for r in replies for p in r.parts]
    return "\n".join(_flat(p) for p in parts)


def _read_everything(engine: Engine, lang: str, country: str) -> str:
    """Every screen of every module as the engine shows it, numbers filled in."""
    conv = Conversation(lang=lang, country=country)
    shown = []
    for number in range(1, 8):
        step = engine.handle(conv, command("learn", str(number)))
        while True:
            shown.append(_said(step.replies))
            try:
                nxt = find_choice(step.replies, "Next")
            except AssertionError:
                break
            step = engine.handle(step.conversation, press(nxt))
        conv = step.conversation
    return "\n".join(shown)


@pytest.mark.parametrize("country", ["KG", "KZ", "UZ", "TJ", "RU", ""])
def test_central_asia_never_reads_indonesias_process(engine: Engine, country: str) -> None:
    everything = _read_everything(engine, "ru", country)
    assert not INDONESIAN_PROCESS.search(everything), INDONESIAN_PROCESS.findall(everything)
    assert "патент" in everything and "ЕАЭС" in everything
    assert "EPS" in everything and "ОАЭ" in everything


@pytest.mark.parametrize("country", ["ID", ""])
def test_indonesia_never_reads_russian_law(engine: Engine, country: str) -> None:
    everything = _read_everything(engine, "id", country)
    assert not RUSSIAN_LAW.search(everything), RUSSIAN_LAW.findall(everything)
    assert "UU No. 21 Tahun 2007" in everything and "SISKOP2MI" in everything


def test_indonesian_rights_cite_indonesian_law(guidance: Guidance) -> None:
    rights = guidance.modules("id", "ID")[-1]
    sources = rights.screens[-1].splitlines()[-1]
    assert "UU No. 21 Tahun 2007" in sources and "UU No. 18 Tahun 2017" in sources
    assert not RUSSIAN_LAW.search("\n".join(rights.screens))


def test_russian_rights_cite_the_laws_on_documents(guidance: Guidance) -> None:
    rights = guidance.modules("ru", "KG")[-1]
    sources = rights.screens[-1].splitlines()[-1]
    assert "127.1" in sources and "127.2" in sources and "Договор о ЕАЭС" in sources
    assert "Индонези" not in "\n".join(rights.screens)


def test_english_while_unknown_shows_both_each_with_its_heading(guidance: Guidance) -> None:
    abroad = "\n".join(guidance.modules("en")[3].screens)
    assert "*From Indonesia*" in abroad and "*To Russia from Central Asia" in abroad
    sources = abroad.splitlines()[-1]
    assert "Indonesia Law No. 18/2017" in sources and "115-FZ" in sources
    assert "SISKOP2MI" not in "\n".join(guidance.modules("en", "KG")[3].screens)
    assert "115-FZ" not in "\n".join(guidance.modules("en", "ID")[3].screens)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_screen_for_some_countries_opens_with_a_heading(guidance: Guidance,
                                                              lang: str) -> None:
    # English readers whose country is unknown see both sets: each says where it is for.
    for module in guidance.texts(lang):
        for screen in module.screens:
            if screen.countries:
                assert screen.text().startswith("*"), (module.id, screen.text()[:60])


@pytest.mark.parametrize("lang", ["en", "id", "ru"])
@pytest.mark.parametrize("country", READERS)
def test_every_module_ends_with_its_sources(guidance: Guidance, lang: str, country: str) -> None:
    for module in guidance.modules(lang, country):
        assert module.screens, module.id
        last = module.screens[-1].splitlines()[-1]
        assert last.startswith(SOURCES_LABEL[lang]) and last.endswith("."), (module.id, last)
        assert last.count(SOURCES_LABEL[lang]) == 1, module.id  # one line, gathered
        for screen in module.screens[:-1]:
            assert SOURCES_LABEL[lang] not in screen, (module.id, screen[:60])


@pytest.mark.parametrize("lang", ["en", "id", "ru"])
def test_every_for_mark_names_iso_countries_the_guidance_is_written_for(lang: str) -> None:
    marks = 0
    for path in sorted((LOCALES_DIR / lang / "guidance").glob("*.md")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if "[[for" not in line:
                continue
            mark = FOR.match(line)
            assert mark, (path.name, line)
            codes = {c.strip() for c in mark.group(1).split(",")}
            assert codes <= iso_countries(), (path.name, codes)
            assert codes <= WRITTEN_FOR, (path.name, codes - WRITTEN_FOR)
            marks += 1
    assert marks > 10


@pytest.mark.parametrize("mark", ["[[for:KGZ]]", "[[for:kg]]", "[[for:QQ]]", "[[for:]]",
                                  "[[for:KG"])
def test_a_wrong_mark_is_refused(mark: str) -> None:
    with pytest.raises(ValueError, match="demo"):
        parse_module("1-demo", f"# Demo\n{mark}\nText", where="demo")


def test_a_mark_inside_a_paragraph_is_refused() -> None:
    with pytest.raises(ValueError, match="must open"):
        parse_module("1-demo", "# Demo\nText\n[[for:ID]] more", where="demo")


def test_screens_and_paragraphs_are_kept_for_their_countries(tmp_path: Path) -> None:
    folder = tmp_path / "en" / "guidance"
    folder.mkdir(parents=True)
    (folder / "1-demo.md").write_text(
        "# Demo\nFor all.\n\n[[for:ID]] Only Indonesia.\n\n[[for:RU, KG]] Only RU or KG.\n\n"
        "Sources: Common\n\n[[for:ID]] Sources: ID law; Common\n---\n[[for:KG]]\n- a\n- b\n\n"
        "Sources: KG law.\n---\nThe end.\n", encoding="utf-8")
    guidance = Guidance.load(tmp_path)
    indonesia = guidance.modules("en", "ID")[0]
    assert indonesia.screens == ("For all.\n\nOnly Indonesia.",
                                 "The end.\n\nSources: Common; ID law.")
    kyrgyzstan = guidance.modules("en", "KG")[0]
    assert kyrgyzstan.screens == ("For all.\n\nOnly RU or KG.", "• a\n• b",
                                  "The end.\n\nSources: Common; KG law.")
    assert len(guidance.modules("en", "DE")[0].screens) == 2
    assert len(guidance.modules("en")[0].screens) == 3  # English, unknown: all of them


def test_a_module_with_nothing_for_the_country_shows_everything() -> None:
    module = parse_module("1-demo", "# Demo\n[[for:ID]]\nOne\n---\n[[for:KG]]\nTwo")
    assert module.shown(frozenset({"DE"})).screens == ("One", "Two")


@pytest.mark.parametrize(("country", "lang", "expected"), [
    ("", "id", {"ID"}), ("", "ru", set(CENTRAL_ASIA)), ("", "en", {"ID", "MY", *CENTRAL_ASIA}),
    ("KG", "id", {"KG"}), ("ID", "ru", {"ID"}), ("TR", "en", {"TR"}),
])
def test_whose_guidance_a_reader_gets(country: str, lang: str, expected: set[str]) -> None:
    assert reader_countries(country, lang) == expected


def _module(engine: Engine, lang: str, country: str, number: int) -> list[str]:
    step = engine.handle(Conversation(lang=lang, country=country),
                         command("learn", str(number)))
    shown = [_said(step.replies)]
    while True:
        try:
            nxt = find_choice(step.replies, "Next")
        except AssertionError:
            return shown
        step = engine.handle(step.conversation, press(nxt))
        shown.append(_said(step.replies))


def test_markers_render_the_numbers_of_the_readers_country(engine: Engine) -> None:
    kyrgyzstan = "\n".join(_module(engine, "ru", "KG", 6))
    assert re.search(r"\b102\b", kyrgyzstan) and re.search(r"\b189\b", kyrgyzstan)
    assert "8-800" not in kyrgyzstan and "SAPA" not in kyrgyzstan
    assert "If your stay in Russia is not legal" not in kyrgyzstan
    russia = "\n".join(_module(engine, "ru", "RU", 6))
    assert "8-800" in russia and not re.search(r"\b189\b", russia)
    assert "If your stay in Russia is not legal" in russia
    indonesia = "\n".join(_module(engine, "id", "ID", 6))
    assert "SAPA" in indonesia and "8-800" not in indonesia
    # Unknown: the language's countries' emergency numbers and the question, no hotline.
    unknown = "\n".join(_module(engine, "ru", "", 6))
    assert "Numbers and advice depend on the country" in unknown and "8-800" not in unknown


def test_migrant_helplines_follow_the_country_in_every_module(engine: Engine) -> None:
    abroad = "\n".join(_module(engine, "en", "KG", 4))
    assert re.search(r"\b189\b", abroad) and "KP2MI" not in abroad


def test_a_country_set_while_reading_shortens_the_module_without_breaking(
        engine: Engine) -> None:
    step = engine.handle(Conversation(lang="en"), command("learn", "4"))
    for _ in range(6):  # to the 7th of 8 screens (English, country unknown)
        step = engine.handle(step.conversation, press(find_choice(step.replies, "Next")))
    assert _position(step.replies) == (7, 8)
    moved = replace(step.conversation, country="ID")  # /country ID: three screens now
    step = engine.handle(moved, press(find_choice(step.replies, "Back")))
    assert _position(step.replies) == (2, 3)


def _position(replies: tuple[Reply, ...]) -> tuple[int, int]:
    heading = replies[0].parts[0]
    assert isinstance(heading, Msg)
    return heading.params["screen"], heading.params["screens"]


@pytest.mark.parametrize(("lang", "country"), [("ru", ""), ("id", ""), ("en", ""),
                                               ("ru", "KG"), ("en", "ID"), ("ru", "TR")])
def test_the_reader_is_shown_what_guidance_modules_lists(engine: Engine, guidance: Guidance,
                                                         lang: str, country: str) -> None:
    # tests/e2e/test_console_languages.py walks guidance.modules(lang) screen by screen.
    for number, module in enumerate(guidance.modules(lang, country), start=1):
        step = engine.handle(Conversation(lang=lang, country=country),
                             command("learn", str(number)))
        assert _position(step.replies) == (1, len(module.screens)), module.id
