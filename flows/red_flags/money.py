"""Money amounts in an offer: value, currency and period, found in the original text.

"Gaji 20 jt/bulan", "Rp 15.000.000", "3000 долларов", "10 000 рублей в день", "$4,000 per
month", "RM3500" all become an ``Amount`` with its character span, so the pay check can
convert it to US dollars per month and the evidence can quote it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_PREFIX = (r"(?P<pre>rp\.?|idr|rm|myr|us\$|usd|s\$|sgd|nt\$|twd|hk\$|hkd|sar|aed|qar|rub|"
           r"eur|gbp|jpy|krw|aud|a\$|thb|azn|inr|rs\.?|₹|\$|€|£|¥|₩|₽|₺)")
_NUMBER = r"(?P<num>\d{1,3}(?:(?:[.,]|\s(?=\d{3}\b))\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?)"
_MULT = (r"(?P<mult>juta|jutaan|jt|jta|ribu|rb|rbu|miliar|milyar|lakhs?|lacs?|crores?|"
         r"тыс\.?|тысяч\w*|т\.\s?р\.?|"
         r"тр\b|млн\.?|миллион\w*|million|mln|thousand|k|к)")
_SUFFIX = (r"(?P<suf>rupiah|ringgit|dollars?|dolar|usd|доллар\w*|долл\.?|бакс\w*|евро|euros?|"
           r"eur|рубл\w*|руб\.?|р\.|₽|\$|€|yen|иен\w*|йен\w*|won|вон|dirhams?|дирхам\w*|"
           r"riy?als?|риал\w*|ntd|hkd|sgd|myr|rm|idr|lira|лир\w*|тенге|тг|сом\w*|сум\w*|юан\w*|"
           r"yuan|rmb|sar|aed|qar|gbp|pounds?|фунт\w*|aud|baht|бат\w*|thb|azn|манат\w*|"
           r"rupees?|inr|₹)")
AMOUNT_RE = re.compile(
    rf"(?<![\w$€£¥₽])(?:{_PREFIX}\s?)?{_NUMBER}(?:\s?{_MULT}(?![a-zа-я]))?\.?"
    rf"(?:\s?{_SUFFIX}(?![a-zа-я]))?",
    re.IGNORECASE,
)
# After the sum, within three marks that are not "+": "£33k + shift allowance" is no pay
# by the shift.
_PERIOD = re.compile(
    r"^[^\w+]{0,3}(?:[\s/]*(?:per|a|an|в|за|/|se|each|every|setiap|tiap)?\s*)"
    r"(?P<p>bulan|bln|month|months|mo|мес\w*|hari|day|days|день|сутки|дн\w*|minggu|mgg|week|"
    r"недел\w*|jam|hour|hr|hours|час\w*|tahun|thn|year|yr|год\w*|"
    # A night, an evening or a shift is paid like a day ("1000$ за вечер", "2jt/malam").
    r"malam|night|evening|вечер|ночь|смену|смена|shift)\b"
    r"|^[^\w+]{0,3}(?P<adv>monthly|weekly|daily|hourly|yearly|annually|sebulan|perbulan|sehari|"
    r"perhari|seminggu|sejam|setahun|ежемесячно|ежедневно|еженедельно)\b",
    re.IGNORECASE,
)

# Every amount has a number, whose first digit comes at most this many characters after the
# amount's start (a three-letter prefix such as "us$" or "rp." and a space): the scan jumps
# from number to number instead of trying the pattern at every character. A digit right
# after a digit starts no amount (the look-behind forbids a word character before the
# amount, and a prefix has no digits), so only the first digit of a run is a candidate.
_LEAD = 4
# (?<!\d)\d, written digit first so that the search jumps in C to the digits.
_DIGIT = re.compile(r"\d(?<!\d\d)")
_GROUPED = re.compile(r"\d{1,3}(?:[.,]\d{3})+")
_GROUPED_DECIMAL = re.compile(r"\d{1,3}(?:[.,]\d{3})+[.,]\d{1,2}")
_SEPARATORS = re.compile(r"[.,]")

_MULTIPLIERS = {"juta": 1e6, "jutaan": 1e6, "jt": 1e6, "jta": 1e6, "ribu": 1e3, "rb": 1e3,
                "rbu": 1e3, "miliar": 1e9, "milyar": 1e9, "тыс": 1e3, "тысяч": 1e3, "тр": 1e3,
                "т.р": 1e3, "млн": 1e6, "миллион": 1e6, "million": 1e6, "mln": 1e6,
                "thousand": 1e3, "k": 1e3, "к": 1e3, "lakh": 1e5, "lakhs": 1e5, "lac": 1e5,
                "lacs": 1e5, "crore": 1e7, "crores": 1e7}
_CURRENCIES = (
    (("rp", "idr", "rupiah"), "IDR"), (("rm", "myr", "ringgit"), "MYR"),
    (("s$", "sgd"), "SGD"), (("nt$", "twd", "ntd"), "TWD"), (("hk$", "hkd"), "HKD"),
    (("us$", "usd", "$", "dollar", "dolar", "доллар", "долл", "бакс"), "USD"),
    (("€", "eur", "euro", "евро"), "EUR"), (("£", "gbp", "pound", "фунт"), "GBP"),
    (("₽", "rub", "руб", "рубл", "р."), "RUB"), (("¥", "jpy", "yen", "иен", "йен"), "JPY"),
    (("₩", "krw", "won", "вон"), "KRW"), (("sar", "riyal", "rial", "риал"), "SAR"),
    (("aed", "dirham", "дирхам"), "AED"), (("qar",), "QAR"), (("₺", "lira", "лир"), "TRY"),
    (("тенге", "тг"), "KZT"), (("сом",), "KGS"), (("сум",), "UZS"),
    (("юан", "yuan", "rmb"), "CNY"), (("aud", "a$"), "AUD"), (("thb", "baht", "бат"), "THB"),
    (("azn", "манат"), "AZN"), (("inr", "rs", "rs.", "₹", "rupee"), "INR"),
)
_PERIOD_MONTHS = {"month": 1.0, "day": None, "week": None, "hour": None, "year": 1 / 12}


@dataclass(frozen=True, slots=True)
class Amount:
    value: float  # in units of the currency (multipliers applied)
    currency: str | None
    period: str | None  # month, day, week, hour, year
    start: int
    end: int
    explicit: bool  # a currency or a multiplier was written, so it is surely money


def _number(raw: str) -> float:
    text = raw.replace(" ", "").replace("\u00a0", "")
    if _GROUPED.fullmatch(text):
        return float(_SEPARATORS.sub("", text))
    if _GROUPED_DECIMAL.fullmatch(text):
        head, tail = text[:-3], text[-2:] if text[-3] in ".," else text[-1:]
        return float(_SEPARATORS.sub("", head) + "." + tail)
    return float(text.replace(",", "."))


def _currency(*marks: str | None) -> str | None:
    for mark in marks:
        if not mark:
            continue
        low = mark.lower().rstrip(".")
        for names, code in _CURRENCIES:
            if any(low == n or (len(n) > 2 and low.startswith(n)) for n in names):
                return code
    return None


_PER_WORD = re.compile(r"(?:^|[\s/])(?:per|a|an|в|за|se|each|every|setiap|tiap)\s*$|/\s*$",
                       re.IGNORECASE)


def _period(after: str) -> str | None:
    match = _PERIOD.match(after)
    if not match:
        return None
    word = (match.group("p") or match.group("adv") or "").lower()
    lead = after[:match.start("p") if match.group("p") else match.start("adv")]
    if ("," in lead or ";" in lead) and not _PER_WORD.search(lead):
        return None  # "Gaji 5,1jt, shift malem ada tambahan": the next clause's shift
    for stem, period in (("bul", "month"), ("bln", "month"), ("mo", "month"), ("мес", "month"),
                         ("еже", None), ("har", "day"), ("day", "day"), ("dai", "day"),
                         ("ден", "day"), ("дн", "day"), ("сут", "day"), ("sehari", "day"),
                         ("perhari", "day"), ("ming", "week"), ("mgg", "week"),
                         ("week", "week"), ("нед", "week"), ("semi", "week"), ("jam", "hour"),
                         ("sejam", "hour"), ("hour", "hour"), ("hr", "hour"), ("час", "hour"),
                         ("tah", "year"), ("thn", "year"), ("year", "year"), ("yr", "year"),
                         ("annu", "year"), ("setahun", "year"), ("год", "year"),
                         ("sebulan", "month"), ("perbulan", "month"), ("mal", "day"),
                         ("nig", "day"), ("eve", "day"), ("веч", "day"), ("ноч", "day"),
                         ("shift", "day"), ("смен", "day")):
        if word.startswith(stem):
            if period is None:  # ежемесячно / ежедневно / еженедельно
                return {"ежем": "month", "ежед": "day", "ежен": "week"}.get(word[:4])
            return period
    return None


# A period said before the sum, a few words ahead of it: "sehari bisa dapat 1,5jt", "1 malem
# bisa dpt 2jt", "a night you earn $500", «за вечер платят 500$». Not across a comma or a
# pay word ("8 jam sehari, gaji 5jt" is a month's pay), nor after hours ("8 jam sehari").
_PERIOD_BEFORE = re.compile(
    r"(?<![\w])(?P<hours>(?:jam|hours?|hrs?|час\w*)\s+)?"
    r"(?P<p>sehari|semalam|semalem|sejam|seminggu|per\s?(?:hari|malam|malem|jam|minggu)|"
    r"(?:1|satu)\s+(?:hari|malam|malem|jam|minggu)|(?:a|per|each|one)\s+(?:day|night|shift|"
    r"hour|week)|в\s+(?:день|сутки|неделю|час)|за\s+(?:день|вечер|ночь|смену|неделю|час))"
    r"(?P<gap>(?:\s+[^\W\d]+){0,3})\s*$",
    re.IGNORECASE)
_PAY_WORD_BETWEEN = re.compile(r"gaji|upah|salary|wage|pay\b|зарплат|зп\b|оклад", re.IGNORECASE)


def _period_before(before: str) -> str | None:
    match = _PERIOD_BEFORE.search(before)
    if match is None or match.group("hours") or _PAY_WORD_BETWEEN.search(match.group("gap")):
        return None
    word = match.group("p").lower().split()[-1]
    return _period({"malem": "malam", "semalem": "malam", "semalam": "malam"}.get(word, word))


# The ASCII characters an amount can start with: a prefix's first letter (either case:
# the pattern ignores case) or a digit. An amount starting at an ASCII character outside
# them cannot match, so the pattern is not tried there; a character outside ASCII is
# always tried (ignoring case, "K", the Kelvin sign, is a "k"; a digit may be Arabic).
_ASCII_STARTS = frozenset("rimuesnthaqgjkRIMUESNTHAQGJK$0123456789")


def _matches(text: str) -> Iterator[re.Match[str]]:
    """``AMOUNT_RE.finditer(text)``, trying the pattern only just before each run of digits:
    a match starting before ``digit - _LEAD`` would have its first digit before ``digit``."""
    search, match = _DIGIT.search, AMOUNT_RE.match
    starts = _ASCII_STARTS
    pos = 0
    while (digit := search(text, pos)) is not None:
        first = digit.start()
        for start in range(max(pos, first - _LEAD), first + 1):
            char = text[start]
            if char.isascii() and char not in starts:
                continue
            found = match(text, start)  # the look-behind still sees the text before
            if found is not None:
                yield found
                pos = found.end()
                break
        else:
            pos = first + 1


def find_amounts(text: str, default_currency: str | None = None) -> list[Amount]:
    """Every number that reads as money; bare numbers get ``default_currency`` and are not
    ``explicit``."""
    found: list[Amount] = []
    for match in _matches(text):
        pre, num, mult, suf = match.group("pre", "num", "mult", "suf")
        try:
            value = _number(num)
        except ValueError:
            continue
        multiplier = 1.0
        if mult:
            key = mult.lower().rstrip(".").replace(" ", "")
            key = "тысяч" if key.startswith("тысяч") else key
            key = "миллион" if key.startswith("миллион") else key
            multiplier = _MULTIPLIERS.get(key, 1.0)
            if key in ("k", "к") and not (pre or suf):
                multiplier = 1e3
        currency = _currency(pre, suf)
        if currency is None and mult and mult.lower().startswith(("jut", "jt", "rib", "rb")):
            currency = "IDR"
        if currency is None and mult and mult.lower().startswith(("lakh", "lac", "crore")):
            currency = "INR"  # Indian numbering: "1 lakh+ per month", "fee 3 lakh"
        if currency is None and mult and mult.lower().startswith(("тыс", "т", "млн")):
            currency = default_currency if default_currency == "RUB" else None
        explicit = bool(pre or suf or mult)
        if currency is None:
            currency = default_currency
        period = _period(text[match.end(): match.end() + 24]) or _period_before(
            text[max(0, match.start() - 32): match.start()])
        found.append(Amount(value * multiplier, currency, period, match.start(), match.end(),
                            explicit))
    return found


# Where salaries are quoted by the year, a sum this large with no period is a year's pay:
# "£33k + shift allowance", "$45,000, full benefits" ("3000$" stays a month's).
_YEARLY_CURRENCIES = frozenset({"GBP", "USD", "EUR", "AUD", "CAD", "NZD"})
_YEARLY_FROM = 15_000


def per_month(amount: Amount, days: float, weeks: float, hours: float) -> float:
    """The amount as pay per month (an amount with no period is taken as monthly, unless it
    is a sum in a currency quoted by the year and large enough to be a year's pay)."""
    period = amount.period
    if period is None and amount.currency in _YEARLY_CURRENCIES and (
            amount.value >= _YEARLY_FROM):
        period = "year"
    factor = {"day": days, "week": weeks, "hour": hours, "year": 1 / 12}.get(
        period or "month", 1.0)
    return amount.value * factor
