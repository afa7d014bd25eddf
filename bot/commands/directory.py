"""``python main.py directory …``: validate, list, search, import, export and diff.

The bot serves the shipped directory with the operator's overlay under DATA_DIR merged over
it (``referral_directory/overlay.py``); every command here reads that merged view, and
``import`` writes only the overlay, never the shipped, git-tracked file.
"""

from __future__ import annotations

import csv
import json
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.errors import StartupError
from referral_directory import DATA_FILE, Directory, DirectoryError, Topic, load_directory
from referral_directory.diff import Changes, compare
from referral_directory.formats import choose
from referral_directory.gazetteer import Gazetteer, PlaceKind
from referral_directory.overlay import (
    BACKUP_NAME,
    Overlay,
    load_overlay,
    merge,
    overlay_for,
    overlay_path,
    save_overlay,
)
from referral_directory.search import DirectoryIndex, SearchResult
from referral_directory.tabular import to_record

STALE_AFTER = timedelta(days=365)
# A directory of a few hundred organisations is well under a megabyte; a bigger file is a
# mistake (a wrong path, /dev/zero), refused before it fills the memory.
MAX_IMPORT_BYTES = 20 * 1024 * 1024


def data_dir_setting() -> Path:
    from bot.settings import Settings

    try:
        return Settings().data_dir
    except ValidationError as exc:
        raise StartupError(f"a setting is invalid: {exc.errors()[0]['msg']}") from exc


def _fail(problems: list[str]) -> None:
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)


def load_view(data_dir: Path | None, shipped: Path = DATA_FILE) -> Directory | None:
    """The merged view (the shipped data and the overlay), or None after saying why."""
    try:
        base = load_directory(shipped)
        overlay = load_overlay(data_dir) if data_dir is not None else None
    except DirectoryError as exc:
        _fail(exc.problems)
        return None
    return base if overlay is None else merge(base, overlay)


def stale(verified_on: str | None, today: date) -> bool:
    """A source date older than a year (partial dates count from their last day)."""
    if verified_on is None:
        return True
    parts = [int(p) for p in verified_on.split("-")]
    year, month, day = parts[0], parts[1] if len(parts) > 1 else 12, parts[2] if len(
        parts) > 2 else 28
    return date(year, month, day) < today - STALE_AFTER


def validate(data_dir: Path | None = None, today: date | None = None,
             shipped: Path = DATA_FILE) -> int:
    directory = load_view(data_dir, shipped)
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
    overlay = load_overlay(data_dir) if data_dir is not None else None
    if data_dir is not None and overlay is not None:
        changes = compare(load_directory(shipped), overlay)
        warnings += _overlay_warnings(changes)
        print(f"the operator's overlay {overlay_path(data_dir)}: {_counts(changes)}")
    print(f"{len(directory)} organisations valid; {warnings} warnings")
    return 0


def _overlay_warnings(changes: Changes) -> int:
    for org_id in changes.same_as_shipped:
        print(f"warning: {org_id}: the overlay's entry is now the same as the shipped one "
              "(an update brought it): it can go from the overlay")
    for org_id in changes.hidden_unknown:
        print(f"warning: {org_id}: hidden in the overlay, but the shipped directory no "
              "longer has it")
    for org_id in changes.shipped_updated:
        print(f"warning: {org_id}: an update of the bot changed the shipped entry since the "
              "overlay changed or hid it, and the overlay's version still wins: compare them "
              "(directory diff), then import again to keep yours")
    return (len(changes.same_as_shipped) + len(changes.hidden_unknown)
            + len(changes.shipped_updated))


def _counts(changes: Changes) -> str:
    return (f"{len(changes.added)} added, {len(changes.changed)} changed, "
            f"{len(changes.hidden)} hidden against the shipped directory")


def list_orgs(as_json: bool, data_dir: Path | None = None) -> int:
    directory = load_view(data_dir)
    if directory is None:
        return 1
    if as_json:
        print(json.dumps([to_record(o) for o in directory], ensure_ascii=False, indent=1))
    else:
        for org in directory:
            print(f"{org.id:34} {org.kind.value:17} {org.country}  {org.names.en}")
    return 0


def search(query: str, topic: str | None, country: str | None, as_json: bool,
           data_dir: Path | None = None) -> int:
    directory = load_view(data_dir)
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


