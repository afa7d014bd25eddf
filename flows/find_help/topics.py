"""The topic a person types instead of pressing a button in "find help": "gaji gak dibayar",
«бьёт муж», "my sister is a TKW in Riyadh". Pure: patterns per topic, the most specific
first (a child's sexual exploitation before violence, unpaid wages before trafficking)."""

from __future__ import annotations

import re

from referral_directory import Topic

_TOPIC_WORDS: tuple[tuple[Topic, re.Pattern[str]], ...] = (
    (Topic.CHILD_SEXUAL_EXPLOITATION, re.compile(
        r"eksploitasi seks|pornografi anak|pelecehan seksual (?:pada|terhadap)? ?anak|"
        r"\bcabul|child (?:sexual|abuse|porn)|sexual(?:ly)? (?:abuse|exploit)\w* (?:of )?(?:a )?"
        r"(?:child|minor|girl|boy)|groom(?:ing|ed)\b|растлен|педофил|детск\w* порн|"
        r"сексуальн\w* (?:эксплуатац|насили)\w* (?:детей|ребён|ребен)", re.IGNORECASE)),
    (Topic.VIOLENCE, re.compile(
        r"\bkdrt\b|kekerasan|dipukul|dipukuli|disiksa|diperkosa|pemerkosaan|dianiaya|"
        r"\bviolence\b|\bbeat(?:s|en|ing)?\b|\bhits? me\b|\brape[ds]?\b|\babus(?:e|ed|ive)\b|"
        r"насили|избива|бь[её]т|побои|изнасил", re.IGNORECASE)),
    (Topic.FORCED_LABOUR, re.compile(
        r"gaji\w* (?:\w+ ){0,2}(?:tidak|tdk|gak|ga|gk|nggak|belum|blm) (?:\w+ )?"
        r"(?:dibayar|dikasih)|"
        r"(?:tidak|tdk|gak|ga|belum|blm) (?:di)?gaji|kerja paksa|dipaksa kerja|"
        r"(?:tidak|tdk|gak|ga|gk|nggak|belum|blm) (?:\w+ )?(?:bayar|kasih) gaji|"
        r"\bunpaid\b|not (?:been )?paid|no salary|forced (?:labou?r|to work)|"
        r"не (?:платят|платит|выплач\w*|заплатил\w*)|без зарплаты|принудительн\w* труд|"
        r"зарплат\w* не", re.IGNORECASE)),
    (Topic.MIGRANT_WORKERS, re.compile(
        r"\b(?:tkw|tki|pmi|bmi)\b|pekerja migran|buruh migran|luar negeri|\bmigrant|"
        r"\babroad\b|overseas|мигрант|за границ|за рубеж|"
        # a mission abroad serves its citizens there
        r"\b(?:kbri|kjri|kedutaan|konsulat|embassy|consulate)\b|посольств|консульств",
        re.IGNORECASE)),
    (Topic.TRAFFICKING, re.compile(
        r"perdagangan orang|\btppo\b|traffick|dijual|\bsold\b|lowongan|loker|tawaran kerja|"
        r"\bcalo\b|perekrut|job offer|recruit|торговл\w* людьми|продал|вакансi?\w*|"
        r"вербовщ|предложени\w* работы", re.IGNORECASE)),
)


def topic_in_words(text: str) -> Topic | None:
    """The topic a typed text names, or None."""
    for topic, pattern in _TOPIC_WORDS:
        if pattern.search(text):
            return topic
    return None
