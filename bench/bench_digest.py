"""Benchmark: building the digests of 10,000 tips for 100 organisations (figure in README).

    python bench/bench_digest.py [--tips 1000 10000 50000] [--orgs 100] [--before REV]
                                 [--rounds 3]

Each size runs in a process of its own (its peak memory is its own). ``--before REV`` runs
the same measure on the code of an earlier commit too (``git archive`` into a temporary
folder), in the same run, so both versions meet the same machine load; ``--rounds`` repeats
each pair, alternating, and the load average is printed with each line.

Tips (with recruiter marks, some shared so links exist) are written straight to a fresh
SQLite file and routed to the organisations; the measure is what a digest run builds before
sending: pending tips with their recruiter links, the messages rendered for Telegram, the
CSV and the eight-week chart, for every organisation. Each tip's text and recruiter are its
own, as reporters' are, so that nothing is rendered once for all tips. The clock starts
after start-up's background loading of the language dictionaries has finished (a digest
run comes long after start-up; that thread's CPU is not the digests').
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import random
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The tree to measure: this one, or an earlier commit's unpacked by --before.
sys.path.insert(0, os.environ.get("BENCH_DIGEST_ROOT", str(ROOT)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tips", type=int, nargs="+", default=[10_000])
    parser.add_argument("--orgs", type=int, default=100)
    parser.add_argument("--before", help="also measure this earlier commit")
    parser.add_argument("--rounds", type=int, default=1, help="measures of each (alternating)")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        asyncio.run(measure(args.tips[0], args.orgs))
        return
    with tempfile.TemporaryDirectory() as old:
        trees = [("now", str(ROOT))]
        if args.before:
            archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.before],
                                     capture_output=True, check=True).stdout
            with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
                tar.extractall(old, filter="data")
            trees.insert(0, (args.before, old))
        for tips_n in args.tips:
            for _round, (name, tree) in ((r, t) for r in range(args.rounds) for t in trees):
                out = subprocess.run(
                    [sys.executable, __file__, "--one", "--tips", str(tips_n), "--orgs",
                     str(args.orgs)], env={**os.environ, "BENCH_DIGEST_ROOT": tree},
                    capture_output=True, text=True, check=True).stdout
                result = json.loads(out.strip().splitlines()[-1])
                print(f"{name:>8}: {tips_n} tips for {args.orgs} organisations: digests "
                      f"built in {result['seconds']:.2f} s ({result['cpu']:.2f} s of CPU), "
                      f"peak {result['peak_mib']:.0f} "
                      f"MiB ({result['messages']} Telegram messages, "
                      f"{result['csv_mb']:.1f} MB of CSV, {result['png_mb']:.1f} MB of PNG; "
                      f"load {os.getloadavg()[0]:.1f})", flush=True)


async def measure(tips_n: int, orgs_n: int) -> None:
    import threading

    from sqlalchemy import insert

    from bot.app import build_app
    from bot.settings import Settings
    from bot.storage.models import recruiter_marks, tip_routes, tips

    class args:  # the names the measure below was written with
        tips, orgs = tips_n, orgs_n

    rng = random.Random(5)
    with tempfile.TemporaryDirectory() as tmp:
        # A fixed day, the day after the tips': the chart's eight weeks hold them whenever
        # the bench runs.
        app = await build_app(Settings(data_dir=Path(tmp)),
                              clock=lambda: datetime(2026, 11, 26, 9, tzinfo=UTC))
        orgs = [f"id-bench-{n}" for n in range(args.orgs)]
        async with app.db.begin() as conn:
            await conn.execute(insert(tips), [{
                "id": n + 1, "ref": f"T-2611-{n + 1:05d}", "draft_id": f"d{n}",
                "receipt_hash": f"h{n}", "created_on": date(2026, 11, 25),
                "topic": rng.choice(["trafficking", "migrant_workers", "forced_labour"]),
                "text": "Lowongan pelayan restoran di Malaysia, gaji 20 juta. " * 3
                        + f"Saya lihat iklan ini pada {1 + n % 28} November, nomor {n}.",
                "when_text": "", "recruiter": f"Pak Darmo, WA 0812 {n:06d}", "place_id": None,
                "place_label": rng.choice(["Medan, Sumatera Utara", "Indramayu, Jawa Barat"]),
                "country": "ID", "danger_now": False, "minor": False, "urgent": False,
                "consent": "ngo", "risk": "high", "flags": json.dumps(["vague_job_lure"]),
                "language": "id", "status": "received"} for n in range(args.tips)])
            await conn.execute(insert(tip_routes), [
                {"tip_id": n + 1, "org_id": orgs[n % args.orgs], "reason": "local"}
                for n in range(args.tips)])
            await conn.execute(insert(recruiter_marks), [
                {"tip_id": n + 1, "kind": "phone", "value": f"+6281{rng.randint(0, 2000):07d}"}
                for n in range(args.tips)])
            # A third of the tips name someone, from 600 names: fuzzy links are exercised.
            await conn.execute(insert(recruiter_marks), [
                {"tip_id": n + 1, "kind": "name",
                 "value": f"{rng.choice(['darmo', 'sari', 'alisher', 'budi'])} "
                          f"{rng.randint(0, 150)}"}
                for n in range(0, args.tips, 3)])
        for thread in threading.enumerate():
            if thread.name == "languages-warm-up":  # flows/languages: warm_up()
                thread.join()
        started, cpu = time.perf_counter(), time.process_time()
        built = await app.digests.prepare(orgs)
        messages = sum(len(app.digests.render(org, d.reply)) for org, d in built.items())
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        csv_bytes = sum(len(d.csv) for d in built.values())
        png_bytes = sum(len(d.chart) for d in built.values())
        await app.close()
    # The whole process's peak (start-up data, the tips, every digest at once).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"seconds": elapsed, "cpu": cpu, "peak_mib": peak, "messages": messages,
                      "csv_mb": csv_bytes / 1e6, "png_mb": png_bytes / 1e6}))


if __name__ == "__main__":
    main()
