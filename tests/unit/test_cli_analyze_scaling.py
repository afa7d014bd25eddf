"""``analyze`` on text dense with prices grows linearly with the text's length.

Locating each amount's tokens by scanning every token made 200,000 characters of
"$1 Rp2 …" take minutes. Timed tests flake on a shared machine, so this counts work
instead: the Python lines the analyzer executes (``sys.settrace``) for a text and for one
twice as long. Linear work doubles; the old quadratic scan made it four times as much.
"""

from __future__ import annotations

import random
import sys
from types import FrameType
from typing import Any

import pytest

from flows.red_flags import Analyzer
from flows.red_flags.normalize import tokenize
from flows.red_flags.spans import Nearby, TokenSpans

# Each unit is dense with digits and currency signs, and the pay-word one makes every
# amount look for pay and fee words nearby (the second scan that was quadratic).
UNITS = ("$1 Rp2 ", "gaji Rp 100 ", "biaya $5 gaji Rp 9 ")


def _dense(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def _lines_run(analyzer: Analyzer, text: str) -> int:
    count = 0

    def trace(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal count
        count += 1
        return trace

    sys.settrace(trace)
    try:
        analyzer.analyze(text)
    finally:
        sys.settrace(None)
    return count


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer.load()


@pytest.mark.parametrize("unit", UNITS)
def test_work_doubles_when_the_text_doubles(analyzer: Analyzer, unit: str) -> None:
    small, large = _dense(unit, 3_000), _dense(unit, 6_000)
    for text in (small, large):  # warm the per-word caches, so both runs count the same way
        analyzer.analyze(text)
    ratio = _lines_run(analyzer, large) / _lines_run(analyzer, small)
    assert ratio < 2.5, f"work grew {ratio:.2f}x for twice the text"


def _scan(tokens: list[Any], start: int, end: int) -> tuple[int, int] | None:
    """The former linear scan, as the reference the bisection must agree with."""
    inside = [i for i, tok in enumerate(tokens) if tok.start < end and tok.end > start]
    return (inside[0], inside[-1]) if inside else None


def test_bisection_finds_exactly_the_tokens_the_scan_found() -> None:
    rng = random.Random(3)
    abbreviations = {"gj": "gaji", "tnpa": "tanpa biaya"}  # an expansion shares one span
    words = ["gj", "tnpa", "Rp", "15.000", "$4,000", "kerja", "..", "—", "4jt", ",", "\n"]
    for _ in range(300):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(0, 30)))
        tokens = tokenize(text, abbreviations)
        spans = TokenSpans(tokens)
        for _ in range(20):
            start = rng.randint(0, len(text) + 1)
            end = rng.randint(start, len(text) + 2)
            assert spans.covering(start, end) == _scan(tokens, start, end), (text, start, end)


def test_nearby_keeps_every_occurrence_within_reach() -> None:
    from flows.red_flags.lexicon import Occurrence

    rng = random.Random(5)
    for _ in range(300):
        occurrences = [Occurrence("X", s, s + rng.randint(0, 4))
                       for s in (rng.randint(0, 60) for _ in range(rng.randint(0, 15)))]
        nearby = Nearby(occurrences)
        start = rng.randint(0, 60)
        end = start + rng.randint(0, 3)
        wanted = {o for o in occurrences
                  if 0 <= (start - o.end if o.end < start else o.start - end) <= 6
                  or o.start <= start <= o.end}
        assert wanted <= set(nearby.around(start, end, 6))
