"""Campaign counts in the digests: the whole days since the organisation's last digest (a
week before its first), every campaign by its name with its count, in id, ru and en, with
no internal id; no section when nobody came by a campaign's link."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import insert

from bot.orgs.digests import CampaignPeriod
from bot.rendering import TextRenderer
from bot.storage.campaigns import CampaignCounter
from bot.storage.database import writing
from bot.storage.models import digests
from tests.unit.test_digest_languages import IDS, ORGS, RAW_RISK, _app_with_tips

HEADING = {"id": "Kampanye (orang yang membuka bot",
           "ru": "Кампании (сколько человек открыли бота",
           "en": "Campaigns (people who opened the bot"}


async def _count(app: object, day: int, name: str, times: int = 1) -> None:
    counter = CampaignCounter(app.db, lambda: datetime(2026, 11, day, 20, tzinfo=UTC))  # type: ignore[attr-defined]
    for _ in range(times):
        assert await counter.count(name)


@pytest.mark.parametrize("lang", ["id", "ru", "en"])
async def test_a_digest_shows_the_campaigns_of_its_period(tmp_path, lang: str) -> None:
    app = await _app_with_tips(tmp_path)  # the digests' clock: 2026-11-25 09:00 UTC
    try:
        await _count(app, 17, "radio-osh", 5)  # before the first digest's week
        await _count(app, 20, "poster-jember", 2)
        await _count(app, 24, "radio-osh")
        await _count(app, 25, "poster-jember", 4)  # today: the next digest's
        org = ORGS["id"]
        digest = (await app.digests.prepare([org]))[org]
        assert digest.campaigns == CampaignPeriod(date(2026, 11, 18), date(2026, 11, 24),
                                                  (("poster-jember", 2), ("radio-osh", 1)))
        plain = TextRenderer(app.translator).parts(
            app.digests.translated(digest, lang).reply.parts, lang)
        (line,) = [p for p in plain.splitlines() if p.startswith(HEADING[lang])]
        assert "2026-11-18" in line and "2026-11-24" in line
        assert line.endswith(": poster-jember 2, radio-osh 1")
        html = "\n".join(app.digests.render(org, app.digests.translated(digest, lang).reply,
                                            lang))
        assert "poster-jember 2, radio-osh 1" in html and "*Kampanye*" not in html
        for text in (plain, html):
            assert not IDS.search(text) and not RAW_RISK.search(text)
    finally:
        await app.close()


async def test_the_period_starts_on_the_day_of_the_last_digest(tmp_path) -> None:
    app = await _app_with_tips(tmp_path)
    try:
        org, other = ORGS["id"], ORGS["ru"]
        async with writing(app.db) as conn:
            await conn.execute(insert(digests).values(
                org_id=org, tip_ids="[]", created_at=datetime(2026, 11, 22, 8, tzinfo=UTC),
                sent_at=datetime(2026, 11, 22, 8, tzinfo=UTC)))
            await conn.execute(insert(digests).values(  # never sent: not a last digest
                org_id=other, tip_ids="[]", created_at=datetime(2026, 11, 23, 8, tzinfo=UTC)))
        await _count(app, 21, "poster-jember")
        await _count(app, 22, "radio-osh", 3)
        found = await app.digests.campaigns([org, other])
        assert found[org] == CampaignPeriod(date(2026, 11, 22), date(2026, 11, 24),
                                            (("radio-osh", 3),))
        assert found[other] == CampaignPeriod(date(2026, 11, 18), date(2026, 11, 24),
                                              (("radio-osh", 3), ("poster-jember", 1)))
    finally:
        await app.close()


async def test_no_section_without_a_campaign_in_the_period(tmp_path) -> None:
    app = await _app_with_tips(tmp_path)
    try:
        await _count(app, 25, "poster-jember")  # today's only
        org = ORGS["ru"]
        digest = (await app.digests.prepare([org]))[org]
        assert digest.campaigns is None
        plain = TextRenderer(app.translator).parts(digest.reply.parts, "ru")
        assert "Кампании" not in plain and "poster-jember" not in plain
    finally:
        await app.close()
