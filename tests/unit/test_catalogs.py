"""Every string the bot says is translated in Indonesian and Russian, with the same placeholders.

Extraction uses the same Babel settings as ``pybabel extract`` (locales/babel.cfg), so a
string added to the code and not to the catalogs fails here, not in front of a user.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"msg": None, "nmsg": (1, 2)}
METHOD_MAP = [("bot/**.py", "python"), ("flows/**.py", "python"),
              ("referral_directory/**.py", "python")]
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def code_messages() -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for _file, _line, message, _comments, _ctx in extract_from_dir(
            str(ROOT), method_map=METHOD_MAP, keywords=KEYWORDS):
        if isinstance(message, tuple):
            found[message[0]] = message[1]
        else:
            found[message] = None
    return found


def catalog(lang: str):  # type: ignore[no-untyped-def]
    with (ROOT / "locales" / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale=lang)


def test_code_has_messages() -> None:
    assert len(code_messages()) > 20


@pytest.mark.parametrize("lang", ["id", "ru"])
def test_every_message_is_translated_and_not_fuzzy(lang: str) -> None:
    cat = catalog(lang)
    problems = []
    for msgid, plural in code_messages().items():
        entry = cat.get(msgid)
        if entry is None:
            problems.append(f"missing: {msgid!r}")
            continue
        if entry.fuzzy:
            problems.append(f"fuzzy: {msgid!r}")
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if plural is not None and len(strings) != cat.num_plurals:
            problems.append(f"plural forms: {msgid!r}")
        if not all(strings):
            problems.append(f"untranslated: {msgid!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", ["en", "id", "ru"])
def test_placeholders_match(lang: str) -> None:
    cat = catalog(lang)
    problems = []
    for entry in cat:
        if not entry.id or not entry.string:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        wanted = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for text in strings:
            if text and set(PLACEHOLDER.findall(text)) - wanted:
                problems.append(f"{lang}: unknown placeholder in {ids[0]!r}")
            if text and len(strings) == 1 and set(PLACEHOLDER.findall(text)) != wanted:
                problems.append(f"{lang}: placeholders differ in {ids[0]!r}")
    assert not problems, "\n".join(problems)


def test_russian_has_three_plural_forms() -> None:
    assert catalog("ru").num_plurals == 3


def test_catalogs_compile() -> None:
    from bot.i18n import Translator
    from flows.types import Msg

    translator = Translator.load(ROOT / "locales")
    assert translator.template(Msg("Choose your language:"), "ru") == "Выберите язык:"
    assert translator.template(Msg("Choose your language:"), "xx") == "Choose your language:"
