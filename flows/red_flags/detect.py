"""Which of the bot's languages a text is in, for the reply when the user chose none."""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-zA-Z\u0400-\u04ff]+")
# Short, frequent function words that hardly occur in the other language.
_ID = frozenset(
    [
        "yang",
        "dan",
        "di",
        "ke",
        "dari",
        "untuk",
        "dengan",
        "ini",
        "itu",
        "tidak",
        "saya",
        "kamu",
        "anda",
        "ada",
        "akan",
        "bisa",
        "sudah",
        "kerja",
        "gaji",
        "juga",
        "atau",
        "karena",
        "jadi",
        "mau",
        "kami",
        "kita",
        "lowongan",
        "dicari",
        "orang",
        "tua",
        "anak",
        "bekerja",
        "tanpa",
        "per",
        "bulan",
        "juta",
        "ribu",
        "harus",
        "sebagai",
        "selamat",
        "semoga",
        "terima",
        "kasih",
        "tahun",
        "hari",
        "besok",
        "nanti",
        "sama",
        "saja",
        "lagi",
        "sekolah",
        "belum",
        "aku",
        "dia",
        "mereka",
    ]
)
_EN = frozenset(
    [
        "the",
        "and",
        "to",
        "of",
        "in",
        "for",
        "with",
        "this",
        "that",
        "is",
        "are",
        "you",
        "your",
        "we",
        "our",
        "will",
        "be",
        "job",
        "work",
        "salary",
        "no",
        "not",
        "have",
        "has",
        "from",
        "at",
        "on",
        "as",
        "my",
        "me",
        "he",
        "she",
        "they",
        "it",
        "an",
        "a",
        "per",
        "month",
        # a question to the bot: "who can i call", "is it safe?", "what should we do"
        "who",
        "what",
        "how",
        "can",
        "could",
        "should",
        "call",
        "help",
        "please",
        "where",
        "when",
        "does",
        "did",
        "am",
        "was",
        "were",
        "if",
        "there",
        "here",
        "need",
        "want",
        "safe",
    ]
)


_FUNCTION_WORDS = _ID | _EN

# Uzbek in Latin letters, frequent words no Indonesian or English text uses ("meni qamab
# qo'yishdi", "yordam bering", "Koreyaga ish bor, maosh 2500$"): Central Asians read the bot
# in Russian, so such a text is answered in Russian (as Uzbek and Tajik greetings are).
_UZ = frozenset({
    "meni", "menga", "mening", "bizni", "bizga", "sizga", "sizni", "bering", "beringlar",
    "kerak", "kerakmi", "emas", "uyga", "uydan", "iltimos", "hozir", "qayerda", "qamab",
    "olib", "yordam", "ishlayman", "ishga", "ishchi", "ishchilar", "maosh", "maoshi",
    "pasportimni", "pasportni", "bilan", "keyin", "qilib", "qiling", "qildi", "nima",
    "qanday", "ketamiz", "ketolmayman", "kirasiz", "turistik", "qoldi", "yoki", "lekin",
    "uchun", "chiqara", "olmayman", "urishadi", "yotoq", "xo", "qo", "yishdi", "ydi",
})


def detect_language(text: str) -> str | None:
    """'ru', 'id' or 'en' when the text gives enough evidence, else None."""
    return detect_from_words(_WORD.findall(text))


def detect_from_words(words: list[str]) -> str | None:
    """The same, from words already split (and possibly lower-cased) by the caller."""
    if not words:
        return None
    cyrillic = sum(1 for w in words if "\u0400" <= w[0] <= "\u04ff")
    if cyrillic * 2 >= len(words):
        return "ru"
    lowered = list(map(str.lower, words))
    id_hits = sum(map(_ID.__contains__, lowered))
    en_hits = sum(map(_EN.__contains__, lowered))
    if id_hits == en_hits == 0:
        return None
    return "id" if id_hits >= en_hits else "en"


def reads_uzbek(words: list[str]) -> bool:
    """Whether Latin words read as Uzbek rather than Indonesian or English (the analysis
    itself goes on as before: Russian words typed in Latin letters among them are still
    read back into Cyrillic)."""
    lowered = list(map(str.lower, words))
    uz_hits = sum(map(_UZ.__contains__, lowered))
    return uz_hits >= 2 and uz_hits > sum(map(_ID.__contains__, lowered)) and uz_hits > sum(
        map(_EN.__contains__, lowered))


def function_word_share(words: list[str]) -> float:
    """The share of words that are Indonesian or English function words: near zero for
    Russian typed in Latin letters, which is worth reading back into Cyrillic."""
    if not words:
        return 0.0
    return sum(map(_FUNCTION_WORDS.__contains__, words)) / len(words)
