"""The main menu and the answers every conversation shares (welcome, help, cancel, stale).

Menu buttons start a flow from any state of the current session, so a person who has
scrolled back to the menu can always use it.
"""

from __future__ import annotations

from flows.flow import start_button
from flows.types import Choice, ChoiceStyle, Msg, Reply, msg, text_reply

# Commands the engine itself answers, in every state.
ENGINE_COMMANDS: tuple[str, ...] = ("start", "help", "menu", "cancel", "country")

# (flow name, label) in the order people need them most.
MENU_ITEMS: tuple[tuple[str, Msg], ...] = (
    ("check", msg("Check a job offer")),
    ("screen", msg("Answer questions about an offer")),
    ("learn", msg("Learn how recruiters trick people")),
    ("report", msg("Report a tip anonymously")),
    ("contacts", msg("Find help near you")),
    ("lang", msg("Language / Bahasa / Язык")),
)


def menu_choices(session: int) -> tuple[Choice, ...]:
    return tuple(start_button(name, label, session) for name, label in MENU_ITEMS)


def menu_reply(session: int, *lead: Msg) -> Reply:
    return text_reply(*lead, msg("What would you like to do?"),
                      choices=menu_choices(session), style=ChoiceStyle.LIST)


def welcome(session: int, emergency: tuple[Msg, ...] = ()) -> Reply:
    """``emergency``: the directory's emergency numbers for the person's country (or the
    countries of their language), dated: no number lives in the code."""
    return menu_reply(
        session,
        msg("Hello! I help you check whether a job offer is safe, learn how traffickers "
            "recruit young people, and report a suspicious offer anonymously."),
        *_in_danger(emergency),
    )


def _in_danger(emergency: tuple[Msg, ...]) -> tuple[Msg, ...]:
    if not emergency:
        return (msg("*In danger right now?* Call your local emergency number."),)
    return (msg("*In danger right now?* Call now:"), *emergency)


def help_reply(session: int) -> Reply:
    return menu_reply(
        session,
        msg("You can paste or forward a job offer and I will tell you which warning signs I "
            "see. Commands:\n"
            "/check - check a job offer\n"
            "/questions - answer questions about an offer\n"
            "/learn - how recruiters trick people\n"
            "/report - report a tip anonymously\n"
            "/contacts - find organisations that help\n"
            "/status CODE - follow up on your tip\n"
            "/lang - change the language\n"
            "/cancel - stop what we are doing\n"
            "/help - this message"),
        msg("/country - the country you are in (numbers and advice follow it)"),
    )


def not_understood(session: int, emergency: tuple[Msg, ...] = ()) -> Reply:
    return menu_reply(
        session,
        msg("I did not understand. To check a job offer, paste its whole text here."),
        # Safety in depth: whatever the distress triage missed, a number is on screen.
        *_in_danger(emergency),
    )


def cancelled(session: int) -> Reply:
    return menu_reply(session, msg("Cancelled. Nothing was saved."))


def nothing_to_cancel(session: int) -> Reply:
    return menu_reply(session, msg("There is nothing to cancel."))


def stale_button(session: int) -> Reply:
    return menu_reply(
        session,
        msg("That button belongs to an earlier conversation, so I ignored it."),
    )
