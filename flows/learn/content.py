"""The guidance texts: one Markdown file per module and language under
``locales/<lang>/guidance/``, screens separated by a line ``---``.

A line ``[[emergency]]`` or ``[[helplines]]`` / ``[[helplines:TOPIC]]`` stands where the
directory's numbers go, so that no number is ever written into a translation.

Guidance follows the country the person is in. ``[[for:ID]]`` or ``[[for:RU,KZ,KG,UZ,TJ]]``
(ISO 3166-1 codes) alone on the first line of a screen keeps that screen for people in those
countries; the same mark at the start of a paragraph (``[[for:ID]] In Indonesia…``) keeps
only that paragraph. Text without a mark is for everyone. The reader's countries are the one
they are in (``/country``, or a place they named); while it is unknown, those of their
language: Indonesian readers Indonesia, Russian readers Russia and Central Asia, English
readers all of them (``reader_countries``).

A paragraph that starts with the language's label (``Sources:``, ``Sumber:``,
``Источники:``) lists sources, separated by ``;``. The sources of the paragraphs a reader is
shown are gathered, without repeats, into one line at the end of the module's last screen:
a module ends with the sources of what was shown, and Russian law is never cited under
Indonesian advice (nor the reverse).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from flows.locale import FALLBACK, SUPPORTED
from flows.whom_to_call import LANGUAGE_COUNTRIES, home_country, iso_countries

MARKER = re.compile(r"^\[\[(emergency|helplines)(?::(\w+))?\]\]$")
FOR = re.compile(r"^\[\[for:([^\]]*)\]\][ \t]*")
SOURCES_LABEL: dict[str, str] = {"en": "Sources:", "id": "Sumber:", "ru": "Источники:"}

def reader_countries(country: str, lang: str) -> frozenset[str]:
    """The countries whose guidance a reader gets: theirs when known (Indonesia for an
    Indonesian reader while unknown), else every country where the language is spoken."""
    home = home_country(country, lang)
    if home:
        return frozenset({home})
    return frozenset(LANGUAGE_COUNTRIES.get(lang, LANGUAGE_COUNTRIES["en"]))


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    countries: frozenset[str] = frozenset()  # empty: for everyone
    sources: tuple[str, ...] = ()  # a sources paragraph has no text, only these

    def is_for(self, countries: frozenset[str]) -> bool:
        return not self.countries or bool(self.countries & countries)


@dataclass(frozen=True, slots=True)
class Screen:
    paragraphs: tuple[Paragraph, ...]
    countries: frozenset[str] = frozenset()  # empty: for everyone

    def is_for(self, countries: frozenset[str]) -> bool:
        return not self.countries or bool(self.countries & countries)

    def text(self, countries: frozenset[str] | None = None) -> str:
        """The screen's text (every paragraph when ``countries`` is None), sources left out."""
        return "\n\n".join(p.text for p in self.paragraphs
                           if p.text and (countries is None or p.is_for(countries)))


@dataclass(frozen=True, slots=True)
class ModuleText:
    """A module as written: every screen and paragraph, with the countries each is for."""

    id: str  # the file name without its number: "what", "tricks"…
    title: str
    screens: tuple[Screen, ...]
    label: str = "Sources:"

    def shown(self, countries: frozenset[str]) -> Module:
        """What a reader in ``countries`` sees: their screens and paragraphs, then one line
        with the sources of what was shown."""
        screens = [s for s in self.screens if s.is_for(countries)]
        texts = [t for t in (s.text(countries) for s in screens) if t]
        wanted: frozenset[str] | None = countries
        if not texts:  # never an empty module: every screen rather than none
            screens, wanted = list(self.screens), None
            texts = [t for t in (s.text() for s in screens) if t]
        sources = _unique(item for s in screens for p in s.paragraphs
                          if wanted is None or p.is_for(wanted) for item in p.sources)
        if sources and texts:
            texts[-1] = f"{texts[-1]}\n\n{self.label} {'; '.join(sources)}."
        return Module(self.id, self.title, tuple(texts))


