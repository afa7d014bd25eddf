"""The analyzer against held-out paraphrases, the dev corpus targets, and hard input."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml

from flows.red_flags import ALL_FLAGS, CRITICAL, Analyzer, Risk, risk_of

ROOT = Path(__file__).resolve().parents[3]
CASES = [case for name in ("analyzer_cases.yaml", "analyzer_cases_2.yaml")
         for case in yaml.safe_load((ROOT / "tests" / "data" / name).read_text("utf-8"))]
DEV_CORPUS = ROOT.parent / "shared" / "corpus" / "offers_dev.jsonl"




@pytest.mark.parametrize("case", CASES, ids=[c["text"][:40] for c in CASES])
def test_held_out_paraphrases(analyzer: Analyzer, case: dict[str, object]) -> None:
    result = analyzer.analyze(str(case["text"]))
    assert set(result.flag_ids) == set(case["flags"])  # type: ignore[arg-type]
    assert result.risk == risk_of(case["flags"])  # type: ignore[arg-type]


def test_every_flag_is_covered_in_indonesian_and_russian() -> None:
    for lang in ("id", "ru"):
        covered = {f for c in CASES if c["lang"] == lang for f in c["flags"]}  # type: ignore[union-attr]
        assert covered == set(ALL_FLAGS), (lang, set(ALL_FLAGS) - covered)


@pytest.mark.skipif(not DEV_CORPUS.exists(), reason="shared/ corpus not beside the checkout")
def test_dev_corpus_targets(analyzer: Analyzer) -> None:
    rows = [json.loads(line) for line in DEV_CORPUS.read_text("utf-8").splitlines() if line]
    tp = fp = fn = 0
    for row in rows:
        result = analyzer.analyze(row["text"])
        got, want = set(result.flag_ids), set(row["flags"])
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
        if row["risk"] == "high":
            assert result.risk is Risk.HIGH, row["id"]
        if row["risk"] == "low":
            assert result.risk is not Risk.HIGH, row["id"]
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 > 0.9


@pytest.mark.parametrize(("text", "flag"), [
    ("We never keep your passport.", "document_retention"),
    ("Паспорт остаётся у вас на руках.", "document_retention"),
    ("Perusahaan tidak pernah menahan paspor pekerja.", "document_retention"),
    ("Мы не берём плату с кандидатов.", "upfront_fee"),
    ("Tidak ada biaya pendaftaran, gratis.", "upfront_fee"),
    ("Tiket tidak dipotong dari gaji.", "costs_repaid_from_wages"),
    ("Стоимость жилья не вычитается из зарплаты.", "costs_repaid_from_wages"),
    ("Jangan lupa kasih tahu orang tua sebelum berangkat kerja.", "secrecy_isolation"),
    ("Phones are never taken from workers.", "secrecy_isolation"),
])
def test_negated_signs_do_not_count(analyzer: Analyzer, text: str, flag: str) -> None:
    assert flag not in analyzer.analyze(text).flag_ids


def test_negation_does_not_cross_a_comma(analyzer: Analyzer) -> None:
    text = "Опыт не нужен, паспорт сдаёте менеджеру."
    assert "document_retention" in analyzer.analyze(text).flag_ids


@pytest.mark.parametrize("text", [
    "Pаspоr аkаn kаmi simpаn.",  # Cyrillic а, о inside an Indonesian sentence
    "Пacпopт будет хpaнитьcя у pабoтoдателя.",  # Latin a, c, o, p inside Russian
    "P@SP0R kamu kami s1mpan",  # digits and symbols as letters
    "ｐａｓｐｏｒ kamu kami simpan",  # full-width letters (NFKC)
    "pas\u200bpor kamu kami simpan",  # a zero-width space inside the word
    "Pasport kamu kami simpaaaan",  # a misspelling and repeated letters
])
def test_disguised_letters_are_seen_through(analyzer: Analyzer, text: str) -> None:
    assert "document_retention" in analyzer.analyze(text).flag_ids


def test_good_signs_never_cancel_a_critical_flag(analyzer: Analyzer) -> None:
    text = ("PT Maju Jaya, Jl. Merdeka 5, Bandung, izin resmi SIP3MI. Kontrak sebelum "
            "berangkat, tanpa biaya. Paspor disimpan oleh perusahaan selama kontrak.")
    result = analyzer.analyze(text)
    assert result.risk is Risk.HIGH and "document_retention" in result.flag_ids
    assert {"named_employer", "address", "licence", "no_fees"} <= set(result.good_signs)


def test_evidence_is_the_exact_span_of_the_original(analyzer: Analyzer) -> None:
    text = "Halo kak!! 😊 Lowongan PABRIK di Jepang, gaji 40 juta/bulan, paspor DISIMPAN agen."
    result = analyzer.analyze(text)
    assert result.flags
    for hit in result.flags:
        assert text[hit.start:hit.end] == hit.evidence
        assert hit.reason
    evidence = {h.flag: h.evidence for h in result.flags}
    assert evidence["unrealistic_pay"] == "40 juta"
    assert "paspor DISIMPAN" in evidence["document_retention"]


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "😊😊😊", "\x00\x01\x02", "??!!..", "1234"])
def test_empty_or_meaningless_input_is_low(analyzer: Analyzer, text: str) -> None:
    result = analyzer.analyze(text)
    assert result.risk is Risk.LOW and result.flags == ()


def test_very_long_input_is_analysed_whole_and_fast(analyzer: Analyzer) -> None:
    filler = "Kami adalah perusahaan yang berkembang pesat di bidang logistik. " * 1500
    text = filler + "Paspor akan kami simpan selama kontrak."
    started = time.perf_counter()
    result = analyzer.analyze(text)
    assert "document_retention" in result.flag_ids  # found at the very end of ~100 kB
    assert time.perf_counter() - started < 5  # a guard against a hang, not a benchmark


def test_risk_rule_follows_the_catalogue() -> None:
    assert risk_of([]) is Risk.LOW
    assert risk_of(["vague_job_lure"]) is Risk.MEDIUM
    assert risk_of(["vague_job_lure", "upfront_fee"]) is Risk.MEDIUM
    assert risk_of(["vague_job_lure", "upfront_fee", "pressure_urgency"]) is Risk.HIGH
    for flag in CRITICAL:
        assert risk_of([flag]) is Risk.HIGH


def test_a_question_or_a_warning_offers_no_job(analyzer: Analyzer) -> None:
    assert analyzer.analyze("Berapa gaji pabrik di Taiwan sekarang?").risk is Risk.LOW
    warning = "Осторожно: мошенники обещают высокий доход без опыта и забирают паспорт."
    assert analyzer.analyze(warning).risk is Risk.LOW
    retold = "Осторожно! Мне сказали, что паспорт заберут на время работы."
    assert "document_retention" in analyzer.analyze(retold).flag_ids
    # A warning word inside an offer does not make it a warning post.
    sneaky = "Paspor disimpan agen selama kontrak. Hati-hati, kuota terbatas! alert(1)"
    assert "document_retention" in analyzer.analyze(sneaky).flag_ids


def test_pay_is_judged_against_the_destination(analyzer: Analyzer) -> None:
    # 15 juta is over twice the Indonesian minimum, but ordinary in South Korea.
    assert "unrealistic_pay" in analyzer.analyze("Kerja pabrik di Bekasi, gaji 15 juta per "
                                                 "bulan.").flag_ids
    assert "unrealistic_pay" not in analyzer.analyze("Kerja pabrik di Korea lewat G to G, "
                                                     "gaji 25 juta per bulan.").flag_ids
    # Fees are not pay.
    assert "unrealistic_pay" not in analyzer.analyze("Biaya pendaftaran 15 juta.").flag_ids


def test_routes_from_the_research(analyzer: Analyzer) -> None:
    # Cambodia is no placement country; Saudi household work is under the moratorium.
    assert "irregular_route" in analyzer.analyze("Lowongan kerja marketing di Kamboja.").flag_ids
    assert "irregular_route" in analyzer.analyze("Dicari pembantu rumah tangga untuk majikan "
                                                 "di Arab Saudi.").flag_ids
    assert "irregular_route" not in analyzer.analyze("Perawat rumah sakit di Arab Saudi, "
                                                     "kontrak sebelum berangkat.").flag_ids


def test_language_is_detected(analyzer: Analyzer) -> None:
    assert analyzer.analyze("Dicari pelayan untuk restoran di kota").language == "id"
    assert analyzer.analyze("Требуются официантки в кафе").language == "ru"
    assert analyzer.analyze("Waitresses needed for the new cafe").language == "en"
