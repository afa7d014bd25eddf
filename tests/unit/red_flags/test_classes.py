"""The classes of issue #13, in Indonesian, Russian and English, each from sentences written
for the class (not from any corpus): the flags raised and the words each flag quotes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from flows.red_flags import Analyzer

ROOT = Path(__file__).resolve().parents[3]

# (class, text, risk, {flag: words its evidence must contain}); a low text raises no flag.
CASES: list[tuple[str, str, str, dict[str, str]]] = [
    # 1. Surface matching: correct words are never "corrected" into lexicon entries.
    ("surface", "Junior finance analyst for our Jakarta office, prepare the monthly "
                "presentation for the board.", "low", {}),
    ("surface", "Инженер сопровождения программного обеспечения, незаконченное высшее "
                "допускается, выезды к клиентам по Москве.", "low", {}),
    ("surface", "Staf administrasi keuangan, menyiapkan presentasi dan laporan bulanan, kantor "
                "di Surabaya.", "low", {}),
    # 2. Word sense from context.
    ("sense", "Бухгалтер, опыт работы главным бухгалтером от 5 лет, ведение дебиторской и "
              "кредиторской задолженности.", "low", {}),
    ("sense", "Data scientist to build a fraud model; experience hosting servers on AWS; team "
              "of five.", "low", {}),
    ("sense", "Dicari terapis pijat untuk tamu pria di kamar hotel, gaji harian.", "high",
     {"sexual_service_hint": "terapis pijat untuk tamu pria"}),
    # 3. Implicit debt.
    ("implicit debt", "The agency will lend you the fees and you pay them back from your "
                      "salary over ten months.", "high",
     {"costs_repaid_from_wages": "pay them back from your salary"}),
    ("implicit debt", "Tiket pesawat ditanggung dulu sama PT, nanti dipotong dari gaji tiap "
                      "bulan.", "high", {"costs_repaid_from_wages": "ditanggung dulu"}),
    ("implicit debt", "Дорогу оплачиваем сами, потом вычтем из зарплаты за первые два месяца.",
     "high", {"costs_repaid_from_wages": "вычтем"}),
    # 4. Stories: a broker's visit, money to the family, paid back from the child's wages.
    ("story", "Kemarin ada bapak2 dari kota datang ke rumah, ngasih uang 3 juta ke orang tua, "
              "nanti anaknya kerja di Jakarta dan uangnya dipotong dari gaji.", "high",
     {"advance_to_family_debt": "uang 3 juta", "broker_via_parents": "datang ke rumah"}),
    ("story", "A man came to my parents and gave them 400 dollars; my little sister is to pay "
              "it back from her wages at his shop in the city.", "high",
     {"advance_to_family_debt": "400 dollars", "broker_via_parents": "came to my parents"}),
    ("story", "К родителям приехал знакомый, дал им 20 тысяч, сказал, что дочка вернёт их с "
              "зарплаты в кафе в Москве.", "high",
     {"advance_to_family_debt": "20 тысяч", "broker_via_parents": "родителям приехал"}),
    # 5. Discourse: advice and questions offer no job; an offer under a warning header does.
    ("discourse", "Never hand your passport to an employer. A genuine employer will never ask "
                  "for it. Check the agency's licence before you go.", "low", {}),
    ("discourse", "Можно ли работодателю забирать паспорт? Хочу знать свои права.", "low", {}),
    ("discourse", "⚠️ PERHATIAN ⚠️ Dibutuhkan pelayan restoran di Malaysia, paspor disimpan "
                  "agen selama kontrak. Hub 0813-0000-9999", "high",
     {"document_retention": "paspor disimpan"}),
    # 6. Negation and its scope.
    ("negation", "Workers keep their own passports. No fees at any stage.", "low", {}),
    ("negation", "Из зарплаты ничего не удерживается, паспорт остаётся у вас.", "low", {}),
    ("negation", "Kerja di rumah makan, gak perlu pengalaman, umur 15 thn jg bisa.", "high",
     {"minor_targeted": "umur 15 thn"}),
    # 7. Obfuscation.
    ("obfuscation", "p a s p o r disimpan agen selama kontrak di Malaysia", "high",
     {"document_retention": "p a s p o r disimpan"}),
    ("obfuscation", "п.а.с.п.о.р.т оставляете у работодателя на время работы", "high",
     {"document_retention": "п.а.с.п.о.р.т"}),
    ("obfuscation", "rabota v Dubae, pasport ostavlyaete u rabotodatelya", "high",
     {"document_retention": "pasport ostavlyaete"}),
    # 8. Good signs that are not.
    ("good signs", "Makan gratis dan mess gratis, tapi dipotong dari gaji 500rb per bulan.",
     "high", {"costs_repaid_from_wages": "dipotong"}),
    ("good signs", "Free ticket to Dubai, the cost is deducted from your first salary.", "high",
     {"costs_repaid_from_wages": "deducted"}),
    # 9. Evidence: one phrase, one flag.
    ("evidence", "Kerja di Malaysia tanpa paspor, lewat jalur laut.", "high",
     {"irregular_route": "tanpa paspor"}),
]


@pytest.mark.parametrize(("cls", "text", "risk", "evidence"), CASES,
                         ids=[f"{c[0]}:{c[1][:30]}" for c in CASES])
def test_class(analyzer: Analyzer, cls: str, text: str, risk: str,
               evidence: dict[str, str]) -> None:
    result = analyzer.analyze(text)
    assert str(result.risk) == risk, (cls, result.flag_ids)
    quoted = {hit.flag: hit.evidence for hit in result.flags}
    for flag, words in evidence.items():
        assert flag in quoted, (cls, quoted)
        assert words in quoted[flag], (cls, flag, quoted[flag])
        assert len(quoted[flag]) <= 70, quoted[flag]
    if risk == "low":
        assert not result.flags


def test_free_things_are_not_no_fees_when_they_come_back_from_wages(analyzer: Analyzer) -> None:
    result = analyzer.analyze("Tiket gratis, makan gratis, nanti potong gaji tiga bulan.")
    assert "no_fees" not in result.good_signs
    assert "no_fees" not in analyzer.analyze("Жильё бесплатно, питание бесплатно.").good_signs


def test_the_analysis_does_not_depend_on_the_hash_seed() -> None:
    """Set iteration order changes with PYTHONHASHSEED; the answer must not."""
    lines = "\n".join(json.dumps({"id": i, "text": text}) for i, (_c, text, _r, _e)
                      in enumerate(CASES)) + "\n"
    outputs = []
    for seed in ("1", "2", "3"):
        done = subprocess.run([sys.executable, str(ROOT / "main.py"), "analyze", "--jsonl"],
                              input=lines, capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}, timeout=120)
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
