"""Benchmark of reading offers in pictures (issue #16; figures go in the README).

    python bench/bench_ocr.py [--seed 16] [--seconds 10] [--rate 20]

1. Draws the set with tools/make_offer_images.py (24 offers written for it, in Indonesian,
   Russian and English, each as a flyer photographed by hand — rotated up to 5°, uneven
   light, noise, JPEG quality 50 — and as a light and a dark 1280 x 1280 chat screenshot)
   into a temporary folder, and reads every picture as the bot does (bot.ocr.read_picture,
   packs from the offer's language). Reports, per language and layout: how often the risk
   from the picture equals the risk from its text (and the flags too), the character error
   rate (Levenshtein distance over the text's length, whitespace folded), and the time per
   1280 x 1280 screenshot: wall clock and CPU seconds (this thread plus the Tesseract
   child), which is the time on one core whatever else the machine runs.
2. Text replies while pictures are read: the real runtime (engine, analyzer, SQLite) answers
   text messages from many people at --rate per second for --seconds, first alone, then
   while the bounded pool (OCR_WORKERS=1, as shipped) reads screenshots back to back for
   other people; p50 and p99 of the text replies, both runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from rapidfuzz.distance import Levenshtein  # noqa: E402

from bot.ocr import PictureReader, read_picture  # noqa: E402
from bot.ocr.languages import packs_for  # noqa: E402
from bot.ocr.tesseract import installed_languages  # noqa: E402
from flows.red_flags import Analyzer  # noqa: E402


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def fold(text: str) -> str:
    return " ".join(text.split())


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def accuracy(folder: Path, installed: frozenset[str]) -> list[dict[str, object]]:
    analyzer = Analyzer.load()
    rows = [json.loads(line) for line in (folder / "manifest.jsonl").read_text("utf-8")
            .splitlines()]
    results = []
    for row in rows:
        data = (folder / row["file"]).read_bytes()
        cpu, children, wall = time.thread_time(), child_cpu(), time.perf_counter()
        reading = read_picture(data, packs_for(row["lang"], "", installed), timeout=60)
        wall = time.perf_counter() - wall
        cpu = time.thread_time() - cpu + child_cpu() - children
        typed, read = analyzer.analyze(row["text"]), analyzer.analyze(reading.text)
        truth, got = fold(row["text"]), fold(reading.text)
        results.append({**row, "status": str(reading.status), "wall": wall, "cpu": cpu,
                        "errors": Levenshtein.distance(got, truth), "chars": len(truth),
                        "same_risk": typed.risk == read.risk,
                        "same_flags": set(typed.flag_ids) == set(read.flag_ids)})
        print(f"  {row['id']:<18} {reading.status:<8} {wall:5.2f} s  cpu {cpu:4.2f} s  "
              f"risk {typed.risk}->{read.risk}", flush=True)
    return results


def report_accuracy(results: list[dict[str, object]]) -> None:
    print("\nlanguage  pictures  same risk  same flags  CER")
    for lang in ("id", "ru", "en", "all"):
        rows = [r for r in results if lang in ("all", r["lang"])]
        errors = sum(int(r["errors"]) for r in rows)  # type: ignore[call-overload]
        chars = sum(int(r["chars"]) for r in rows)  # type: ignore[call-overload]
        print(f"{lang:<9} {len(rows):>8}  {sum(bool(r['same_risk']) for r in rows):>4} "
              f"({sum(bool(r['same_risk']) for r in rows) / len(rows):5.1%})"
              f"  {sum(bool(r['same_flags']) for r in rows) / len(rows):6.1%}"
              f"     {errors / chars:.2%}")
    for layout in ("flyer_photo", "chat_light", "chat_dark"):
        rows = [r for r in results if r["layout"] == layout]
        errors = sum(int(r["errors"]) for r in rows)  # type: ignore[call-overload]
        chars = sum(int(r["chars"]) for r in rows)  # type: ignore[call-overload]
        print(f"{layout:<12} CER {errors / chars:.2%}, same risk "
              f"{sum(bool(r['same_risk']) for r in rows)}/{len(rows)}")
    chats = [r for r in results if str(r["layout"]).startswith("chat")]
    walls = [float(r["wall"]) for r in chats]  # type: ignore[arg-type]
    cpus = [float(r["cpu"]) for r in chats]  # type: ignore[arg-type]
    print(f"\n1280x1280 screenshots ({len(chats)}): wall p50 {statistics.median(walls):.2f} s, "
          f"p90 {pct(walls, 0.9):.2f} s; CPU (one core) p50 {statistics.median(cpus):.2f} s, "
          f"p90 {pct(cpus, 0.9):.2f} s")
    flyers = [float(r["cpu"]) for r in results if r["layout"] == "flyer_photo"]
    print(f"flyer photos ({len(flyers)}): CPU p50 {statistics.median(flyers):.2f} s")


async def text_replies(pictures: list[bytes], seconds: float, rate: float,
                       with_pictures: bool) -> list[float]:
    """Latencies of text replies through the runtime, with or without pictures being read."""
    from bot.app import build_app
    from bot.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        app = await build_app(Settings(data_dir=Path(tmp), bot_secret_key="b" * 32))
        reader = PictureReader(installed_languages(), workers=1)
        from flows.types import Inbound, Kind

        stop = asyncio.Event()
        read = 0

        async def pictures_loop(person: int) -> None:
            nonlocal read
            i = person
            while not stop.is_set():
                await reader.read(pictures[i % len(pictures)], "id", person=f"p{person}")
                read += 1
                i += 3

        readers = [asyncio.create_task(pictures_loop(n)) for n in range(3)] if (
            with_pictures) else []
        latencies: list[float] = []

        async def one(n: int) -> None:
            started = time.perf_counter()
            await app.runtime.handle(f"user{n}", Inbound(
                kind=Kind.TEXT, text=f"Dicari pelayan restoran di Malaysia, gaji 20 juta, "
                                     f"paspor disimpan agen. Hubungi {n}", locale_hint="id"))
            latencies.append(time.perf_counter() - started)

        tasks = []
        start = time.perf_counter()
        n = 0
        while time.perf_counter() - start < seconds:
            tasks.append(asyncio.create_task(one(n)))
            n += 1
            await asyncio.sleep(max(0.0, start + n / rate - time.perf_counter()))
        await asyncio.gather(*tasks)
        stop.set()
        await asyncio.gather(*readers)
        reader.close()
        await app.close()
        if with_pictures:
            print(f"  ({read} pictures read meanwhile)")
        return latencies


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=20.0)
    args = parser.parse_args()
    installed = installed_languages()
    if not installed:
        raise SystemExit("Tesseract is not installed (README, Pictures (OCR))")
    from make_offer_images import generate

    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pictures = generate(folder, args.seed)
        print(f"{len(pictures)} pictures drawn (seed {args.seed}); reading them:")
        results = accuracy(folder, installed)
        report_accuracy(results)
        screenshots = [(folder / p.file).read_bytes() for p in pictures
                       if p.layout.startswith("chat")]
        print(f"\ntext replies at {args.rate:.0f}/s for {args.seconds:.0f} s "
              "(runtime: engine, analyzer, SQLite):")
        for with_pictures in (False, True):
            latencies = asyncio.run(text_replies(screenshots, args.seconds, args.rate,
                                                 with_pictures))
            label = "while pictures are read" if with_pictures else "alone"
            print(f"  {label:<24} p50 {statistics.median(latencies) * 1000:6.1f} ms, "
                  f"p99 {pct(latencies, 0.99) * 1000:6.1f} ms ({len(latencies)} replies)")
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
