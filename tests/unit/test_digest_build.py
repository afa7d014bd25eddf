"""Building digests: the eight-week chart, the batch build of many organisations, and
links between tips that stay right when another process saves a tip."""

from __future__ import annotations

import io
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

from PIL import Image

from bot.app import build_app
from bot.orgs.chart import PALETTE, chart_png, week_of, week_starts
from bot.settings import Settings
from tests.unit.test_tips_store import tip


def test_week_starts_are_the_last_eight_mondays() -> None:
    weeks = week_starts(date(2026, 11, 25))  # a Wednesday
    assert len(weeks) == 8 and weeks[-1] == date(2026, 11, 23) and weeks[0] == date(2026, 10, 5)
    assert all(w.weekday() == 0 for w in weeks)
    assert week_of(date(2026, 11, 29)) == date(2026, 11, 23)  # Sunday belongs to its Monday


def _rgb(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (720, 400)
    return image.convert("RGB")


def _share(image: Image.Image, colour: str) -> float:
    rgb = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
    counts = {c: n for n, c in image.getcolors(maxcolors=1 << 16) or []}
    return counts.get(rgb, 0) / (image.width * image.height)


def test_the_chart_stacks_topics_in_fixed_colours_and_grows_with_the_count() -> None:
    weeks = week_starts(date(2026, 11, 25))
    only_trafficking = _rgb(chart_png(weeks, {weeks[-1]: Counter(trafficking=4)}))
    # Colours follow the topics' fixed order (trafficking second), whatever else is there.
    assert _share(only_trafficking, PALETTE[1]) > 0.01
    assert _share(only_trafficking, PALETTE[0]) == 0
    mixed = _rgb(chart_png(weeks, {weeks[-1]: Counter(trafficking=4, violence=4),
                                   weeks[0]: Counter(violence=1)}))
    assert 0.3 < _share(mixed, PALETTE[1]) / _share(only_trafficking, PALETTE[1]) < 0.7
    assert _share(mixed, PALETTE[4]) > 0.005  # violence, fifth in the topics' order
    empty = _rgb(chart_png(weeks, {}))
    assert all(_share(empty, c) == 0 for c in PALETTE[:5])


async def test_batch_build_matches_one_by_one_and_counts_weeks(tmp_path: Path) -> None:
    app = await build_app(Settings(data_dir=tmp_path / "data"))
    try:
        store = app.runtime._performer._store  # type: ignore[attr-defined]
        days = [datetime(2026, 11, 24, tzinfo=UTC), datetime(2026, 11, 10, tzinfo=UTC),
                datetime(2026, 8, 3, tzinfo=UTC)]  # this week, two weeks ago, too old
        for n, day in enumerate(days):
            store._clock = lambda day=day: day
            await store.save(tip(f"d{n}", marks=[("phone", "+6281234567890")]), f"h{n}",
                             "k", 9)
        app.digests._clock = lambda: datetime(2026, 11, 25, 9, tzinfo=UTC)  # type: ignore[method-assign]
        orgs = ["id-sapa-129", "id-kpai"]
        built = await app.digests.prepare(orgs)
        assert [r.ref for r in built["id-sapa-129"].rows] == [
            "T-2611-0001", "T-2611-0002", "T-2608-0001"]
        assert built["id-kpai"].rows == []
        assert built["id-sapa-129"].rows == await app.digests.pending("id-sapa-129")
        # Every tip names the same number: each links to the two others.
        assert built["id-sapa-129"].rows[0].linked == ("T-2608-0001", "T-2611-0002")
        weekly = (await app.digests.weekly(orgs))["id-sapa-129"]
        assert weekly == {date(2026, 11, 23): Counter(trafficking=1),
                          date(2026, 11, 9): Counter(trafficking=1)}
        assert built["id-sapa-129"].chart.startswith(b"\x89PNG")
        assert built["id-sapa-129"].csv.count(b"\r\n") == 4  # header and three tips
    finally:
        await app.close()


async def test_links_see_a_tip_saved_by_another_process(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    scheduler_process, webhook_process = await build_app(settings), await build_app(settings)
    try:
        first = await scheduler_process.runtime._performer._store.save(  # type: ignore[attr-defined]
            tip("a", marks=[("name", "pak darmo")]), "ha", "k", 9)
        reader = scheduler_process.runtime._performer._store  # type: ignore[attr-defined]
        assert await reader.linked(first.tip_id) == {}  # the index is built now
        second = await webhook_process.runtime._performer._store.save(  # type: ignore[attr-defined]
            tip("b", receipt="BBBB-BBBB-BBBB", marks=[("name", "pak darmoo")]), "hb", "k", 9)
        assert await reader.linked(first.tip_id) == {second.tip_id: [("name", "pak darmo")]}
    finally:
        await scheduler_process.close()
        await webhook_process.close()
