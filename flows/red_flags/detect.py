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
    # job offers: "oylik 250 000 tenge, ovqat bepul", "qizim 16 yosh", "ish taklif qilishyapti"
    "oylik", "oyiga", "oyligi", "bepul", "ovqat", "shahrida", "shahriga", "taklif",
    "qilishyapti", "yosh", "yoshda", "qizim", "qizimga", "ishi", "zavodga", "zavodda",
    "oldindan", "berasan", "pasportingni", "beramiz", "olamiz",
})

# Letters of the Cyrillic alphabets of Central Asia that Russian has not. The analyzer reads
# Russian, Indonesian and English: in a Kazakh, Kyrgyz, Tajik or Uzbek text it finds few of
# the signs, and "no warning signs" would say more than it read. Told apart by their
# alphabets (a fact of each orthography, not a statistical guess).
_TAJIK_LETTERS = frozenset("ӣӯҷ")
_UZBEK_LETTERS = frozenset("ў")
_KAZAKH_LETTERS = frozenset("әіұһ")
_KAZAKH_KYRGYZ_LETTERS = frozenset("ңөү")
_SHARED_LETTERS = frozenset("қғҳ")  # Kazakh, Tajik and Uzbek
_CENTRAL_ASIAN_LETTERS = (_TAJIK_LETTERS | _UZBEK_LETTERS | _KAZAKH_LETTERS
                          | _KAZAKH_KYRGYZ_LETTERS | _SHARED_LETTERS)
_UKRAINIAN_LETTERS = frozenset("їєґ")  # «і» is Ukrainian too


def unread_language(text: str) -> str | None:
    """The language of a text written in one the analyzer does not read ("kk", "ky", "tg",
    "uz"), or None. Two words in a Central Asian alphabet, a tenth of the Cyrillic words,
    tell a Cyrillic text («Москвада кафеде иш бар, … паспортуңду бизге бересиң»); Uzbek in
    Latin letters is told by its frequent words."""
    words = _WORD.findall(text)
    cyrillic = [w.lower() for w in words if "\u0400" <= w[0] <= "\u04ff"]
    marked = [w for w in cyrillic if not _CENTRAL_ASIAN_LETTERS.isdisjoint(w)]
    if len(marked) >= 2 and len(marked) * 10 >= len(cyrillic):
        letters = set("".join(marked))
        if not _UKRAINIAN_LETTERS.isdisjoint("".join(cyrillic)):
            return None
        if letters & _TAJIK_LETTERS:
            return "tg"
        if letters & _UZBEK_LETTERS:
            return "uz"
        if letters & _KAZAKH_LETTERS or (letters & _SHARED_LETTERS
                                         and letters & _KAZAKH_KYRGYZ_LETTERS):
            return "kk"
        if letters & _KAZAKH_KYRGYZ_LETTERS:
            return "ky"
        return "tg" if "ҳ" in letters else "kk"
    if len(cyrillic) * 2 < len(words):
        if reads_uzbek(words):
            return "uz"
        lowered = list(map(str.lower, words))
        others = max(sum(map(_ID.__contains__, lowered)), sum(map(_EN.__contains__, lowered)))
        for code, frequent in _LATIN_CENTRAL_ASIAN.items():
            hits = sum(map(frequent.__contains__, lowered))
            if hits >= 2 and hits > others:
                return code
    return None


# Kazakh, Kyrgyz and Tajik typed in Latin letters: frequent words of job offers that no
# Indonesian or English text uses ("zhumys bar, zhol akysyn biz toleimiz", "jumush bar …
# kelgende alabyz", "kor hast … shinosnomaatonro megirem").
_LATIN_CENTRAL_ASIAN = {
    "kk": frozenset({"zhumys", "zhumysqa", "zhalaqy", "aylyq", "ailyq", "toleimiz",
                     "tolkuzhat", "tolkuzhatynyzdy", "tolkuzhatyndy", "kerek", "bizge",
                     "sizge", "akysyn", "aqysyn", "alamyz", "beremiz", "kelgende", "zhol"}),
    "ky": frozenset({"jumush", "jumushka", "aylyk", "ailyk", "tolobuz", "alabyz", "berebiz",
                     "kelgende", "pasportunuzdu", "pasportuңdu", "kire", "jol", "bizge",
                     "sizge", "kerek", "jazynyz", "jazyңyz"}),
    "tg": frozenset({"hast", "shinosnoma", "shinosnomaatonro", "shinosnomaatro", "megirem",
                     "medihem", "mekunem", "rohkiro", "maosh", "dar", "az", "mo", "shumo",
                     "kor", "vaqti", "omadan"}),
}


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
