"""Cleaning of user text before any flow sees it."""

from __future__ import annotations

import re
import unicodedata

# A chat message is at most 4,096 characters on Telegram and WhatsApp; a pasted offer with
# its forwarded context may be longer in the console. Past this we ask for a shorter text
# rather than truncate silently.
MAX_TEXT_CHARS = 12_000

# C0/C1 control characters other than tab and newline, and the Unicode replacement char
# that binary junk decodes to: they carry no meaning for us and can break rendering.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffd]")


def clean_text(raw: str) -> str:
    """Drops control characters and surrounding blanks; keeps line breaks and emoji."""
    text = _CONTROL.sub("", raw)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def looks_like_binary(raw: str) -> bool:
    """True when most of a message is control characters or undecodable bytes."""
    if not raw:
        return False
    bad = sum(1 for ch in raw if _CONTROL.match(ch) or unicodedata.category(ch) == "Co")
    return bad * 3 > len(raw)


# "makasih", «спасибо», "rahmat", "matur nuwun": thanks, in the words people type.
THANKS = re.compile(r"\b(?:makasih|makasi|mksh|terima ?kasih|trims|thanks?|thank you|thx|"
                    r"tq|спасибо|спасибки|спс|благодарю|рахмат|raxmat|rahmat|rakhmat|spasibo|"
                    r"spasib|spsb|рақмет|rakhmet|рахмет|ташаккур|tashakkur|"
                    r"matur (?:nuwun|suwun)|"
                    r"suwun|hatur nuhun|nuhun)\b", re.IGNORECASE)


# A word of letters (two at least): what a tip or a wish says, digits and marks aside.
_LETTER_WORD = re.compile(r"[^\W\d_]{2,}")


def letter_words(text: str) -> int:
    """How many words of two letters or more the text has ("1", "ok?" say nothing)."""
    return len(_LETTER_WORD.findall(text))
