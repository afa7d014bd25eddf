"""Console sessions in Indonesian and Russian: every guidance module, every flow, and not a
single English string from the catalogs on screen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.i18n import LOCALES_DIR
from flows.learn.content import Guidance
from tests.e2e.test_console import chat

NEXT = {"id": "Lanjut", "ru": "Дальше"}
OFFER = {"id": "Dicari pelayan restoran di Malaysia, gaji 20 juta, paspor disimpan agen.",
         "ru": "Требуются официантки в Турцию, зарплата 3000 долларов, паспорт сдаёте агенту."}


def english_fragments() -> set[str]:
    """Distinctive pieces of every English message: text before its first placeholder."""
    with (LOCALES_DIR / "en" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale="en")
    fragments = set()
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        for msgid in ids:
            head = re.split(r"[{*\n]", msgid.strip("*"))[0].strip()
            if len(head) >= 12:
                fragments.add(head)
    return fragments


@pytest.mark.parametrize("lang", ["id", "ru"])
def test_a_whole_session_in_one_language(data_dir: Path, lang: str) -> None:
    guidance = Guidance.load(LOCALES_DIR)
    lines = [f"/lang {lang}", "/start", "/help", "/nonsense", OFFER[lang], "/questions"]
    lines += ["2"] * 10  # answer "no" to every question
    for number, module in enumerate(guidance.modules(lang), start=1):
        lines.append(f"/learn {number}")
        lines += [NEXT[lang]] * (len(module.screens) - 1)
    lines += ["/report", "/contacts", "/cancel", "/lang"]
    done = chat(data_dir, "\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    for module in guidance.modules(lang):  # every screen of every module was shown
        for screen in range(1, len(module.screens) + 1):
            assert f"{module.title} ({screen}/{len(module.screens)})" in done.stdout
    leaked = sorted(f for f in english_fragments() if f in done.stdout)
    assert not leaked, leaked