@dataclass(frozen=True, slots=True)
class Module:
    """A module as one reader sees it."""

    id: str
    title: str
    screens: tuple[str, ...]


class Guidance:
    """Every module in every language, in the order of their file names."""

    def __init__(self, modules: Mapping[str, tuple[ModuleText, ...]]) -> None:
        self._modules = dict(modules)
        # What each language's readers in each set of countries see; a few hundred at most.
        self._shown: dict[tuple[str, frozenset[str]], tuple[Module, ...]] = {}

    @classmethod
    def load(cls, locales_dir: Path) -> Guidance:
        modules: dict[str, tuple[ModuleText, ...]] = {}
        for lang in SUPPORTED:
            folder = locales_dir / lang / "guidance"
            files = sorted(folder.glob("*.md")) if folder.is_dir() else []
            modules[lang] = tuple(parse_module(f.stem, f.read_text(encoding="utf-8"), lang,
                                               where=str(f))
                                  for f in files)
        return cls(modules)

    def texts(self, lang: str) -> tuple[ModuleText, ...]:
        """The modules as written, in ``lang`` (English when it has none)."""
        return self._modules.get(lang) or self._modules.get(FALLBACK, ())

    def modules(self, lang: str, country: str = "") -> tuple[Module, ...]:
        """The modules a reader of ``lang`` in ``country`` ("" while unknown) sees."""
        key = (lang, reader_countries(country, lang))
        if key not in self._shown:
            self._shown[key] = tuple(m.shown(key[1]) for m in self.texts(lang))
        return self._shown[key]

    def ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.texts(FALLBACK))


def parse_module(stem: str, text: str, lang: str = FALLBACK, *, where: str = "") -> ModuleText:
    """Reads one module file; a malformed ``[[for:…]]`` mark or an unknown country code is
    an error (a typo would hide a screen from everyone it was written for)."""
    module_id = stem.split("-", 1)[-1]
    lines = text.strip().splitlines()
    titled = bool(lines) and lines[0].startswith("#")
    title = lines[0].lstrip("#").strip() if titled else module_id
    body = "\n".join(lines[1:] if titled else lines)
    label = SOURCES_LABEL.get(lang, SOURCES_LABEL[FALLBACK])
    screens = tuple(_screen(s.strip(), label, where or stem)
                    for s in re.split(r"^---$", body, flags=re.M) if s.strip())
    return ModuleText(module_id, title, screens, label)


def _screen(raw: str, label: str, where: str) -> Screen:
    countries: frozenset[str] = frozenset()
    first, _, rest = raw.partition("\n")
    mark = FOR.match(first.strip())
    if mark and not first.strip()[mark.end():]:  # the mark alone on the first line
        countries, raw = _codes(mark.group(1), where), rest.strip()
    paragraphs = tuple(_paragraph(p.strip(), label, where)
                       for p in re.split(r"\n[ \t]*\n", raw) if p.strip())
    return Screen(paragraphs, countries)


def _paragraph(raw: str, label: str, where: str) -> Paragraph:
    countries: frozenset[str] = frozenset()
    mark = FOR.match(raw)
    if mark:
        countries, raw = _codes(mark.group(1), where), raw[mark.end():].strip()
    elif raw.startswith("[[for"):
        raise ValueError(f"{where}: malformed mark {raw.splitlines()[0]!r}")
    if "[[for" in raw:
        raise ValueError(f"{where}: a [[for:…]] mark must open a screen or a paragraph")
    if raw.startswith(label):
        items = raw[len(label):].strip().rstrip(".")
        return Paragraph("", countries, tuple(i.strip() for i in items.split(";") if i.strip()))
    return Paragraph(_bullets(raw), countries)


def _codes(raw: str, where: str) -> frozenset[str]:
    codes = [c.strip() for c in raw.split(",")]
    wrong = [c for c in codes if c not in iso_countries()]
    if wrong or not codes:
        raise ValueError(f"{where}: not ISO 3166-1 country codes in [[for:{raw}]]: {wrong}")
    return frozenset(codes)


def _unique(items: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)


def _bullets(screen: str) -> str:
    return re.sub(r"^- ", "• ", screen, flags=re.M)
