"""Benchmark of directory search: a 10,000-organisation directory (figures in the README).

    python bench/bench_directory.py [--organisations 10000] [--queries 2000]

Organisations are synthesised over real gazetteer places (cities, provinces, national);
queries mix exact names, typos, Cyrillic and unknown words, with and without a topic.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from referral_directory import Directory, Organisation, Topic  # noqa: E402
from referral_directory.gazetteer import Gazetteer, PlaceKind  # noqa: E402
from referral_directory.search import DirectoryIndex  # noqa: E402


def synthesise(gazetteer: Gazetteer, n: int, rng: random.Random) -> Directory:
    cities = [p for p in gazetteer.places() if p.kind is PlaceKind.CITY]
    regions = [p for p in gazetteer.places() if p.kind is PlaceKind.REGION]
    kinds = ["hotline", "ngo", "government", "intergovernmental"]
    orgs = []
    for i in range(n):
        roll = rng.random()
        place = rng.choice(cities if roll < 0.6 else regions)
        places = ["national"] if roll > 0.9 else [place.name]
        orgs.append(Organisation.model_validate({
            "id": f"{place.country.lower()}-org-{i}",
            "names": {"local": f"Organisasi {i}", "en": f"Organisation {i}"},
            "kind": rng.choice(kinds), "country": place.country, "places": places,
            "topics": rng.sample([t.value for t in Topic], 2),
            "contacts": [{"type": "phone", "value": f"021 {i:07d}"}],
            "sources": [f"https://example.org/{i}"], "verified_on": "2026-01-01",
        }))
    return Directory(tuple(orgs))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--organisations", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=2000)
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


if __name__ == "__main__":
    main()
