"""Steps of the language flow: ``/lang`` shows the languages, ``/lang ru`` sets one at once."""

from __future__ import annotations

from flows import menu
from flows.flow import Outcome, Step
from flows.language.states import LangState
from flows.locale import NATIVE_NAMES, SUPPORTED, normalise_locale
from flows.types import ChoiceStyle, Msg, Quote, msg, text_reply


def entry(step: Step) -> Outcome:
    """Sets the language named in the command's argument, else shows the choices."""
    wanted = step.event.args.strip()
    if wanted:
        code = normalise_locale(wanted)
        if code is None:
            return _ask(step, msg("I do not have the language {name}. Please choose one of "
                                  "these:", name=wanted))
        return _chosen(step, code)
    return _ask(step, msg("Choose your language:"))


def choose(step: Step) -> Outcome:
    """Accepts a pressed language button or a typed language name."""
    code = normalise_locale(step.event.choice or step.event.text)
    if code is None:
        return _ask(step, msg("Please choose one of these languages:"))
    return _chosen(step, code)


def _ask(step: Step, lead: Msg) -> Outcome:
    buttons = tuple(
        step.button(code, Quote(NATIVE_NAMES[code]),
                    state=LangState.CHOOSE)
        for code in SUPPORTED
    )
    return Outcome(replies=(text_reply(lead, choices=buttons, style=ChoiceStyle.BUTTONS),),
                   state=LangState.CHOOSE)


def _chosen(step: Step, code: str) -> Outcome:
    confirm = msg("From now on I will write in {language}.", language=NATIVE_NAMES[code])
    return Outcome(replies=(menu.menu_reply(step.session, confirm),), state=None, lang=code)
