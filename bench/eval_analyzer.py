"""The analyzer's figures on every labelled and real-world set under ``../shared``.

    python bench/eval_analyzer.py [--shared DIR] [--misses SET]

Labelled corpora (``corpus/offers_dev*.jsonl``): high-risk recall, low-risk messages rated
high, flag F1 (micro, over the flag ids of ``red_flags.md``) and high-risk messages rated low.
``offers_dev2`` is split once, by a hash of each id, into a part the rules were tuned on
and a held-out quarter (``crc32(id) % 4 == 0``) that was set aside before tuning; the two
are reported apart. ``tests/data/offers_tune_*.jsonl`` are sets written for the project from
the catalogue alone, to tune on; ``tests/data/offers_unseen_*.jsonl`` are sets written the same
way by other writers, never tuned on (only their figures are read, never their misses). Real-world
sets (``realworld/*.jsonl``): the share of legitimate
messages (labels ``legit``, ``legit_ad``, ``ham``, ``normal``, ``promo``, or none for the
job boards) rated high, per set. ``--misses SET`` lists the messages the analyzer gets
wrong on one set, to read them.
"""

from __future__ import annotations

import argparse
import json
import sys
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flows.red_flags import Analyzer

SHARED = Path(__file__).resolve().parents[2] / "shared"
LEGITIMATE = frozenset({"legit", "legit_ad", "ham", "normal", "promo"})


def held_out(message_id: str) -> bool:
    return zlib.crc32(message_id.encode("utf-8")) % 4 == 0


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@dataclass
class Scores:
    n: int = 0
    high: int = 0
    high_found: int = 0
    high_as_low: int = 0
    low: int = 0
    low_as_high: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def line(self) -> str:
        f1 = 2 * self.tp / max(1, 2 * self.tp + self.fp + self.fn)
        return (f"n {self.n:4d}  high recall {self.high_found / max(1, self.high):.3f}  "
                f"low rated high {self.low_as_high / max(1, self.low):6.1%}  "
                f"flag F1 {f1:.3f}  high rated low {self.high_as_low}")


def score(analyzer: Analyzer, rows: Iterable[dict], misses: list[str] | None = None) -> Scores:
    s = Scores()
    for row in rows:
        result = analyzer.analyze(row["text"], country=row.get("country"))
        risk = str(result.risk)
        expected, got = set(row.get("flags") or ()), set(result.flag_ids)
        s.n += 1
        s.tp += len(expected & got)
        s.fp += len(got - expected)
        s.fn += len(expected - got)
        if row["risk"] == "high":
            s.high += 1
            s.high_found += risk == "high"
            s.high_as_low += risk == "low"
        elif row["risk"] == "low":
            s.low += 1
            s.low_as_high += risk == "high"
        if misses is not None and (risk != row["risk"] or expected != got):
            misses.append(f"{row['id']} want {row['risk']} {sorted(expected)} got {risk} "
                          f"{sorted(got)} {[h.evidence for h in result.flags]}\n  {row['text']}")
    return s


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--misses", help="list the misses of one set (e.g. offers_dev2:held_out)")
    parser.add_argument("--labelled", nargs="*", type=Path, default=None,
                        help="more labelled sets (default: tests/data/offers_tune_*.jsonl, "
                             "then offers_unseen_*.jsonl, which are never tuned on)")
    args = parser.parse_args()
    analyzer = Analyzer.load()
    missed: list[str] = []
    corpus = args.shared / "corpus"
    for path in sorted(corpus.glob("offers_dev*.jsonl")):
        rows = read_jsonl(path)
        parts = {path.stem: rows}
        if path.stem == "offers_dev2":
            parts = {f"{path.stem}:tuned": [r for r in rows if not held_out(r["id"])],
                     f"{path.stem}:held_out": [r for r in rows if held_out(r["id"])]}
        for name, part in parts.items():
            scores = score(analyzer, part, missed if args.misses == name else None)
            print(f"{name:28s} {scores.line()}")
    data = Path(__file__).resolve().parents[1] / "tests" / "data"
    labelled = args.labelled if args.labelled is not None else [
        *sorted(data.glob("offers_tune_*.jsonl")), *sorted(data.glob("offers_unseen_*.jsonl"))]
    for path in labelled:
        scores = score(analyzer, read_jsonl(path), missed if args.misses == path.stem else None)
        print(f"{path.stem:28s} {scores.line()}")
    for path in sorted((args.shared / "realworld").glob("*.jsonl")):
        rows = [r for r in read_jsonl(path)
                if r.get("source_label", "legit") in LEGITIMATE]
        if not rows:
            continue
        high = []
        for row in rows:
            result = analyzer.analyze(row["text"])
            if str(result.risk) == "high":
                high.append(f"{row['id']} {sorted(result.flag_ids)} "
                            f"{[h.evidence for h in result.flags]}")
        share = len(high) / len(rows)
        print(f"{path.stem:28s} n {len(rows):4d}  legitimate rated high {share:6.1%}")
        if args.misses == path.stem:
            missed.extend(high)
    for line in missed:
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
