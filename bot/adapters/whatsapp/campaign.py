"""A campaign's first message on WhatsApp: the text a poster's wa.me link prefills.

WhatsApp has no deep-link parameter like Telegram's ``?start=NAME``; a poster's link fills
the message box with ``/start NAME`` and a greeting in the poster's language instead
(bot/orgs/poster.py ``start_text``). Sent, it is counted as Telegram's ``/start NAME`` is
(bot/storage/campaigns.py, anonymous: a name, a day, a count) and answered as a plain
``/start``; the greeting gives the language, since WhatsApp sends no language hint.
"""

from __future__ import annotations

from collections.abc import Callable, Container
from dataclasses import dataclass

from bot.storage.campaigns import CAMPAIGN
from flows.types import Inbound, Kind


@dataclass(frozen=True, slots=True)
class CampaignStart:
    campaign: str
    event: Inbound  # the plain /start to answer, with the greeting's language as its hint


def campaign_start(event: Inbound, flows: Container[str],
                   detect: Callable[[str], str | None]) -> CampaignStart | None:
    """``/start NAME [greeting]`` where NAME is a campaign, not a flow ``/start`` opens."""
    if event.kind is not Kind.COMMAND or event.command != "start":
        return None
    words = event.args.split(maxsplit=1)
    name = words[0].lower() if words else ""
    if not name or name in flows or not CAMPAIGN.match(name):
        return None
    greeting = words[1].strip() if len(words) > 1 else ""
    hint = (detect(greeting) or "") if greeting else ""
    return CampaignStart(name, Inbound(kind=Kind.COMMAND, command="start",
                                       locale_hint=hint or event.locale_hint))
