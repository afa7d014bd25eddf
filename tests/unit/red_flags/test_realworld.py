"""The analyzer on real text nobody here wrote (``../shared/realworld``): legitimate job-board
ads, chat and SMS rated high at most 2% per set (issue #13's target; bench/eval_analyzer.py
prints the figures). The sets are read from ``../shared`` when it is there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows.red_flags import Analyzer
from flows.red_flags.catalogue import Risk

REALWORLD = Path(__file__).resolve().parents[4] / "shared" / "realworld"
LEGITIMATE = frozenset({"legit", "legit_ad", "ham", "normal", "promo"})
CEILING = 0.02
SETS = sorted(REALWORLD.glob("*.jsonl")) if REALWORLD.is_dir() else []


def _legitimate(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return [r["text"] for r in rows if r.get("source_label", "legit") in LEGITIMATE]


@pytest.mark.skipif(not SETS, reason=f"no real-world sets at {REALWORLD}")
@pytest.mark.parametrize("path", SETS, ids=[p.stem for p in SETS])
def test_legitimate_messages_are_rarely_rated_high(analyzer: Analyzer, path: Path) -> None:
    texts = _legitimate(path)
    if not texts:
        pytest.skip(f"{path.name} has no legitimate messages")
    high = [t for t in texts if analyzer.analyze(t).risk is Risk.HIGH]
    assert len(high) / len(texts) <= CEILING, (
        f"{len(high)} of {len(texts)} legitimate messages rated high, e.g. {high[0][:200]!r}")
