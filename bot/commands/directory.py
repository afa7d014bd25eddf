"""``python main.py directory …``: validate, list, search, import and export the directory."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from referral_directory import DATA_FILE, Directory, DirectoryError, Topic, load_directory
from referral_directory.gazetteer import Gazetteer
from referral_directory.search import DirectoryIndex
from referral_directory.tabular import (
    from_csv,
    from_yaml,
    organisations_yaml,
    to_csv,
    to_record,
    to_yaml,
)

STALE_AFTER = timedelta(days=365)


def _load(path: Path) -> Directory | None:
    try:
        return load_directory(path)
    except DirectoryError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return None


def stale(verified_on: str | None, today: date) -> bool:
    """A source date older than a year (partial dates count from their last day)."""
    if verified_on is None:
        return True
    parts = [int(p) for p in verified_on.split("-")]
    year, month, day = parts[0], parts[1] if len(parts) > 1 else 12, parts[2] if len(
        parts) > 2 else 28
    return date(year, month, day) < today - STALE_AFTER


def validate(path: Path = DATA_FILE, today: date | None = None) -> int:
    directory = _load(path)
    if directory is None:
        return 1
    today = today or date.today()
    index = DirectoryIndex(directory, Gazetteer.load())
    warnings = 0
    for org_id, places in index.unresolved.items():
        for where in places:
            print(f"warning: {org_id}: place not found in the gazetteer: {where!r}")
            warnings += 1
    for org in directory:
        if stale(org.verified_on, today):
            print(f"warning: {org.id}: source older than a year ({org.verified_on or 'no date'})"
                  ": re-verify")
            warnings += 1
        if not org.phones() and org.kind.value in ("hotline", "emergency"):
            print(f"warning: {org.id}: a {org.kind.value} without a phone number")
            warnings += 1
    print(f"{len(directory)} organisations valid; {warnings} warnings")
    return 0


def list_orgs(as_json: bool, path: Path = DATA_FILE) -> int:
    directory = _load(path)
    if directory is None:
        return 1
    if as_json:
        print(json.dumps([to_record(o) for o in directory], ensure_ascii=False, indent=1))
    else:
        for org in directory:
            print(f"{org.id:34} {org.kind.value:17} {org.country}  {org.names.en}")
    return 0


def search(query: str, topic: str | None, country: str | None, as_json: bool,
           path: Path = DATA_FILE) -> int:
    directory = _load(path)
    if directory is None:
        return 1
    try:
        wanted = Topic(topic) if topic else None
    except ValueError:
        print(f"error: unknown topic {topic!r}; one of: "
              f"{', '.join(t.value for t in Topic)}", file=sys.stderr)
        return 1
    result = DirectoryIndex(directory, Gazetteer.load()).search(
        query, topic=wanted, country=country.upper() if country else None)
    place: dict[str, Any] | None = None
    if result.place is not None:
        place = {"id": result.place.id, "name": result.place.name,
                 "kind": result.place.kind.value, "country": result.place.country,
                 "region": result.place.region}
    hits = [{"tier": h.tier.name.lower(), **to_record(h.organisation)} for h in result.hits]
    if as_json:
        print(json.dumps({"query": query, "place": place, "results": hits},
                         ensure_ascii=False, indent=1))
    else:
        print(f"place: {place['name'] + ' (' + place['id'] + ')' if place else 'not found'}")
        for hit in result.hits:
            print(f"  [{hit.tier.name.lower():8}] {hit.organisation.id}: "
                  f"{hit.organisation.names.en}")
    return 0


def import_file(source: Path, target: Path = DATA_FILE) -> int:
    """Replaces the directory with a CSV or YAML file, only if the whole file is valid."""
    try:
        text = source.read_text(encoding="utf-8-sig")
    except OSError as exc:
        print(f"error: cannot read {source}: {exc.strerror}", file=sys.stderr)
        return 1
    try:
        directory = (from_csv(text, source.name) if source.suffix.lower() == ".csv"
                     else from_yaml(text, source.name))
    except DirectoryError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        print(f"nothing imported: {target} is unchanged", file=sys.stderr)
        return 1
    header = _header(target)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".import-", suffix=".yaml")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(organisations_yaml(directory, header))
    Path(tmp).replace(target)  # atomic: readers see the old file or the new one, never half
    print(f"imported {len(directory)} organisations into {target}")
    return 0


def export_file(target: Path, source: Path = DATA_FILE) -> int:
    directory = _load(source)
    if directory is None:
        return 1
    text = to_csv(directory) if target.suffix.lower() == ".csv" else to_yaml(directory)
    target.write_text(text, encoding="utf-8")
    print(f"exported {len(directory)} organisations to {target}")
    return 0


def _header(path: Path) -> str:
    try:
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    except OSError:
        return ""
    body = next((i for i, line in enumerate(lines) if not line.startswith("#")), 0)
    return "".join(lines[:body])


def main(args: Any) -> int:
    if args.action == "validate":
        return validate()
    if args.action == "list":
        return list_orgs(args.json)
    if args.action == "search":
        return search(args.query, args.topic, args.country, args.json)
    if args.action == "import":
        return import_file(Path(args.file))
    return export_file(Path(args.file))
