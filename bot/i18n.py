"""gettext catalogs, compiled from the committed ``.po`` files at start.

The ``.po`` files under ``locales/<lang>/LC_MESSAGES/messages.po`` are the source of
truth; Babel compiles them in memory when the bot starts, so no binary ``.mo`` is committed
and a corrected translation takes effect on the next start without a build step.
English message ids are the fallback for anything a catalog lacks.
"""

from __future__ import annotations

import gettext
import io
import logging
from collections.abc import Mapping
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from flows.locale import FALLBACK, SUPPORTED
from flows.types import Msg

log = logging.getLogger(__name__)

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"


class Translator:
    """Translates ``Msg`` values into one of the supported languages."""

    def __init__(self, catalogs: Mapping[str, gettext.NullTranslations]) -> None:
        self._catalogs = dict(catalogs)
        self._null = gettext.NullTranslations()

    @classmethod
    def load(cls, locales_dir: Path = LOCALES_DIR) -> Translator:
        catalogs: dict[str, gettext.NullTranslations] = {}
        for lang in SUPPORTED:
            po_path = locales_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
            if not po_path.is_file():
                log.warning("i18n.catalog_missing lang=%s", lang)
                continue
            catalogs[lang] = compile_po(po_path, lang)
        return cls(catalogs)

    def template(self, message: Msg, lang: str) -> str:
        """The translated template of a message, before parameters are filled in."""
        catalog = self._catalogs.get(lang) or self._catalogs.get(FALLBACK) or self._null
        if message.plural is not None:
            return catalog.ngettext(message.msgid, message.plural, message.n or 0)
        return catalog.gettext(message.msgid)

    def english(self, message: Msg) -> str:
        if message.plural is not None:
            return message.msgid if (message.n or 0) == 1 else message.plural
        return message.msgid


def compile_po(po_path: Path, lang: str) -> gettext.GNUTranslations:
    """Compiles one ``.po`` file in memory; fuzzy entries are left out, as msgfmt does."""
    with po_path.open("rb") as fh:
        catalog = read_po(fh, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)
