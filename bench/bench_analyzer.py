"""Benchmark of the red-flag analyzer (figures go in the README).

    python bench/bench_analyzer.py [--seconds 3] [--lines 20000]

Messages come from the held-out test cases (and the dev corpus when shared/ is beside the
checkout), each varied by a random suffix word so the per-word caches see new words, as in
real traffic. Measures: messages per second on one core; p50/p99 latency for short
messages and for 2,000-character messages; one 200,000-character text dense with prices
and pay words (the case that was quadratic); the wall time of a whole
``main.py analyze --jsonl`` run over --lines lines, start-up included; the memory the
pattern data and the language layer's dictionaries add to the process.

Each time is given as wall-clock and as the process's CPU time: on a machine shared with
other work the wall-clock figures carry the waiting, the CPU figures much less of it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from flows import languages  # noqa: E402
from flows.red_flags import Analyzer  # noqa: E402


def corpus() -> list[str]:
    texts = [c["text"] for name in ("analyzer_cases.yaml", "analyzer_cases_2.yaml")
             for c in yaml.safe_load((ROOT / "tests" / "data" / name).read_text("utf-8"))]
    dev = ROOT.parent / "shared" / "corpus" / "offers_dev.jsonl"
    if dev.exists():
        texts += [json.loads(line)["text"] for line in dev.read_text("utf-8").splitlines()]
    return texts


def varied(texts: list[str], n: int, rng: random.Random) -> list[str]:
    words = "segera kerja gaji hubungi работа срочно звоните apply today info detail".split()
    return [f"{rng.choice(texts)} {rng.choice(words)}{rng.randint(0, 9999)}" for _ in range(n)]


def rss_mib() -> float:
    """The resident memory of this process now (Linux), else its peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return (statistics.median(ordered) * 1000,
            ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--lines", type=int, default=20_000)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    rng = random.Random(7)
    texts = corpus()
    rss_start = rss_mib()
    started, cpu = time.perf_counter(), time.process_time()
    analyzer = Analyzer.load()
    load_ms = (time.perf_counter() - started) * 1000
    load_cpu_ms = (time.process_time() - cpu) * 1000
    rss_patterns = rss_mib()
    # The dictionaries of the language layer load once per process (the app does it in the
    # background at start): timed apart, not inside the throughput window.
    started, cpu = time.perf_counter(), time.process_time()
    for language in languages.LANGUAGES.values():
        language.known("a")
    dictionaries_ms = (time.perf_counter() - started) * 1000
    dictionaries_cpu_ms = (time.process_time() - cpu) * 1000
    rss_dictionaries = rss_mib()

    messages = varied(texts, 50_000, rng)
    count, started, cpu = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - started < args.seconds and count < len(messages):
        analyzer.analyze(messages[count])
        count += 1
    rate = count / (time.perf_counter() - started)
    cpu_rate = count / (time.process_time() - cpu)

    short_lat = []
    for text in varied(texts, 3000, rng):
        t0 = time.perf_counter()
        analyzer.analyze(text)
        short_lat.append(time.perf_counter() - t0)
    long_texts = []
    for _ in range(300):
        text = ""
        while len(text) < 2000:
            text += rng.choice(texts) + " "
        long_texts.append(text[:2000])
    long_lat, long_cpu = [], []
    for text in long_texts:
        t0, c0 = time.perf_counter(), time.process_time()
        analyzer.analyze(text)
        long_lat.append(time.perf_counter() - t0)
        long_cpu.append(time.process_time() - c0)

    dense = ("biaya $5 gaji Rp 9 " * 10_600)[:200_000]
    t0 = time.perf_counter()
    analyzer.analyze(dense)
    dense_s = time.perf_counter() - t0

    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as fh:
        for i, text in enumerate(varied(texts, args.lines, rng)):
            fh.write(json.dumps({"id": i, "text": text}, ensure_ascii=False) + "\n")
        path = fh.name
    t0 = time.perf_counter()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "analyze", "--jsonl", path],
                          capture_output=True, text=True, check=True)
    whole = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    whole_cpu = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    Path(path).unlink()
    assert len(done.stdout.splitlines()) == args.lines

    s50, s99 = percentiles(short_lat)
    l50, l99 = percentiles(long_lat)
    c50, c99 = percentiles(long_cpu)
    print(f"load average                 {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"pattern data load            {load_ms:8.0f} ms (CPU {load_cpu_ms:.0f} ms), "
          f"+{rss_patterns - rss_start:.0f} MiB")
    print(f"dictionaries load            {dictionaries_ms:8.0f} ms (CPU {dictionaries_cpu_ms:.0f}"
          f" ms), +{rss_dictionaries - rss_patterns:.0f} MiB (language layer)")
    print(f"throughput, one core         {rate:8.0f} messages/s (typical messages; "
          f"{cpu_rate:.0f}/s of CPU time)")
    print(f"latency, short messages      p50 {s50:.3f} ms   p99 {s99:.3f} ms")
    print(f"latency, 2,000-char messages p50 {l50:.3f} ms   p99 {l99:.3f} ms "
          f"(CPU p50 {c50:.3f} ms, p99 {c99:.3f} ms)")
    print(f"200,000 chars of prices      {dense_s:8.2f} s (digits, currency signs, pay words)")
    print(f"analyze --jsonl, {args.lines} lines {whole:8.2f} s (start-up included): "
          f"{args.lines / whole:.0f} lines/s; CPU {whole_cpu:.2f} s, "
          f"{args.lines / whole_cpu:.0f} lines/s")


if __name__ == "__main__":
    main()
