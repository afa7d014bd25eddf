from __future__ import annotations

import pytest

from flows.red_flags.ages import find_ages
from flows.red_flags.lexicon import indonesian_roots
from flows.red_flags.money import find_amounts, per_month
from flows.red_flags.normalize import fold_token, tokenize


@pytest.mark.parametrize(("raw", "folded"), [
    ("бесплатн0", "бесплатно"),
    ("g4ji", "gaji"),
    ("Пacпopт", "паспорт"),
    ("Pаspоr", "paspor"),
    ("GAJIIII", "gaji"),
    ("ｐａｓｐｏｒ", "paspor"),
    ("pas\u200bpor", "paspor"),
    ("4jt", "4jt"),  # a number with its unit stays a number
])
def test_fold_token(raw: str, folded: str) -> None:
    assert fold_token(raw) == folded


def test_abbreviations_expand_but_keep_the_original_span() -> None:
    text = "gj 5jt tnpa pngalaman"
    tokens = tokenize(text, {"gj": "gaji", "tnpa": "tanpa", "pngalaman": "pengalaman",
                             "ortu": "orang tua"})
    assert [t.norm for t in tokens] == ["gaji", "5jt", "tanpa", "pengalaman"]
    assert text[tokens[0].start:tokens[0].end] == "gj"
    two = tokenize("ortu", {"ortu": "orang tua"})
    assert [t.norm for t in two] == ["orang", "tua"] and two[0].start == two[1].start == 0


def test_indonesian_roots() -> None:
    assert "simpan" in indonesian_roots("menyimpannya")
    assert "potong" in indonesian_roots("pemotongan")
    assert "kembalikan" in indonesian_roots("dikembalikan")


@pytest.mark.parametrize(("text", "value", "currency", "period"), [
    ("gaji 20 jt/bulan", 20e6, "IDR", "month"),
    ("Rp 15.000.000 per bulan", 15e6, "IDR", "month"),
    ("Rp15jt", 15e6, "IDR", None),
    ("2,5 juta sehari", 2.5e6, "IDR", "day"),
    ("3000 долларов", 3000, "USD", None),
    ("10 000 рублей в день", 10_000, "RUB", "day"),
    ("$4,000 per month", 4000, "USD", "month"),
    ("RM3500 sebulan", 3500, "MYR", "month"),
    ("500 евро заранее", 500, "EUR", None),
    ("1000 dollars a week", 1000, "USD", "week"),
    ("150к в месяц", 150_000, "RUB", "month"),
    # a period said before the sum, and the currencies of Australia and Thailand
    ("sehari bisa dapat 1,5jt", 1.5e6, "IDR", "day"),
    ("1 malem bisa dpt 2jt lebih", 2e6, "IDR", "day"),
    ("за вечер платим 500$", 500, "USD", "day"),
    ("kerja 8 jam sehari, gaji 5jt", 5e6, "IDR", None),
    ("8 jam sehari gaji 5jt", 5e6, "IDR", None),
    ("AUD 45/hr cash", 45, "AUD", "hour"),
    ("80,000 baht per month", 80_000, "THB", "month"),
])
def test_amounts(text: str, value: float, currency: str, period: str | None) -> None:
    amounts = [a for a in find_amounts(text, "RUB" if "к в" in text else None) if a.explicit]
    assert len(amounts) == 1
    assert (amounts[0].value, amounts[0].currency, amounts[0].period) == (value, currency,
                                                                          period)


def test_a_separator_inside_a_number_ends_no_sentence_or_clause() -> None:
    from flows.red_flags.normalize import tokenize
    tokens = tokenize("gaji Rp 4.500.000, mess gratis. HK$ 18,000 fee")
    by_norm = {t.norm: (t.sentence, t.clause) for t in tokens}
    assert by_norm["4"] == by_norm["500"] == (0, 0)
    assert by_norm["mess"] == (0, 1)  # the comma after the sum still ends its clause
    assert by_norm["18"] == by_norm["fee"] == (1, 2)


def test_a_price_per_person_is_no_pay() -> None:
    from flows.red_flags import Analyzer
    analyzer = Analyzer.load()
    tour = analyzer.analyze("Tour to Thailand, 5 days Bangkok, $650 per person incl hotel")
    assert "unrealistic_pay" not in tour.flag_ids
    lure = analyzer.analyze("Customer service job in Bangkok, 2500 USD per month, no experience")
    assert "unrealistic_pay" in lure.flag_ids


def test_per_month() -> None:
    (day,) = find_amounts("2 juta per hari")
    assert per_month(day, 26, 4.33, 173) == 52e6


@pytest.mark.parametrize(("text", "minimum"), [
    ("Dicari gadis usia 15 sampai 20 tahun", 15),
    ("Приглашаем девушек от 16 лет", 16),
    ("girls aged 15 to 19", 15),
    ("Usia 17 tahun boleh", 17),
    ("Подросток 15 лет может работать", 15),
    ("Мне 17, предлагают работу", 17),
    ("usia 18-30 tahun", 18),
])
def test_ages(text: str, minimum: int) -> None:
    assert min(a.value for a in find_ages(tokenize(text))) == minimum


@pytest.mark.parametrize("text", ["Pengalaman minimal 2 tahun", "Опыт работы от 3 лет",
                                  "Мы работаем 15 лет", "2 years of experience required"])
def test_durations_are_not_ages(text: str) -> None:
    assert find_ages(tokenize(text)) == []
