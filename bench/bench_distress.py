"""Distress triage runs on every message a person sends: its cost per message.

Times ``DistressDetector.detect`` over the labelled distress messages (the sets in ``SETS``
under tests/data/, chat-length texts, both classes, three languages) after one warm-up pass
(the language layer's dictionaries are loaded at start in the app), and prints the median
per-message CPU time of several passes (CPU time: the machine is shared). Run from the
repository root:

    python bench/bench_distress.py [--runs 9]

To compare with an earlier version, check it out beside this one (``git worktree add
../distress_base REV``) and put it first: ``PYTHONPATH=../distress_base python
bench/bench_distress.py`` (the repository is appended to the path, not put before it), so
both read the same messages from this checkout.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.append(str(ROOT))

import yaml  # noqa: E402

from flows.distress import DistressDetector  # noqa: E402

# The labelled sets by name: a final unseen test set the lead measures must never be read here.
SETS = ("cases", "holdout", "final", "eval", "test", "train4", "fresh", "unseen2")


def messages() -> list[str]:
    texts: list[str] = []
    for name in SETS:
        with (ROOT / "tests" / "data" / f"distress_{name}.yaml").open(encoding="utf-8") as fh:
            texts += [c["text"] for c in yaml.safe_load(fh)]
    return texts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    detector = DistressDetector.load()
    texts = messages()
    for t in texts:
        detector.detect(t)  # warm-up: dictionaries and memoised lemmas
    per_message = []
    for _ in range(args.runs):
        start = time.process_time()
        for t in texts:
            detector.detect(t)
        per_message.append((time.process_time() - start) / len(texts) * 1e6)
    median = statistics.median(per_message)
    print(f"{len(texts)} messages, {args.runs} passes: median {median:.0f} us of CPU per "
          f"message, best {min(per_message):.0f} us (from {sys.modules['flows'].__path__[0]})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
