"""What a short message asks for, in the words people type instead of a command: "lapor",
«куда звонить?», "who can i call", "aku di kupang". People do not type slash commands; a
short text that names what it wants starts that flow rather than "I did not understand".

Pure: patterns only. The engine asks only for texts shorter than an offer, outside a flow
or after a checked offer, so that a report's own answers are never taken for a wish.
"""

from __future__ import annotations

import re

from flows.deps import RECEIPT_ALPHABET
from flows.text import letter_words

# (flow, pattern) in the order tried: a place said as where one is ("aku di kupang",
# «я в Оше живу») asks for help near it; whom to call asks for the numbers; "lapor" for a
# report.
_INTENTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("contacts", re.compile(
        r"\b(?:nomor|no\.?|telpon|telepon|hubungi|kontak)\s+(?:siapa|brp|berapa|apa|polisi|"
        r"kbri|kjri|konsulat|kedutaan|bantuan|pengaduan|darurat)|"
        r"\b(?:minta|butuh|ada)\s+(?:nomor|kontak)|\bbantuan (?:terdekat|di dekat)|"
        r"куда (?:звонить|обратиться|позвонить|идти|жаловаться)|кому (?:звонить|позвонить)|"
        r"(?:номер|телефон) (?:доверия|полиции|милиции|посольства|консульства|горячей)|"
        r"(?:в|на) (?:милицию|полицию) (?:можно|звонить|позвонить)|"
        r"\b(?:who|whom|what number)\b.{0,20}\b(?:call|contact|ring)\b|"
        r"\b(?:help|helpline|hotline|ngo|embassy|consulate)\b.{0,15}\b(?:near me|number)\b|"
        r"\bcall the police\b|"
        # where a mission is: «где консульство Кыргызстана в Москве?», "alamat kbri kl",
        # "kjri hongkong dimana", "where is the indonesian embassy"
        r"\bгде\b.{0,25}(?:посольств|консульств)|(?:адрес|телефон|контакты?)\s+"
        r"(?:посольств|консульств)|(?:посольств|консульств)\w*\b.{0,40}\bгде\b|"
        r"\b(?:alamat|lokasi|kontak)\s+(?:kbri|kjri|kedutaan|konsulat)|"
        r"\b(?:kbri|kjri|kedutaan|konsulat)\b.{0,30}\b(?:dimana|di\s?mana|alamatnya|"
        r"nomornya|kontaknya)\b|"
        r"\bwhere\b.{0,25}\b(?:embassy|consulate)\b|\b(?:embassy|consulate)\b.{0,30}"
        r"\b(?:address|phone|contact)\b", re.IGNORECASE)),
    # At the start of the message or of a clause: "sy relawan di kupang, mau lapor aja".
    ("report", re.compile(
        r"(?:^|[,.;]\s*)\W*(?:(?:mau|ingin|pengen|saya mau|aku mau|sy mau)\s+)?(?:lapor|"
        r"laporkan|melaporkan|ngelapor|aduan|mengadu)\b|"
        r"(?:^|[,.;]\s*)\W*(?:(?:хочу|хотим|можно)\s+)?(?:сообщить|пожаловаться|заявить|"
        r"донести)\b|"
        r"(?:^|[,.;]\s*)\W*(?:(?:i want to|i wanna|i'd like to|can i)\s+)?report\b",
        re.IGNORECASE)),
)


# A receipt code sent alone, as the receipt shows it ("K7QF-2MXP-9HRT", lower case too), or
# after a word that asks for its status ("status K7QF-2MXP-9HRT", «код …»): the reporter
# follows up without the command. Only the dashed form: twelve letters in a row may be a word.
_CODE_CHAR = f"[{RECEIPT_ALPHABET}]"
_RECEIPT = re.compile(
    rf"^\W*(?:(?:status|cek|kode|code|статус|код|проверить)\W+)?"
    rf"({_CODE_CHAR}{{4}}-{_CODE_CHAR}{{4}}-{_CODE_CHAR}{{4}})\W*$", re.IGNORECASE)


def receipt_in(text: str) -> str | None:
    """The receipt code a message consists of, or None."""
    found = _RECEIPT.match(text.strip())
    return found.group(1).upper() if found else None


def intent_of(text: str) -> str | None:
    """The flow a short message asks for, or None."""
    if receipt_in(text) is not None:
        return "status"
    for flow, pattern in _INTENTS:
        if pattern.search(text):
            return flow
    return None


# What a report's wish must leave to be the tip itself: "mau lapor aja" is the wish alone;
# "mau lapor, ada calo bawa anak 14 thn ke jakarta" carries what happened.
MIN_TIP_WORDS = 4


def tip_in_wish(text: str) -> str:
    """The text of a report asked for in words, when it also tells what happened; "" when
    it only asks ("lapor", "i want to report"), so that the report asks what happened."""
    pattern = dict(_INTENTS)["report"]
    rest = pattern.sub(" ", text, count=1)
    return text if letter_words(rest) >= MIN_TIP_WORDS else ""
