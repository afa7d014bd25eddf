"""``python main.py directory …`` as an operator uses it: the shipped directory stays as git
has it, imports go to the overlay under DATA_DIR, and the bot serves the two merged."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from bot.app import build_app
from bot.commands import directory as cli
from bot.errors import StartupError
from bot.settings import Settings
from referral_directory import DATA_FILE, load_directory
from referral_directory.overlay import BACKUP_NAME, load_overlay, overlay_path
from tests.e2e.test_analyze_cli import ROOT

SHIPPED = load_directory()


def main_py(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "directory", *args],
                          capture_output=True, text=True, timeout=120, env=env,
                          cwd=data_dir.parent)


@pytest.fixture
def shipped_bytes() -> bytes:
    """The git-tracked file, to prove that nothing here ever writes it."""
    before = DATA_FILE.read_bytes()
    yield before
    assert DATA_FILE.read_bytes() == before


def test_validate_passes_on_the_committed_data(data_dir: Path) -> None:
    done = main_py(data_dir, "validate")
    assert done.returncode == 0, done.stderr
    assert f"{len(SHIPPED)} organisations valid" in done.stdout
    assert "overlay" not in done.stdout


def test_list_and_search_as_json(data_dir: Path) -> None:
    listed = json.loads(main_py(data_dir, "list", "--json").stdout)
    assert {o["id"] for o in listed} >= {"id-sapa-129", "ru-child-helpline"}
    found = json.loads(main_py(data_dir, "search", "Medn", "--topic",
                               "child_sexual_exploitation", "--json").stdout)
    assert found["place"]["name"] == "Medan"
    assert found["results"][0]["id"] == "id-pkpa-medan"
    assert found["results"][0]["tier"] == "region"
    assert main_py(data_dir, "search", "x", "--topic", "nonsense").returncode == 1


def _edited_csv(source: Path, target: Path) -> None:
    """What an operator does in a spreadsheet: one field changed, a row copied into a new
    organisation, a row deleted; saved with semicolons (Excel in a Russian locale)."""
    rows = list(csv.reader(io.StringIO(source.read_text(encoding="utf-8"))))
    header = rows[0]
    sapa = next(r for r in rows if r[0] == "id-sapa-129")
    sapa[header.index("hours")] = "24h"
    new = list(next(r for r in rows if r[0] == "ru-child-helpline"))
    new[0], new[header.index("name_en")] = "ru-new-shelter", "A new shelter in Moscow"
    rows = [r for r in rows if r[0] != "id-lpsk"] + [new]
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    target.write_bytes(out.getvalue().encode("utf-8"))


def test_an_import_goes_to_the_overlay_and_diff_shows_it(
        tmp_path: Path, data_dir: Path, shipped_bytes: bytes) -> None:
    exported = tmp_path / "all.csv"
    assert main_py(data_dir, "export", str(exported)).returncode == 0
    edited = tmp_path / "edited.csv"
    _edited_csv(exported, edited)

    done = main_py(data_dir, "import", str(edited))
    assert done.returncode == 0, done.stderr
    assert "1 added, 1 changed, 1 hidden" in done.stdout
    overlay = load_overlay(data_dir)
    assert overlay is not None
    assert [o.id for o in overlay.organisations] == ["id-sapa-129", "ru-new-shelter"]
    assert overlay.hidden == ("id-lpsk",)

    diff = main_py(data_dir, "diff")
    assert diff.returncode == 0, diff.stderr
    assert "added    ru-new-shelter: A new shelter in Moscow" in diff.stdout
    assert 'hours: null -> "24h"' in diff.stdout
    assert "hidden   id-lpsk" in diff.stdout
    as_json = json.loads(main_py(data_dir, "diff", "--json").stdout)
    assert as_json["changed"] == [{"id": "id-sapa-129",
                                   "fields": {"hours": {"shipped": None, "overlay": "24h"}}}]
    assert as_json["added"] == ["ru-new-shelter"] and as_json["hidden"] == ["id-lpsk"]

    # every command reads the merged view
    listed = {o["id"] for o in json.loads(main_py(data_dir, "list", "--json").stdout)}
    assert "ru-new-shelter" in listed and "id-lpsk" not in listed
    valid = main_py(data_dir, "validate")
    assert f"{len(SHIPPED)} organisations valid" in valid.stdout  # one added, one hidden
    assert "1 added, 1 changed, 1 hidden" in valid.stdout
    merged = tmp_path / "merged.yaml"
    assert main_py(data_dir, "export", str(merged)).returncode == 0
    assert "ru-new-shelter" in merged.read_text(encoding="utf-8")


def test_a_second_import_keeps_the_first_as_the_backup(tmp_path: Path, data_dir: Path,
                                                       shipped_bytes: bytes) -> None:
    exported = tmp_path / "all.csv"
    assert main_py(data_dir, "export", str(exported)).returncode == 0
    edited = tmp_path / "edited.csv"
    _edited_csv(exported, edited)
    assert main_py(data_dir, "import", str(edited)).returncode == 0
    first = overlay_path(data_dir).read_bytes()
    assert main_py(data_dir, "import", str(exported)).returncode == 0  # back to shipped
    assert (overlay_path(data_dir).parent / BACKUP_NAME).read_bytes() == first
    assert load_overlay(data_dir).empty  # type: ignore[union-attr]
    assert "0 added, 0 changed, 0 hidden" in main_py(data_dir, "diff").stdout
    assert oct(overlay_path(data_dir).stat().st_mode & 0o777) == "0o600"
    leftovers = [p.name for p in overlay_path(data_dir).parent.iterdir()]
    assert sorted(leftovers) == sorted([BACKUP_NAME, overlay_path(data_dir).name])


def test_every_format_round_trips_through_the_overlay(tmp_path: Path, data_dir: Path,
                                                      shipped_bytes: bytes) -> None:
    for name, extra in [("d.csv", []), ("d.xlsx", []), ("d.yaml", []),
                        ("d.json", ["--format", "hsds"]), ("d.hsds", ["--format", "hsds"])]:
        target = tmp_path / name
        done = main_py(data_dir, "export", *extra, str(target))
        assert done.returncode == 0, done.stderr
        done = main_py(data_dir, "import", *extra, str(target))
        assert done.returncode == 0, (name, done.stderr)
        assert "0 added, 0 changed, 0 hidden" in done.stdout, (name, done.stdout)
        assert load_overlay(data_dir).empty, name  # type: ignore[union-attr]


def test_an_unknown_ending_is_refused_with_the_formats_known(tmp_path: Path,
                                                             data_dir: Path) -> None:
    for verb in ("export", "import"):
        target = tmp_path / "x.txt"
        target.write_text("hello")
        done = main_py(data_dir, verb, str(target))
        assert done.returncode == 1
        assert done.stderr.count("\n") == 1, done.stderr
        assert "'.txt' is none we know: csv (.csv), xlsx (.xlsx), yaml (.yaml, .yml), hsds " \
               "(.json)" in done.stderr
        assert target.read_text() == "hello"


def test_a_bad_import_is_refused_whole_and_the_overlay_stays(
        tmp_path: Path, data_dir: Path, shipped_bytes: bytes) -> None:
    exported = tmp_path / "dir.csv"
    assert cli.export_file(exported, data_dir) == 0
    edited = tmp_path / "edited.csv"
    _edited_csv(exported, edited)
    assert cli.import_file(edited, data_dir) == 0
    before = overlay_path(data_dir).read_bytes()
    broken = exported.read_text().replace("phone | 129", "phone | call us", 1)
    broken = broken.replace(",hotline,", ",club,", 1)
    bad = tmp_path / "bad.csv"
    bad.write_text(broken)
    done = main_py(data_dir, "import", str(bad))
    assert done.returncode == 1
    assert "bad.csv:2: id-sapa-129: contacts.0: Value error, not a phone number" in done.stderr
    assert "bad.csv:2: id-sapa-129: kind" in done.stderr
    assert "nothing imported" in done.stderr and "Traceback" not in done.stderr
    assert overlay_path(data_dir).read_bytes() == before


def test_the_bot_serves_the_merged_directory(tmp_path: Path, data_dir: Path) -> None:
    exported = tmp_path / "all.csv"
    assert cli.export_file(exported, data_dir) == 0
    edited = tmp_path / "edited.csv"
    _edited_csv(exported, edited)
    assert cli.import_file(edited, data_dir) == 0

    async def served() -> tuple[set[str], list[str]]:
        app = await build_app(Settings(data_dir=data_dir))
        try:
            ids = {o.id for o in app.deps.directory}
            found = app.deps.places.search("Moscow")
            return ids, [h.organisation.id for h in found.hits]
        finally:
            await app.close()

    import asyncio

    ids, hits = asyncio.run(served())
    assert "ru-new-shelter" in ids and "id-lpsk" not in ids
    assert "ru-new-shelter" in hits
    assert app_hours(data_dir) == "24h"


def app_hours(data_dir: Path) -> str | None:
    org = cli.load_view(data_dir).get("id-sapa-129")  # type: ignore[union-attr]
    return org.hours if org else None


def test_a_broken_overlay_stops_the_start_with_its_line(data_dir: Path) -> None:
    path = overlay_path(data_dir)
    path.parent.mkdir(parents=True)
    path.write_text("hidden: []\norganisations:\n- id: id-x\n  kind: club\n",
                    encoding="utf-8")
    import asyncio

    with pytest.raises(StartupError) as caught:
        asyncio.run(build_app(Settings(data_dir=data_dir)))
    assert "organisations.yaml:3: id-x: names: Field required" in str(caught.value)
    done = main_py(data_dir, "validate")
    assert done.returncode == 1 and "organisations.yaml:4: id-x: kind" in done.stderr


def test_stale_entries_are_flagged() -> None:
    today = date(2026, 11, 25)
    assert cli.stale("2025-05-07", today)
    assert cli.stale("2024", today)
    assert cli.stale(None, today)
    assert not cli.stale("2026-01-28", today)
    assert not cli.stale("2025-12", today)
