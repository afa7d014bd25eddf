"""Benchmark: building the digests of 10,000 tips for 100 organisations (figure in README).

    python bench/bench_digest.py [--tips 10000] [--orgs 100]

Tips (with recruiter marks, some shared so links exist) are written straight to a fresh
SQLite file and routed to the organisations; the measure is what a digest run builds before
sending: pending tips with their recruiter links, the messages rendered for Telegram, the
CSV and the eight-week chart, for every organisation.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from bot.app import build_app  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.storage.models import recruiter_marks, tip_routes, tips  # noqa: E402


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tips", type=int, default=10_000)
    parser.add_argument("--orgs", type=int, default=100)
    args = parser.parse_args()
    rng = random.Random(5)
    with tempfile.TemporaryDirectory() as tmp:
        app = await build_app(Settings(data_dir=Path(tmp)))
        orgs = [f"id-bench-{n}" for n in range(args.orgs)]
        async with app.db.begin() as conn:
            await conn.execute(insert(tips), [{
                "id": n + 1, "ref": f"T-2611-{n + 1:05d}", "draft_id": f"d{n}",
                "receipt_hash": f"h{n}", "created_on": date(2026, 11, 25),
                "topic": rng.choice(["trafficking", "migrant_workers", "forced_labour"]),
                "text": "Lowongan pelayan restoran di Malaysia, gaji 20 juta. " * 3,
                "when_text": "", "recruiter": "Pak Darmo, WA 0812", "place_id": None,
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
        started = time.perf_counter()
        built = await app.digests.prepare(orgs)
        messages = sum(len(app.digests.render(org, d.reply)) for org, d in built.items())
        elapsed = time.perf_counter() - started
        csv_bytes = sum(len(d.csv) for d in built.values())
        png_bytes = sum(len(d.chart) for d in built.values())
        await app.close()
    print(f"{args.tips} tips for {args.orgs} organisations: digests built in {elapsed:.2f} s "
          f"({messages} Telegram messages, {csv_bytes / 1e6:.1f} MB of CSV, "
          f"{len(built)} charts, {png_bytes / 1e6:.1f} MB of PNG)")
    # The whole process's peak (start-up data, the 10,000 tips, every digest at once).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"peak resident memory {peak:.0f} MiB")


if __name__ == "__main__":
    asyncio.run(main())