def import_file(source: Path, data_dir: Path, fmt: str | None = None,
                shipped: Path = DATA_FILE) -> int:
    """Makes the directory the bot serves hold exactly the file's entries, if every one of
    them is valid: the overlay under DATA_DIR becomes what differs from the shipped data."""
    unchanged = "nothing imported: the directory is unchanged"
    try:
        reader = choose(source, fmt)
    except DirectoryError as exc:
        print(f"error: cannot import {exc.problems[0]}", file=sys.stderr)
        return 1
    data = _read_bytes(source)
    if data is None:
        return 1
    try:
        wanted = reader.read(data, source.name)
        base = load_directory(shipped)
    except DirectoryError as exc:
        if len(exc.problems) == 1:  # one line, as every other refusal
            print(f"error: {exc.problems[0]}; {unchanged}", file=sys.stderr)
        else:
            _fail(exc.problems)
            print(unchanged, file=sys.stderr)
        return 1
    except (csv.Error, RecursionError) as exc:  # a cell over csv's limit; nested too deep
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        print(f"error: {source}: cannot be read as a directory ({reason}); {unchanged}",
              file=sys.stderr)
        return 1
    overlay = overlay_for(base, wanted)
    try:
        path = save_overlay(data_dir, overlay)
    except (OSError, DirectoryError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "; ".join(exc.problems)
        print(f"error: cannot write the overlay under {data_dir}: {reason}; {unchanged}",
              file=sys.stderr)
        return 1
    print(f"imported {len(wanted)} organisations from {source} ({reader.name}) into "
          f"{path}: {_counts(compare(base, overlay))}; the previous overlay, if any, is "
          f"kept as {BACKUP_NAME}. Restart the bot to serve it.")
    return 0


def _read_bytes(source: Path) -> bytes | None:
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
    return data


def export_file(target: Path, data_dir: Path | None = None, fmt: str | None = None) -> int:
    """Writes the directory the bot serves (shipped and overlay merged) in a format."""
    try:
        writer = choose(target, fmt)
    except DirectoryError as exc:
        print(f"error: cannot export to {exc.problems[0]}", file=sys.stderr)
        return 1
    directory = load_view(data_dir)
    if directory is None:
        return 1
    try:
        target.write_bytes(writer.write(directory))
    except OSError as exc:
        print(f"error: cannot write {target}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"exported {len(directory)} organisations to {target} ({writer.name})")
    return 0


def diff(data_dir: Path, as_json: bool = False, shipped: Path = DATA_FILE) -> int:
    """What the overlay changes against the shipped data: added, changed fields, hidden."""
    try:
        base = load_directory(shipped)
        overlay = load_overlay(data_dir)
    except DirectoryError as exc:
        _fail(exc.problems)
        return 1
    path = overlay_path(data_dir)
    if overlay is None:
        if as_json:
            print(json.dumps({"overlay": None, **compare(base, Overlay()).as_json()}))
        else:
            print(f"no overlay at {path}: the bot serves the shipped directory as it is")
        return 0
    changes = compare(base, overlay)
    if as_json:
        print(json.dumps({"overlay": str(path), **changes.as_json()}, ensure_ascii=False,
                         indent=1))
        return 0
    for org in changes.added:
        print(f"added    {org.id}: {org.names.en}")
    for org, fields in changes.changed:
        print(f"changed  {org.id}: {org.names.en}")
        for change in fields:
            print(f"    {change.describe()}")
    for org in changes.hidden:
        print(f"hidden   {org.id}: {org.names.en}")
    _overlay_warnings(changes)
    print(f"{path}: {_counts(changes)}")
    return 0


def main(args: Any) -> int:
    data_dir = data_dir_setting()
    if args.action == "validate":
        return validate(data_dir)
    if args.action == "list":
        return list_orgs(args.json, data_dir)
    if args.action == "search":
        return search(args.query, args.topic, args.country, args.json, data_dir)
    if args.action == "import":
        from bot.storage import prepare_data_dir

        return import_file(Path(args.file), prepare_data_dir(data_dir),
                           getattr(args, "format", None))
    if args.action == "diff":
        return diff(data_dir, getattr(args, "json", False))
    return export_file(Path(args.file), data_dir, getattr(args, "format", None))
