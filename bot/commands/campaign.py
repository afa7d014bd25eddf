"""``python main.py campaign poster NAME --lang id|ru|en --out FILE.png|.pdf [--country CC]``
and ``campaign list [--json]``: a printable poster for an NGO's outreach whose QR code opens
the bot with the campaign's deep link, and the anonymous counts of people who came by it.

The bot's username comes from TELEGRAM_BOT_USERNAME, else from Telegram's getMe when a
token is set; without either the poster cannot carry a working link, so it is refused
(exit 2). The campaign's name follows what ``/start NAME`` counts (bot/storage/campaigns.py)
and may not be a flow's name, which ``/start`` would open instead of counting.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from bot.cli import EXIT_FAILURE, EXIT_OK, EXIT_STARTUP
from flows.types import Msg, msg

COUNTRY_OF_LANGUAGE = {"id": "ID", "ru": "RU"}

TITLE = msg("Offered a job far from home? Check it first.")
WARNING = msg("Traffickers promise good pay, then take passports, invent debts and do not "
              "let people go. Send the offer to our bot: it shows the warning signs, gives "
              "numbers that help, and takes a tip without your name.")
CHECKLIST_TITLE = msg("Before you agree:")
CHECKLIST = (
    msg("Nobody may keep your passport or ID."),
    msg("Real employers do not charge you to apply."),
    msg("Get a written contract before you leave."),
    msg("Go through a licensed agency or the official route."),
    msg("Leave a copy of your documents and the employer's address with your family."),
)
SCAN = msg("Scan with your phone's camera, or open {link}")
ANONYMOUS = msg("Free and anonymous: the bot never asks for your name.")
HELP_TITLE = msg("Where to call in {country}")
HELP_LINE = msg("{name}: {numbers} (as published {date})")
CAMPAIGN = msg("Campaign: {name}")
# After "/start NAME" in the wa.me link's prefilled text: the adapter reads its language.
GREETING = msg("Hello! I would like to check a job offer.")
WHATSAPP_LINE = msg("On WhatsApp: scan the second code, or send \"/start {name}\" to "
                    "{number}")
GRAPH_TIMEOUT = 15.0  # seconds for the one Graph API call that asks for the number


class CampaignError(Exception):
    """A command line the poster cannot be made from; the message says what to fix."""

    def __init__(self, message: str, status: int = EXIT_STARTUP) -> None:
        super().__init__(message)
        self.status = status


def add_parser(sub: Any) -> None:
    campaign = sub.add_parser("campaign", help="campaign posters and their counts",
                              description="Posters for outreach, and how many people came "
                                          "by each campaign's link (anonymous counts).")
    csub = campaign.add_subparsers(dest="action", metavar="ACTION", required=True,
                                   help="one of these; ACTION --help tells more")
    poster = csub.add_parser(
        "poster", help="draw a printable A4 poster",
        description="An A4 poster: a warning, the checklist, a QR code of "
                    "https://t.me/<bot>?start=NAME (and a wa.me link when WHATSAPP_ACCESS_TOKEN "
                    "and WHATSAPP_PHONE_NUMBER_ID are set) and the country's emergency and "
                    "hotline numbers from the directory with the date of their source.")
    poster.add_argument("name", metavar="NAME",
                        help="the campaign: 1-32 lowercase Latin letters, digits, _ or - "
                             "(poster-jember); what /start NAME counts")
    poster.add_argument("--lang", choices=("id", "ru", "en"), default="id",
                        help="the poster's language (default id)")
    poster.add_argument("--out", required=True, metavar="FILE.png|FILE.pdf",
                        help="where to write it; PNG or PDF by the ending")
    poster.add_argument("--country", metavar="CC",
                        help="whose numbers to print, an ISO 3166-1 alpha-2 code (default: "
                             "ID for id, RU for ru; required for en)")
    listing = csub.add_parser("list", help="people who came by each campaign, per day")
    listing.add_argument("--json", action="store_true",
                         help='one JSON array of {"campaign", "day", "count"}')


def main(args: argparse.Namespace) -> int:
    try:
        return asyncio.run(_poster(args) if args.action == "poster" else _list(args))
    except CampaignError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.status


async def _list(args: argparse.Namespace) -> int:
    from bot.app import build_app
    from bot.logging_setup import configure_logging
    from bot.settings import Settings
    from bot.storage.campaigns import CampaignCounter

    configure_logging("WARNING")
    app = await build_app(Settings())
    try:
        rows = await CampaignCounter(app.db).by_day()
    finally:
        await app.close()
    if args.json:
        print(json.dumps([{"campaign": c, "day": d.isoformat(), "count": n}
                          for c, d, n in rows], ensure_ascii=False, indent=1))
        return EXIT_OK
    if not rows:
        print("No campaign has been opened yet (people who come by /start NAME are "
              "counted per day).")
    totals: dict[str, int] = {}
    for name, day, count in rows:
        totals[name] = totals.get(name, 0) + count
        print(f"{name:32} {day.isoformat()} {count:6}")
    for name, total in totals.items():
        print(f"{name:32} total      {total:6}")
    return EXIT_OK


async def _poster(args: argparse.Namespace) -> int:
    from bot.app import build_app
    from bot.logging_setup import configure_logging
    from bot.orgs import poster
    from bot.orgs.fonts import FontMissing
    from bot.rendering import TextRenderer
    from bot.settings import Settings
    from bot.storage.campaigns import CAMPAIGN as CAMPAIGN_NAME

    out = Path(args.out)
    fmt = poster.FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise CampaignError(f"{out.name}: write a .png or a .pdf file")
    if not CAMPAIGN_NAME.match(args.name):
        raise CampaignError(f"{args.name!r} is not a campaign name: 1-32 characters, "
                            "lowercase Latin letters, digits, _ and - (poster-jember)")
    country = (args.country or COUNTRY_OF_LANGUAGE.get(args.lang, "")).upper()
    if not country:
        raise CampaignError("give --country CC: whose emergency and hotline numbers the "
                            "poster prints")
    configure_logging("WARNING")
    settings = Settings()
    app = await build_app(settings)
    try:
        if args.name in app.runtime.engine.flows or args.name == "start":
            raise CampaignError(f"{args.name!r} is the name of a conversation /start opens "
                                "(not counted as a campaign); choose another")
        if country not in {o.country for o in app.deps.directory}:
            raise CampaignError(f"the directory has no organisation in {country!r} "
                                "(python main.py directory list --json)")
        username = await bot_username(settings)
        link = poster.deep_link(username, args.name)
        lines = help_lines(app.deps.directory, country, args.lang)
        say = TextRenderer(app.translator)
        content = poster_text(say, args.lang, link, country, lines, args.name)
        wa_link, wa_missing = "", ""
        if settings.whatsapp_access_token and settings.whatsapp_phone_number_id:
            digits, wa_missing = await whatsapp_number(settings)
            if digits:
                greeting = str(say.message(GREETING, args.lang))
                wa_link = poster.wa_link(digits, poster.start_text(args.name, greeting))
                content = replace(content, whatsapp=str(say.message(msg(
                    WHATSAPP_LINE.msgid, name=args.name, number=f"+{digits}"), args.lang)))
        try:
            data = poster.render(content, link, fmt, wa_link)
        except FontMissing as exc:
            raise CampaignError(str(exc)) from exc
    finally:
        await app.close()
    try:
        await asyncio.to_thread(out.write_bytes, data)
    except OSError as exc:
        raise CampaignError(f"cannot write {out}: {exc.strerror}", EXIT_FAILURE) from exc
    print(f"{out}: {fmt} poster of campaign {args.name!r} in {args.lang}, QR {link}, "
          f"{len(lines)} organisations' numbers of {country}")
    if wa_link:
        print(f"WhatsApp QR {wa_link}")
    elif wa_missing:
        print(f"warning: the poster has no WhatsApp link: {wa_missing}", file=sys.stderr)
    if not lines:
        print(f"warning: the directory has no dated number of {country} to print",
              file=sys.stderr)
    return EXIT_OK


def poster_text(say: Any, lang: str, link: str, country: str, lines: list[Any],
                name: str) -> Any:
    """Every word of the poster in ``lang`` (``say``: a TextRenderer)."""
    from bot.orgs.poster import PosterText

    def text(message: Msg) -> str:
        return str(say.message(message, lang))

    return PosterText(
        title=text(TITLE), warning=text(WARNING), checklist_title=text(CHECKLIST_TITLE),
        checklist=tuple(text(m) for m in CHECKLIST),
        scan=text(msg(SCAN.msgid, link=link)), anonymous=text(ANONYMOUS),
        help_title=text(msg(HELP_TITLE.msgid, country=country_name(country, lang))),
        help_lines=tuple(text(msg(HELP_LINE.msgid, name=line.name, date=line.dated,
                                  numbers=", ".join(line.numbers))) for line in lines),
        campaign=text(msg(CAMPAIGN.msgid, name=name)))


def help_lines(directory: Any, country: str, lang: str) -> list[Any]:
    """The country's emergency numbers, then its hotlines, each with the date of the
    source that shows them; an entry whose numbers carry no date is left out."""
    from bot.orgs.poster import HelpLine
    from referral_directory import ContactType, emergency, helplines
    from referral_directory.schema import Topic

    found = []
    for org in [*emergency(directory, country),
                *helplines(directory, country, (Topic.TRAFFICKING, Topic.MIGRANT_WORKERS),
                           limit=4, lang=lang)]:
        dated = org.seen_on()
        phones = org.phones()
        if dated is None or not phones:
            continue
        numbers = tuple(c.value if c.type is ContactType.PHONE else f"WhatsApp {c.value}"
                        for c in phones)
        found.append(HelpLine(org.name_for(lang), numbers, dated))
    return found


def country_name(code: str, lang: str) -> str:
    from babel import Locale

    return Locale.parse(lang).territories.get(code, code)


async def whatsapp_number(settings: Any) -> tuple[str, str]:
    """(digits, "") of the business number as the Graph API shows it (``GET
    /{phone-number-id}?fields=display_phone_number``), or ("", why it could not be had).
    The number is never guessed: only Meta's own, when it reads as a possible
    international number."""
    import aiohttp
    import phonenumbers

    url = f"{settings.whatsapp_api_base_url.rstrip('/')}/{settings.whatsapp_phone_number_id}"
    headers = {"Authorization":
               f"Bearer {settings.whatsapp_access_token.get_secret_value()}"}
    try:
        async with aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=GRAPH_TIMEOUT)) as http, http.get(
                url, params={"fields": "display_phone_number"}, headers=headers) as response:
            body = await response.json(content_type=None) if response.status < 300 else None
            status = response.status
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        return "", f"the Graph API could not be asked for the number ({type(exc).__name__})"
    if body is None:
        return "", f"the Graph API answered {status} to the number's lookup"
    shown = body.get("display_phone_number") if isinstance(body, dict) else None
    digits = re.sub(r"\D", "", shown) if isinstance(shown, str) else ""
    try:
        possible = bool(digits) and phonenumbers.is_possible_number(
            phonenumbers.parse(f"+{digits}"))
    except phonenumbers.NumberParseException:
        possible = False
    if not possible:
        return "", "the Graph API gave no display_phone_number that reads as a number"
    return digits, ""


async def bot_username(settings: Any) -> str:
    """TELEGRAM_BOT_USERNAME, else getMe with the token (against TELEGRAM_API_BASE_URL)."""
    from bot.orgs.poster import USERNAME

    if settings.telegram_bot_username:
        name = settings.telegram_bot_username.strip().lstrip("@")
        if not USERNAME.match(name):
            raise CampaignError(f"TELEGRAM_BOT_USERNAME {name!r} is not a Telegram username "
                                "(5-32 letters, digits or _, a letter first)")
        return name
    if settings.telegram_bot_token is None:
        raise CampaignError("the poster's QR code needs the bot's username: set "
                            "TELEGRAM_BOT_USERNAME, or TELEGRAM_BOT_TOKEN to ask Telegram")
    from aiogram import Bot
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from aiogram.exceptions import AiogramError
    from aiogram.utils.token import TokenValidationError

    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_base_url))
    try:
        bot = Bot(settings.telegram_bot_token.get_secret_value(), session=session)
        me = await bot.get_me()
    except (AiogramError, TokenValidationError, OSError, TimeoutError) as exc:
        raise CampaignError(f"Telegram did not tell the bot's username ({type(exc).__name__}"
                            "); set TELEGRAM_BOT_USERNAME") from exc
    finally:
        await session.close()
    if not me.username:
        raise CampaignError("Telegram's getMe gave no username; set TELEGRAM_BOT_USERNAME")
    return me.username
