"""The guidance texts: one Markdown file per module and language under
``locales/<lang>/guidance/``, screens separated by a line ``---``.

A line ``[[emergency]]`` or ``[[helplines]]`` / ``[[helplines:TOPIC]]`` stands where the
directory's numbers go, so that no number is ever written into a translation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from flows.locale import FALLBACK, SUPPORTED

MARKER = re.compile(r"^\[\[(emergency|helplines)(?::(\w+))?\]\]$")


@dataclass(frozen=True, slots=True)
class Module:
    id: str  # the file name without its number: "what", "tricks"…
    title: str
    screens: tuple[str, ...]


class Guidance:
    """Every module in every language, in the order of their file names."""

    def __init__(self, modules: Mapping[str, tuple[Module, ...]]) -> None:
        self._modules = dict(modules)

    @classmethod
    def load(cls, locales_dir: Path) -> Guidance:
        modules: dict[str, tuple[Module, ...]] = {}
        for lang in SUPPORTED:
            folder = locales_dir / lang / "guidance"
            files = sorted(folder.glob("*.md")) if folder.is_dir() else []
            modules[lang] = tuple(parse_module(f.stem, f.read_text(encoding="utf-8"))
                                  for f in files)
        return cls(modules)

    def modules(self, lang: str) -> tuple[Module, ...]:
        return self._modules.get(lang) or self._modules.get(FALLBACK, ())

    def ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.modules(FALLBACK))


def parse_module(stem: str, text: str) -> Module:
    module_id = stem.split("-", 1)[-1]
    lines = text.strip().splitlines()
    title = lines[0].lstrip("#").strip() if lines and lines[0].startswith("#") else module_id
    body = "\n".join(lines[1:] if lines and lines[0].startswith("#") else lines)
    screens = tuple(_bullets(s.strip()) for s in re.split(r"^---$", body, flags=re.M)
                    if s.strip())
    return Module(module_id, title, screens)


def _bullets(screen: str) -> str:
    return re.sub(r"^- ", "• ", screen, flags=re.M)
