"""Floors on a labelled set written after the analyzer v2 tuning, by a writer who saw only
the catalogue (``tests/data/offers_unseen_2026-12.jsonl``, 158 messages). It is never tuned
on: its failures are read as classes, and a new set is written for the next round. The
floors are its first reading (README, "Checking an offer"), so a change that loses ground
on language nobody tuned for fails here."""

from __future__ import annotations

import json
from pathlib import Path

from flows.red_flags import Analyzer

SET = Path(__file__).resolve().parents[2] / "data" / "offers_unseen_2026-12.jsonl"


def test_first_reading_is_kept(analyzer: Analyzer) -> None:
    rows = [json.loads(line) for line in SET.read_text("utf-8").splitlines() if line.strip()]
    tp = fp = fn = 0
    high = found = high_as_low = 0
    for row in rows:
        result = analyzer.analyze(row["text"])
        expected, got = set(row["flags"]), set(result.flag_ids)
        tp, fp, fn = tp + len(expected & got), fp + len(got - expected), fn + len(expected - got)
        if row["risk"] == "high":
            high += 1
            found += str(result.risk) == "high"
            high_as_low += str(result.risk) == "low"
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert len(rows) >= 150
    assert found / high >= 0.78
    assert f1 >= 0.75
    assert high_as_low <= 8
