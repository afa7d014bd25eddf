"""The bot's languages and how a transport's locale hint maps onto them."""

from __future__ import annotations

SUPPORTED: tuple[str, ...] = ("id", "ru", "en")
# Indonesian is the default: most of the bot's users are Indonesian families (DESIGN.md).
DEFAULT = "id"
FALLBACK = "en"

# Each language is named in itself, so a person who cannot read the current one finds theirs.
NATIVE_NAMES: dict[str, str] = {"id": "Bahasa Indonesia", "ru": "Русский", "en": "English"}

_ALIASES: dict[str, str] = {
    "in": "id",  # the pre-1989 ISO code that Java and some Android builds still send
    "ind": "id",
    "indonesia": "id",
    "indonesian": "id",
    "bahasa": "id",
    "rus": "ru",
    "russian": "ru",
    "русский": "ru",
    "рус": "ru",
    "eng": "en",
    "english": "en",
    "inggris": "en",
    "английский": "en",
}


def normalise_locale(hint: str | None) -> str | None:
    """Maps ``ru_RU.UTF-8``, ``ru-RU``, ``in``, ``English``… to a supported code, or None."""
    if not hint:
        return None
    head = hint.strip().lower().split(".")[0].replace("-", "_").split("_")[0]
    if head in SUPPORTED:
        return head
    return _ALIASES.get(head) or _ALIASES.get(hint.strip().lower())
