"""Floors on labelled sets written by writers who saw only the catalogue, never tuned on
(``tests/data/offers_unseen_2026-12.jsonl``, 158 messages, written after the first v2 round;
``offers_unseen_2026-12b.jsonl``, 220, written before the second; ``offers_unseen_2026-12c``,
240, before the third; ``offers_unseen_2026-12f``, 200, after it; ``offers_unseen_2026-12h``,
200, before the fourth; ``offers_unseen_2026-12j``, 200, before the sixth; ``12k``, 200, in
the middle of the sixth; ``12n``, 200, before the eighth; ``12r``, 200, in its middle). Only
their figures are read, never their misses; the floors are the figures now (README,
"Checking an offer"), so a change that loses ground on language nobody tuned for fails here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows.red_flags import Analyzer

DATA = Path(__file__).resolve().parents[2] / "data"


@pytest.mark.parametrize(("name", "size", "recall", "f1", "worst", "false_high"), [
    ("offers_unseen_2026-12", 150, 0.93, 0.85, 2, 0.066),
    ("offers_unseen_2026-12b", 200, 0.88, 0.85, 6, 0.027),
    # One high message of 12c went low when Javanese "kandha" (said) stopped being read as
    # a misspelt "Kanada" (a destination it never named): figures alone.
    # The ninth round (a tourist's own trip, general advice with a law): 11.9% -> 10.7%.
    ("offers_unseen_2026-12c", 230, 0.88, 0.80, 8, 0.108),
    ("offers_unseen_2026-12f", 190, 0.88, 0.83, 2, 0.044),
    ("offers_unseen_2026-12h", 190, 0.88, 0.82, 3, 0.075),
    # Written before the sixth round and only measured: 0.900 / F1 0.773 / 3 / 18.6% low
    # rated high at its first reading, after the seventh as asserted here.
    # The ninth round: 12.9% -> 11.4%.
    ("offers_unseen_2026-12j", 190, 0.91, 0.79, 2, 0.115),
    # Written in the middle of the sixth round and only measured: 0.911 / F1 0.792 / 2 /
    # 12.9% with the code the round started from.
    # The ninth round (someone's own wish to work that nobody offered): 10.0% -> 8.6%.
    ("offers_unseen_2026-12k", 190, 0.92, 0.81, 2, 0.087),
    # Written before the eighth round (12n) and in its middle (12r), only measured: both
    # 0.850 / 5.6% with the code the round started from (F1 0.777 and 0.800, 2 and 3 rated low).
    ("offers_unseen_2026-12n", 190, 0.87, 0.79, 2, 0.045),
    ("offers_unseen_2026-12r", 190, 0.88, 0.805, 3, 0.057),
    # Written by another writer as the ninth round began, only measured: 0.887 / 11.1% /
    # 0.808 / 0 with the code the round started from.
    ("offers_unseen_2026-12s", 190, 0.88, 0.80, 0, 0.10),
])
def test_figures_on_unseen_wording_are_kept(analyzer: Analyzer, name: str, size: int,
                                            recall: float, f1: float, worst: int,
                                            false_high: float) -> None:
    path = DATA / f"{name}.jsonl"
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    tp = fp = fn = 0
    high = found = high_as_low = low = low_as_high = 0
    for row in rows:
        result = analyzer.analyze(row["text"])
        expected, got = set(row["flags"]), set(result.flag_ids)
        tp, fp, fn = tp + len(expected & got), fp + len(got - expected), fn + len(expected - got)
        if row["risk"] == "high":
            high += 1
            found += str(result.risk) == "high"
            high_as_low += str(result.risk) == "low"
        elif row["risk"] == "low":
            low += 1
            low_as_high += str(result.risk) == "high"
    assert len(rows) >= size
    assert found / high >= recall
    assert 2 * tp / (2 * tp + fp + fn) >= f1
    assert high_as_low <= worst
    assert low_as_high / low <= false_high  # low messages rated high
