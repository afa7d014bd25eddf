"""Which WhatsApp first messages count as a campaign (a poster's wa.me text) and which stay
what they were."""

from __future__ import annotations

import pytest

from bot.adapters.whatsapp.campaign import campaign_start
from bot.adapters.whatsapp.inbound import to_inbound
from flows.red_flags import detect_language
from flows.types import Inbound, Kind

FLOWS = {"check", "report", "learn", "contacts"}


def _started(body: str) -> tuple[str, str] | None:
    found = campaign_start(to_inbound({"type": "text", "text": {"body": body}}), FLOWS,
                           detect_language)
    if found is None:
        return None
    assert found.event == Inbound(kind=Kind.COMMAND, command="start",
                                  locale_hint=found.event.locale_hint)
    return found.campaign, found.event.locale_hint


@pytest.mark.parametrize(("body", "expected"), [
    ("/start poster-jember Halo! Saya ingin memeriksa tawaran kerja.", ("poster-jember", "id")),
    ("/start radio-osh Здравствуйте! Я хочу проверить предложение о работе.",
     ("radio-osh", "ru")),
    ("/start desa_1 Hello! I would like to check a job offer.", ("desa_1", "en")),
    ("/START Poster-Jember", ("poster-jember", "")),  # typed by hand: counted, no language
    ("/start poster-jember\nHalo! Saya ingin memeriksa tawaran kerja.", ("poster-jember", "id")),
    ("/start", None),  # a plain start
    ("/start report", None),  # a flow /start opens, never a campaign
    ("/start pos!ter", None),
    ("/start " + "x" * 33, None),
    ("start poster-jember", None),  # no slash: a text to check, as before
    ("/help poster-jember", None),
])
def test_a_campaign_start_is_told_from_other_messages(
        body: str, expected: tuple[str, str] | None) -> None:
    assert _started(body) == expected
