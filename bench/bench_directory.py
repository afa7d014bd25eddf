"""Benchmark of directory search: a 10,000-organisation directory (figures in the README).

    python bench/bench_directory.py [--organisations 10000] [--queries 2000] [--no-formats]

Organisations are synthesised over real gazetteer places (cities, provinces, national);
queries mix exact names, typos, Cyrillic and unknown words, with and without a topic.
Then each import/export format writes and reads the whole directory (CSV also in cp1251
with semicolons, as Excel saves it in a Russian locale), and the operator's overlay is
computed, saved and merged with 100 entries changed and 100 hidden.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from referral_directory import Directory, DirectoryEntry, Topic  # noqa: E402
from referral_directory.formats import BY_NAME, FORMATS  # noqa: E402
from referral_directory.gazetteer import Gazetteer, PlaceKind  # noqa: E402
from referral_directory.overlay import (  # noqa: E402
    load_merged,
    overlay_for,
    save_overlay,
)
from referral_directory.search import DirectoryIndex  # noqa: E402
from referral_directory.tabular import COLUMNS, to_rows  # noqa: E402


def synthesise(gazetteer: Gazetteer, n: int, rng: random.Random) -> Directory:
    cities = [p for p in gazetteer.places() if p.kind is PlaceKind.CITY]
    regions = [p for p in gazetteer.places() if p.kind is PlaceKind.REGION]
    kinds = ["hotline", "ngo", "government", "intergovernmental"]
    orgs = []
    for i in range(n):
        roll = rng.random()
        place = rng.choice(cities if roll < 0.6 else regions)
        places = ["national"] if roll > 0.9 else [place.name]
        orgs.append(DirectoryEntry.model_validate({
            "id": f"{place.country.lower()}-org-{i}",
            "names": {"local": f"Organisasi {i}", "en": f"Organisation {i}"},
            "kind": rng.choice(kinds), "operator": rng.choice(["ngo", "government"]),
            "country": place.country, "places": places,
            "topics": rng.sample([t.value for t in Topic], 2),
            "contacts": [{"type": "phone", "value": f"021 {i:07d}"}],
            "sources": [f"https://example.org/{i}"], "verified_on": "2026-01-01",
        }))
    return Directory(tuple(orgs))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--organisations", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--no-formats", dest="formats", action="store_false",
                        help="search only: skip the import/export and overlay figures")
    args = parser.parse_args()
    rng = random.Random(11)
    gazetteer = Gazetteer.load()
    directory = synthesise(gazetteer, args.organisations, rng)
    started = time.perf_counter()
    index = DirectoryIndex(directory, gazetteer)
    build_s = time.perf_counter() - started
    typed = ["Medan", "Medn", "Surbaya", "Jakarta", "Jogja", "москва", "Sankt-Peterburg",
             "Питер", "Бишкек", "Osh", "Shymkent", "Indramayu", "Boyolali", "jawa tengah",
             "Ekaterinburg", "Kazan", "Новосибирск", "Batam", "Makasar", "unknownplace"]
    latencies = []
    for _ in range(args.queries):
        query = rng.choice(typed)
        topic = rng.choice([None, *Topic])
        t0 = time.perf_counter()
        index.search(query, topic=topic)
        latencies.append(time.perf_counter() - t0)
    latencies.sort()
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[int(len(latencies) * 0.99)] * 1000
    print(f"directory of {args.organisations} organisations, index built in {build_s:.1f} s")
    print(f"search latency p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {latencies[-1] * 1000:.2f} ms")
    if args.formats:
        formats(directory, rng)


def _timed(work):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = work()
    return result, time.perf_counter() - started


def formats(directory: Directory, rng: random.Random) -> None:
    for fmt in FORMATS:
        data, wrote = _timed(lambda f=fmt: f.write(directory))
        back, read = _timed(lambda f=fmt, d=data: f.read(d, f"bench.{f.name}"))
        assert back == directory, fmt.name
        print(f"{fmt.name:5} export {wrote:5.2f} s, import {read:5.2f} s, "
              f"{len(data) / 2**20:5.1f} MiB")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(to_rows(directory))
    excel = out.getvalue().encode("cp1251", errors="replace")  # as Excel saves it
    back, read = _timed(lambda: BY_NAME["csv"].read(excel, "excel.csv"))
    assert len(back) == len(directory)
    print(f"csv in cp1251 with semicolons: detect and import {read:5.2f} s, "
          f"{len(excel) / 2**20:5.1f} MiB")
    orgs = list(directory)
    for i in rng.sample(range(len(orgs)), 100):
        orgs[i] = orgs[i].model_copy(update={"hours": "24h"})
    hidden = set(rng.sample([o.id for o in orgs], 100))
    wanted = Directory(tuple(o for o in orgs if o.id not in hidden))
    overlay, made = _timed(lambda: overlay_for(directory, wanted))
    with tempfile.TemporaryDirectory() as folder:
        _, saved = _timed(lambda: save_overlay(Path(folder), overlay))
        merged, loaded = _timed(lambda: load_merged(Path(folder), directory))
    assert merged == wanted
    print(f"overlay of 100 changed and 100 hidden: computed {made:.2f} s, validated and "
          f"saved {saved:.2f} s, loaded and merged {loaded:.2f} s")


if __name__ == "__main__":
    main()
