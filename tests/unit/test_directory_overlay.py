"""The operator's overlay: merged over the shipped data, validated whole, replaced
atomically with the previous version kept; updates of the shipped data still arrive."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from referral_directory import Directory, DirectoryError, load_directory
from referral_directory.diff import compare
from referral_directory.overlay import (
    BACKUP_NAME,
    Overlay,
    load_merged,
    load_overlay,
    merge,
    overlay_for,
    overlay_path,
    parse_overlay,
    render_overlay,
    save_overlay,
)

SHIPPED = load_directory()


def _changed(org_id: str, **fields: object) -> Directory:
    org = SHIPPED.get(org_id)
    assert org is not None
    return Directory((org.model_copy(update=fields),))


def test_merge_replaces_hides_and_appends_in_order() -> None:
    sapa = _changed("id-sapa-129", hours="24h").organisations[0]
    new = SHIPPED.get("ru-child-helpline").model_copy(update={"id": "ru-new"})  # type: ignore[union-attr]
    merged = merge(SHIPPED, Overlay((new, sapa), ("id-lpsk",)))
    ids = [o.id for o in merged]
    assert ids == [o.id for o in SHIPPED if o.id != "id-lpsk"] + ["ru-new"]
    assert merged.get("id-sapa-129").hours == "24h"  # type: ignore[union-attr]


def test_the_overlay_is_only_what_differs() -> None:
    assert overlay_for(SHIPPED, SHIPPED).empty
    wanted = Directory(tuple(o.model_copy(update={"hours": "24h"}) if o.id == "id-kpai" else o
                             for o in SHIPPED if o.id != "id-lpsk"))
    overlay = overlay_for(SHIPPED, wanted)
    assert [o.id for o in overlay.organisations] == ["id-kpai"]
    assert overlay.hidden == ("id-lpsk",)
    assert merge(SHIPPED, overlay) == wanted


def test_an_update_of_the_shipped_data_still_arrives() -> None:
    """The point of the overlay: entries the operator did not touch follow the bot's data."""
    overlay = overlay_for(SHIPPED, _changed_directory())
    updated = Directory(tuple(o.model_copy(update={"verified_on": "2026-12"})
                              if o.id == "id-polri-110" else o for o in SHIPPED))
    merged = merge(updated, overlay)
    assert merged.get("id-polri-110").verified_on == "2026-12"  # type: ignore[union-attr]
    assert merged.get("id-sapa-129").hours == "24h"  # type: ignore[union-attr]


def _changed_directory() -> Directory:
    return Directory(tuple(o.model_copy(update={"hours": "24h"}) if o.id == "id-sapa-129"
                           else o for o in SHIPPED))


def test_lines_that_no_longer_do_anything_are_reported() -> None:
    sapa = SHIPPED.get("id-sapa-129")
    assert sapa is not None
    changes = compare(SHIPPED, Overlay((sapa,), ("xx-gone",)))
    assert changes.same_as_shipped == ("id-sapa-129",)
    assert changes.hidden_unknown == ("xx-gone",)
    assert changes.empty


def test_the_file_reads_back_as_written() -> None:
    overlay = overlay_for(SHIPPED, _changed_directory())
    text = render_overlay(overlay)
    assert text.startswith("# The operator's directory")
    assert parse_overlay(text) == overlay


@pytest.mark.parametrize(("text", "needle"), [
    ("hidden: []\norganisations:\n- id: id-x\n  kind: club\n", "x.yaml:3: id-x: names"),
    ("hidden: []\norganisations:\n- id: id-x\n  kind: club\n", "x.yaml:4: id-x: kind"),
    ("hidden: id-lpsk\n", "x.yaml:1: hidden must be a list"),
    ("hidden: []\nextra: 1\n", "x.yaml:2: unknown key 'extra'"),
    ("- id: id-x\n", "x.yaml:1: the overlay must hold"),
    ("hidden: [unclosed\n", "not valid YAML"),
])
def test_a_bad_overlay_is_refused_by_line(text: str, needle: str) -> None:
    with pytest.raises(DirectoryError) as caught:
        parse_overlay(text, "x.yaml")
    assert needle in str(caught.value)


def test_saving_keeps_the_previous_version(data_dir: Path) -> None:
    first = overlay_for(SHIPPED, _changed_directory())
    save_overlay(data_dir, first)
    assert not (overlay_path(data_dir).parent / BACKUP_NAME).exists()
    second = Overlay(first.organisations, ("id-lpsk",))
    save_overlay(data_dir, second)
    assert load_overlay(data_dir) == second
    backup = (overlay_path(data_dir).parent / BACKUP_NAME).read_text(encoding="utf-8")
    assert parse_overlay(backup) == first
    assert load_merged(data_dir).get("id-lpsk") is None


def test_a_failed_write_leaves_the_old_file_whole(data_dir: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    first = overlay_for(SHIPPED, _changed_directory())
    save_overlay(data_dir, first)
    before = overlay_path(data_dir).read_bytes()

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError):
        save_overlay(data_dir, Overlay((), ("id-lpsk",)))
    assert overlay_path(data_dir).read_bytes() == before
    names = {p.name for p in overlay_path(data_dir).parent.iterdir()}
    assert not any(n.endswith(".tmp") for n in names), names


def test_no_overlay_is_the_shipped_directory(data_dir: Path) -> None:
    assert load_overlay(data_dir) is None
    assert load_merged(data_dir) == SHIPPED
    assert load_merged(None) == SHIPPED


def test_an_update_of_an_entry_the_operator_changed_is_pointed_out() -> None:
    overlay = overlay_for(SHIPPED, Directory(tuple(
        o.model_copy(update={"hours": "24h"}) if o.id == "id-sapa-129" else o
        for o in SHIPPED if o.id != "id-lpsk")))
    assert dict(overlay.based_on).keys() == {"id-sapa-129", "id-lpsk"}
    assert parse_overlay(render_overlay(overlay)) == overlay
    assert compare(SHIPPED, overlay).shipped_updated == ()
    updated = Directory(tuple(o.model_copy(update={"verified_on": "2026-12"})
                              if o.id in ("id-sapa-129", "id-lpsk", "id-kpai") else o
                              for o in SHIPPED))
    # id-kpai follows the update unseen: the operator never touched it
    assert compare(updated, overlay).shipped_updated == ("id-sapa-129", "id-lpsk")


@pytest.mark.parametrize("text", [
    "1: x\n", "hidden: [1, 2]\n", "organisations: {a: 1}\n", "organisations: [1, 'x']\n",
    "organisations: abc\n", "based_on: [a]\n", "based_on: {a: 1}\n", "hidden: {a: b}\n",
    "[]\n", "'just text'\n", "hidden: null\norganisations: null\n",
])
def test_a_hand_edited_overlay_of_odd_shapes_is_refused_by_line(text: str) -> None:
    try:
        overlay = parse_overlay(text, "x.yaml")
    except DirectoryError as exc:
        assert all(p.startswith("x.yaml:") for p in exc.problems), exc.problems
    else:
        assert overlay.empty
