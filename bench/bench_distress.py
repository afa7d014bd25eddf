"""Distress triage runs on every message a person sends: its cost per message.

Times ``DistressDetector.detect`` over the labelled distress messages (the sets in ``SETS``
under tests/data/, chat-length texts, both classes, three languages) after one warm-up pass
(the language layer's dictionaries are loaded at start in the app), and prints the median
per-message CPU time of several passes (CPU time: the machine is shared). The detector keeps
recent words and texts in memory; "cold" passes start with them dropped (``forget()``: every
text is new to it, and a word is new until its first message in the pass), "warm" ones with
the words of the pass before (the texts, 2,224 of them, are all past its 512 kept). Run from
the repository root:

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
    forget = getattr(detector, "forget", lambda: None)  # an earlier version kept nothing
    cold: list[float] = []
    warm: list[float] = []
    for _ in range(args.runs):
        for kept, times in ((False, cold), (True, warm)):
            if not kept:
                forget()
            start = time.process_time()
            for t in texts:
                detector.detect(t)
            times.append((time.process_time() - start) / len(texts) * 1e6)
    print(f"{len(texts)} messages, {args.runs} passes each (from "
          f"{sys.modules['flows'].__path__[0]}), us of CPU per message:")
    for name, times in (("cold", cold), ("warm", warm)):
        print(f"  {name}: median {statistics.median(times):.0f}, best {min(times):.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
