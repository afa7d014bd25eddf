"""Where a tip's description names the reporter: "my name is Gulnara", «мой номер
0700987654», "nama saya Sri, WA saya 0812…". Reports are anonymous: the summary offers to take
these out before anything is sent, and the recruiter marks never read them (a reporter's name
after «зовут» had become a "name" mark linking tips).

Pure text logic: spans found by patterns of how people introduce themselves and give their
own number in the three languages, and the text with spans cut out and its punctuation
tidied."""

from __future__ import annotations

import re

import phonenumbers

# The words that introduce the writer's own name; the name follows (one word, and a second
# one when it is capitalised: "my name is Siti Aminah, …").
_INTRO = re.compile(
    r"(?i:\b(?:my\s+name\s+is|my\s+name's|i\s+am\s+called|i'm\s+called|"
    r"меня\s+зовут|зовут\s+меня|мо[её]\s+имя|menya\s+zovut|moe\s+imya|"
    r"менин\s+атым|менің\s+атым|mening\s+ismim|mening\s+ismim|ismim|"
    r"nama\s+(?:saya|aku|ku|gue|gw)|namaku|saya\s+bernama|aku\s+bernama|"
    r"perkenalkan,?\s+(?:nama\s+)?(?:saya|aku)))"
    r"\s*[:\-–—]?\s*"
    # (not «меня зовут в Корею», "they call me to Korea", nor "nama saya dicatut")
    r"(?!(?i:в|во|на|к|ко|работать|v|na|dicatut|dipakai|digunakan|dipake|disalahgunakan)\b)"
    r"(?P<value>[^\W\d_][\w'’\-]*(?:\s+[A-ZА-ЯЁ][\w'’\-]*)?)")
# A capitalised name right after "I am", «я», "aku"/"saya" opening a sentence and closed by
# punctuation: "I'm Dewi, call me…", «Я Айгуль, пишите…», "Aku Rini, wa aku…";
# «Меня Айгуль зовут».
_BARE_NAME = re.compile(
    r"(?:^|(?<=[.!?\n]))\s*(?:(?i:i'm|i\s+am|я|aku|saya)\s+(?P<value>[A-ZА-ЯЁ][a-zа-яё'’\-]+)"
    r"(?=\s*[,.;!—–-])|(?i:меня)\s+(?P<value2>[А-ЯЁ][а-яё\-]+)\s+зовут)")
# The words that give the writer's own number; a number follows.
_CONTACT = re.compile(
    r"(?i:\b(?:my\s+(?:phone\s+|mobile\s+|whatsapp\s+|wa\s+)?(?:number|phone|whatsapp|wa)"
    r"(?:\s+is)?|(?:call|text|contact|reach)\s+me(?:\s+(?:at|on))?|"
    r"мой\s+(?:номер|телефон|тел\.?|вотсап|ватсап|whatsapp)(?:\s+телефона)?|"
    r"(?:звоните|пишите|позвоните|напишите)\s+мне(?:\s+(?:по\s+номеру|на\s+номер|на))?|"
    r"(?:nomor|nomer|no\.?)\s+(?:hp\s+|wa\s+|telepon\s+|telp\s+)?(?:saya|aku|ku|gue|gw)|"
    r"nomorku|nomerku|(?:hp|wa|whatsapp|telp)\s+(?:saya|aku|gue|gw)|wa-?ku|"
    r"mo[iy]\s+(?:nomer|telefon|tel)|номерим|номерім|raqamim|"
    r"(?:hubungi|telpon|telepon|chat|wa)\s+(?:saya|aku)(?:\s+(?:di|ke))?))"
    r"\s*[:\-–—]?\s*"
    r"(?P<value>\+?\d[\d\s().\-]{5,}\d)")
# What a cut leaves: a comma before a full stop, two commas, a space before punctuation.
_LEFT_OVER = ((re.compile(r"\(\s*(?:wa|hp|tel\.?|тел\.?|phone|whatsapp|no\.?)?\s*[:.]?\s*\)",
                          re.IGNORECASE), ""),
              (re.compile(r"[ \t]*[,;]\s*(?=[,.;!?]|$)", re.M), ""),
              (re.compile(r"(?<=[.!?])[ \t]*[,;]+"), ""),
              (re.compile(r"(?<=[.!?])(?:[ \t]*\.)+"), ""),
              (re.compile(r"[ \t]+(?=[,.;!?])"), ""),
              (re.compile(r"[ \t]{2,}"), " "),
              (re.compile(r"^[ \t]*[,;.][ \t]*", re.M), ""))


def self_mentions(text: str) -> list[tuple[int, int]]:
    """The spans where the writer gives their own name or number, in order."""
    spans = [m.span() for pattern in (_INTRO, _CONTACT) for m in pattern.finditer(text)]
    for m in _BARE_NAME.finditer(text):
        word = m.group("value") or m.group("value2") or ""
        if not _COMMON.match(word):
            start = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
            spans.append((start, m.end()))
    return _merged(spans)


# Words that may follow "I'm", «я», "aku" capitalised at a sentence's start and are no name.
_COMMON = re.compile(r"(?i:sorry|scared|afraid|here|fine|ok|okay|worried|from|not|just|still|"
                     r"тоже|не|из|в|здесь|боюсь|тут|takut|juga|mau|dari|di|lagi|sudah|"
                     r"udah|bingung|sedih)$")


def phone_spans(text: str, regions: tuple[str, ...]) -> list[tuple[int, int]]:
    """The spans of the phone numbers in the text (read as in ``regions``)."""
    spans = [(m.start, m.end) for region in regions
             for m in phonenumbers.PhoneNumberMatcher(text, region)]
    return _merged(spans)


def without(text: str, spans: list[tuple[int, int]]) -> str:
    """The text with the spans cut out and the punctuation they leave tidied."""
    kept, at = [], 0
    for start, end in _merged(spans):
        kept.append(text[at:start])
        at = end
    kept.append(text[at:])
    cut = "".join(kept)
    for pattern, replacement in _LEFT_OVER:
        cut = pattern.sub(replacement, cut)
    return cut.strip()


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
