"""Looking up tokens and occurrences by position, by bisection instead of a scan.

A text dense with prices has as many amounts as words. Scanning every token, or every pay
and fee word, for each amount made the analysis quadratic: 200,000 characters of
"$1 Rp2 …" took minutes. Both lookups here answer exactly what the scans answered.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence

from flows.red_flags.lexicon import Occurrence
from flows.red_flags.normalize import Token


class TokenSpans:
    """The first and last token overlapping a character span.

    Tokens come in text order and never overlap (an abbreviation's expansion shares one
    span), so their starts and their ends are both sorted and the tokens overlapping a
    span are one run, found by two bisections.
    """

    def __init__(self, tokens: Sequence[Token]) -> None:
        self._starts = [tok.start for tok in tokens]
        self._ends = [tok.end for tok in tokens]

    def covering(self, start: int, end: int) -> tuple[int, int] | None:
        first = bisect_right(self._ends, start)  # the first token ending after ``start``
        last = bisect_left(self._starts, end) - 1  # the last token starting before ``end``
        return (first, last) if first <= last else None


class Nearby:
    """Occurrences sorted by their first token, to fetch those that may lie near a span."""

    def __init__(self, occurrences: Iterable[Occurrence]) -> None:
        self._sorted = sorted(occurrences, key=lambda o: o.start)
        self._starts = [o.start for o in self._sorted]
        # The longest occurrence bounds how far before a span one can start and still
        # reach it.
        self._longest = max((o.end - o.start for o in self._sorted), default=0)

    def around(self, start: int, end: int, reach: int) -> Sequence[Occurrence]:
        """Every occurrence that ends at most ``reach`` tokens before token ``start``,
        begins at most ``reach`` tokens after token ``end``, or overlaps them (and a few
        more: callers still check the distance)."""
        low = bisect_left(self._starts, start - reach - self._longest)
        high = bisect_right(self._starts, end + reach)
        return self._sorted[low:high]
