"""``python main.py directory …``: validate, list, search, import and export the directory."""

from __future__ import annotations

import csv
import json
import os
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from referral_directory import DATA_FILE, Directory, DirectoryError, Topic, load_directory
from referral_directory.gazetteer import Gazetteer, PlaceKind
from referral_directory.search import DirectoryIndex, SearchResult
from referral_directory.tabular import (
    from_csv,
    from_yaml,
    organisations_yaml,
    to_csv,
    to_record,
    to_yaml,
)

STALE_AFTER = timedelta(days=365)
# A directory of a few hundred organisations is well under a megabyte; a bigger file is a
# mistake (a wrong path, /dev/zero), refused before it fills the memory.
MAX_IMPORT_BYTES = 20 * 1024 * 1024
CSV_SUFFIXES = (".csv",)
YAML_SUFFIXES = (".yaml", ".yml")


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
    gazetteer = Gazetteer.load()
    code = resolve_country(country, directory, gazetteer) if country else None
    if country and code is None:
        print(f"error: {unknown_country(country, directory, gazetteer)}", file=sys.stderr)
        return 1
    result = DirectoryIndex(directory, gazetteer).search(query, topic=wanted, country=code)
    if as_json:
        print(json.dumps(_search_json(query, result), ensure_ascii=False, indent=1))
        return 0
    where = f" in {_country_name(code, gazetteer)} ({code})" if code else ""
    place = result.place
    print(f"place: {place.name} ({place.id})" if place else f"place: not found{where}")
    for hit in result.hits:
        print(f"  [{hit.tier.name.lower():8}] {hit.organisation.id}: "
              f"{hit.organisation.names.en}")
    return 0


def _search_json(query: str, result: SearchResult) -> dict[str, Any]:
    place: dict[str, Any] | None = None
    if result.place is not None:
        place = {"id": result.place.id, "name": result.place.name,
                 "kind": result.place.kind.value, "country": result.place.country,
                 "region": result.place.region}
    hits = [{"tier": h.tier.name.lower(), **to_record(h.organisation)} for h in result.hits]
    return {"query": query, "place": place, "results": hits}


def resolve_country(value: str, directory: Directory, gazetteer: Gazetteer) -> str | None:
    """A country the directory covers, from its ISO 3166-1 alpha-2 code ("kg") or its name
    in the gazetteer's spellings (English, Russian, Indonesian: "Kyrgyzstan",
    "Кыргызстан", "Kirgizstan", close typos too); None when it names none of them."""
    covered = {org.country for org in directory}
    typed = value.strip()
    if len(typed) == 2 and typed.isascii() and typed.upper() in covered:
        return typed.upper()
    for found in gazetteer.resolve(typed, limit=20):
        if found.place.kind is PlaceKind.COUNTRY and found.place.country in covered:
            return found.place.country
    return None


def unknown_country(value: str, directory: Directory, gazetteer: Gazetteer) -> str:
    covered = sorted({org.country for org in directory})
    listed = ", ".join(f"{code} {_country_name(code, gazetteer)}" for code in covered)
    return (f"no country {value!r} in the directory: give an ISO 3166-1 alpha-2 code such as "
            f"KG, or a country name in English, Russian or Indonesian; it covers {listed}")


def _country_name(code: str, gazetteer: Gazetteer) -> str:
    place = gazetteer.get(f"country:{code}")
    return place.name if place is not None else code


def import_file(source: Path, target: Path = DATA_FILE) -> int:
    """Replaces the directory with a CSV or YAML file, only if the whole file is valid."""
    kind = _format(source, "import")
    text = _read_text(source) if kind is not None else None
    if text is None:
        return 1
    try:
        directory = (from_csv(text, source.name) if kind == "csv"
                     else from_yaml(text, source.name))
    except DirectoryError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        print(f"nothing imported: {target} is unchanged", file=sys.stderr)
        return 1
    except (csv.Error, RecursionError) as exc:  # a cell over csv's limit; YAML nested deep
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        print(f"error: {source}: cannot be read as a directory ({reason}); nothing "
              f"imported: {target} is unchanged", file=sys.stderr)
        return 1
    try:
        _replace(target, organisations_yaml(directory, _header(target)))
    except OSError as exc:
        print(f"error: cannot write {target}: {exc.strerror}; it is unchanged",
              file=sys.stderr)
        return 1
    print(f"imported {len(directory)} organisations into {target}")
    return 0


def _format(path: Path, verb: str) -> str | None:
    """"csv" or "yaml" by the file's ending; anything else is refused with a line."""
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in YAML_SUFFIXES:
        return "yaml"
    print(f"error: cannot {verb} {path}: the name must end in .csv, .yaml or .yml "
          "(the format follows the ending)", file=sys.stderr)
    return None


def _read_text(source: Path) -> str | None:
    try:
        with source.open("rb") as fh:
            data = fh.read(MAX_IMPORT_BYTES + 1)
    except OSError as exc:
        print(f"error: cannot read {source}: {exc.strerror}", file=sys.stderr)
        return None
    if len(data) > MAX_IMPORT_BYTES:
        print(f"error: {source} is larger than {MAX_IMPORT_BYTES // 2**20} MB: not a "
              "directory file", file=sys.stderr)
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        print(f"error: {source} is not UTF-8 text (byte {exc.start + 1}): save it as UTF-8 "
              "(\"CSV UTF-8\" in a spreadsheet) and import it again", file=sys.stderr)
        return None


def _replace(target: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".import-", suffix=".yaml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        Path(tmp).replace(target)  # atomic: readers see the old file or the new, never half
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def export_file(target: Path, source: Path = DATA_FILE) -> int:
    kind = _format(target, "export to")
    if kind is None:
        return 1
    directory = _load(source)
    if directory is None:
        return 1
    text = to_csv(directory) if kind == "csv" else to_yaml(directory)
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"error: cannot write {target}: {exc.strerror}", file=sys.stderr)
        return 1
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
