"""What stays on disk after a check and a tip, through the real runtime on a real SQLite
file: nothing links a tip to its reporter's conversation, a checked offer's text is never
written, old copies do not linger in the WAL, and every file is private."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

from bot.app import App, build_app
from bot.runtime import Response
from bot.settings import Settings
from flows.types import Inbound
from tests.helpers.events import command, find_choice, msgids, press, text

KEY = "a" * 64
OFFER = ("Lowongan kerja pelayan restoran di Kuala Lumpur, gaji 9 juta, paspor ditahan agen "
         "selama kontrak, berangkat minggu depan tanpa biaya. Hubungi Bu Ratna Ngadimin.")
STEPS: list[Inbound | str] = [
    command("lang", "en"), command("report"), text(OFFER), "Sexual exploitation of a child",
    text("Indramayu"), text("last week"), "A child under 18", text("@ratna_kerja"),
    "Only organisations that help (NGOs)", "Send"]


async def walk(app: App, key: str, steps: list[Inbound | str], *,
               deliver: bool = True) -> Response:
    """Like an adapter: each response is delivered before the next event."""
    response: Response | None = None
    for step in steps:
        if isinstance(step, str):
            assert response is not None
            step = press(find_choice(response.replies, step))
        response = await app.runtime.handle(key, step)
        if deliver:
            await app.runtime.delivered(key)
    assert response is not None
    return response


def _all_bytes(data_dir: Path) -> bytes:
    return b"".join(p.read_bytes() for p in data_dir.rglob("*") if p.is_file())


async def test_a_sent_tip_keeps_no_link_to_the_conversation(app: App, data_dir: Path) -> None:
    await walk(app, KEY, STEPS)
    db = sqlite3.connect(data_dir / "bot.sqlite3")
    (draft_hash,) = db.execute("select draft_hash from tips").fetchone()
    assert draft_hash is None  # released once the conversation moved past "Send"
    tip_values = {str(v) for v in db.execute("select * from tips").fetchone() if v}
    conv_values = {str(v) for v in db.execute("select * from conversations").fetchone() if v}
    assert "draft" not in db.execute("select data from conversations").fetchone()[0]
    shared = {v for v in tip_values & conv_values if len(v) > 8}
    assert not shared
    db.close()
    # The WAL was checkpointed and truncated after the tip: no old conversation row with the
    # draft's id survives in it.
    wal = data_dir / "bot.sqlite3-wal"
    assert not wal.exists() or wal.stat().st_size == 0


async def test_a_receipt_never_delivered_can_be_had_again(app: App, data_dir: Path) -> None:
    # The receipt went to the platform, which refused it (or the process died first): the
    # adapter never says "delivered". The tip is committed and keeps its draft link, the
    # conversation still shows the summary, and "Send" again gives a code for that tip.
    summary = await walk(app, KEY, STEPS[:-1])
    send = press(find_choice(summary.replies, "Send"))
    sent = await app.runtime.handle(KEY, send)  # shown to nobody: no "delivered"
    assert any("Your receipt code" in m for m in msgids(sent.replies))
    again = await app.runtime.handle(KEY, send)
    assert any("Your receipt code" in m for m in msgids(again.replies))
    await app.runtime.delivered(KEY)
    db = sqlite3.connect(data_dir / "bot.sqlite3")
    assert db.execute("select count(*), max(draft_hash) is null from tips").fetchone() == (1, 1)
    db.close()


async def test_a_checked_offer_is_never_written(app: App, data_dir: Path) -> None:
    await app.runtime.handle(KEY, command("lang", "id"))
    checked = await app.runtime.handle(KEY, text(OFFER))
    assert checked.replies
    assert b"Ngadimin" not in _all_bytes(data_dir)
    # …but "Report it" still brings it along while the process runs.
    response = await app.runtime.handle(KEY, press(find_choice(checked.replies, "Report it")))
    assert response.replies


async def test_every_file_under_data_dir_is_private(app: App, data_dir: Path) -> None:
    await walk(app, KEY, STEPS)
    assert _modes(data_dir) == set()


def _modes(data_dir: Path) -> set[tuple[str, str]]:
    """The paths whose mode is not private (0700 folders, 0600 files)."""
    wrong = set()
    for path in [data_dir, *data_dir.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode != (0o700 if path.is_dir() else 0o600):
            wrong.add((str(path), oct(mode)))
    return wrong


def _readable_old_layout(data_dir: Path) -> None:
    data_dir.mkdir(mode=0o755)
    (data_dir / "tips").mkdir(mode=0o755)
    (data_dir / "tips" / "1.jpg").write_bytes(b"x")
    (data_dir / "tips" / "1.jpg").chmod(0o644)


async def test_files_an_older_version_left_readable_are_made_private(
        data_dir: Path) -> None:
    _readable_old_layout(data_dir)
    app = await build_app(Settings(data_dir=data_dir))
    await app.close()
    assert _modes(data_dir) == set()
