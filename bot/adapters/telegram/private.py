"""A private Telegram message, from the event to the answer, whichever library delivered
it: the picture's text read in, a campaign deep link counted anonymously, the runtime's
answer, and a refused photo said first. The adapters only download and send."""

from __future__ import annotations

from bot.adapters import pictures as picture_text
from bot.ocr import PictureReader
from bot.runtime import Response, Runtime
from bot.storage.campaigns import CampaignCounter
from bot.tips.photos import refused
from flows.locale import normalise_locale
from flows.types import Inbound


async def answer_private(runtime: Runtime, campaigns: CampaignCounter,
                         pictures: PictureReader | None, key: str, event: Inbound,
                         picture: bytes, attachment: str | None,
                         user_language: str | None) -> Response:
    """``picture``: the bytes of a photo sent (b"" without one); ``attachment``: its parked
    token, "" without a photo, None when the photo was refused."""
    if picture:
        lang, country = await runtime.profile(key)
        event = await picture_text.read_into(
            event, picture, pictures, country=country, person=key,
            lang=lang or normalise_locale(user_language) or "")
    if event.command == "start" and event.args and event.args.lower() not in (
            runtime.engine.flows):
        # "/start poster-jember": count the campaign anonymously, then greet as usual.
        await campaigns.count(event.args)
        event = Inbound(kind=event.kind, command="start", locale_hint=event.locale_hint)
    response = await runtime.handle(key, event)
    if attachment is None:  # the photo was refused: say so before the flow's answer
        response = Response(response.lang, (refused(), *response.replies))
    return response
