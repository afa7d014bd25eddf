"""Steps of the learn flow: a list of topics, then short screens with back and next.

Every step reads the modules as this reader sees them (``Guidance.modules(lang, country)``):
the screens for the country they are in, or for their language's countries while it is
unknown, so Indonesia's placement process never reaches a mother in Bishkek and Russia's
patent rules never reach a family in Java."""

from __future__ import annotations

from flows.flow import Outcome, Step
from flows.learn.content import MARKER, Guidance, Module
from flows.learn.states import LearnData, LearnState
from flows.types import Choice, ChoiceStyle, Part, Quote, Text, msg, text_reply
from flows.whom_to_call import (
    emergency_for_language,
    emergency_parts,
    home_country,
    whom_to_call,
)

NEXT, BACK, TOPICS = "next", "back", "topics"


def entry(step: Step) -> Outcome:
    """Shows the topics, or opens the one named in ``/learn N``."""
    modules = _modules(step)
    wanted = step.event.args.strip()
    if wanted.isdigit() and 1 <= int(wanted) <= len(modules):
        return _show(step, LearnData(module=int(wanted) - 1))
    return _topics(step, modules)


def topics(step: Step) -> Outcome:
    """Opens the chosen topic (a button, its number or its title)."""
    modules = _modules(step)
    index = _chosen(step, modules)
    if index is None:
        return _topics(step, modules, typed=bool(step.event.text.strip()))
    return _show(step, LearnData(module=index))


def read(step: Step) -> Outcome:
    """Moves back or forward, to the next topic at the end, or back to the topics."""
    data: LearnData = step.data
    modules = _modules(step)
    choice = step.event.choice or step.event.text.strip().lower()
    data = _within(data, modules)
    module = modules[data.module]
    if choice == NEXT:
        if data.screen + 1 < len(module.screens):
            return _show(step, LearnData(data.module, data.screen + 1))
        if data.module + 1 < len(modules):
            return _show(step, LearnData(data.module + 1, 0))
        return _topics(step, modules)
    if choice == BACK:
        if data.screen > 0:
            return _show(step, LearnData(data.module, data.screen - 1))
        return _topics(step, modules)
    index = _chosen(step, modules)
    if index is not None:
        return _show(step, LearnData(module=index))
    return _topics(step, modules, typed=bool(step.event.text.strip()))


def _modules(step: Step) -> tuple[Module, ...]:
    guidance: Guidance = step.deps.guidance
    return guidance.modules(step.lang, step.country)


def _chosen(step: Step, modules: tuple[Module, ...]) -> int | None:
    raw = step.event.choice or step.event.text.strip()
    if raw.isdigit() and 1 <= int(raw) <= len(modules):
        return int(raw) - 1
    folded = raw.casefold()
    for i, module in enumerate(modules):
        if folded and folded == module.title.casefold():
            return i
    return None


def _topics(step: Step, modules: tuple[Module, ...], typed: bool = False) -> Outcome:
    """The topics; after a typed question ("а что такое EPS?"), first a word that questions
    are not answered here, so the same menu does not come back without a word."""
    buttons = tuple(step.button(str(i + 1), Quote(m.title), state=LearnState.TOPICS)
                    for i, m in enumerate(modules))
    lead = [msg("I cannot answer typed questions here. Choose a topic by its number, send "
                "/contacts to find an organisation that can answer, or /menu.")] if typed else []
    reply = text_reply(*lead, msg("What would you like to learn about?"), choices=buttons,
                       style=ChoiceStyle.LIST)
    return Outcome(replies=(reply,), state=LearnState.TOPICS, data=LearnData())


def _within(data: LearnData, modules: tuple[Module, ...]) -> LearnData:
    """The position clamped to what this reader has: a /country set while reading can
    shorten a module."""
    module = min(max(data.module, 0), len(modules) - 1)
    return LearnData(module, min(max(data.screen, 0), len(modules[module].screens) - 1))


def _show(step: Step, data: LearnData) -> Outcome:
    modules = _modules(step)
    data = _within(data, modules)
    module = modules[data.module]
    parts = [msg("*{title}* ({screen}/{screens})", title=Quote(module.title),
                 screen=data.screen + 1, screens=len(module.screens)),
             *_screen_parts(step, module.screens[data.screen])]
    # "Next" first on every screen, so that "1" always goes on (with "Back" first, "1" on
    # the second screen went back, and 1, 1, 1 went back and forth).
    buttons: list[Choice] = []
    last = data.screen + 1 >= len(module.screens)
    if not last:
        buttons.append(step.button(NEXT, msg("Next"), state=LearnState.READ))
    elif data.module + 1 < len(modules):
        buttons.append(step.button(NEXT, msg("Next topic"), state=LearnState.READ))
    if data.screen > 0:
        buttons.append(step.button(BACK, msg("Back"), state=LearnState.READ))
    buttons.append(step.button(TOPICS, msg("All topics"), state=LearnState.READ))
    reply = text_reply(*parts, choices=tuple(buttons), style=ChoiceStyle.BUTTONS)
    return Outcome(replies=(reply,), state=LearnState.READ, data=data)


def _screen_parts(step: Step, screen: str) -> list[Part]:
    """The screen's text, with the directory's numbers where a marker stands."""
    parts: list[Part] = []
    chunk: list[str] = []
    for line in screen.splitlines():
        marker = MARKER.match(line.strip())
        if marker is None:
            chunk.append(line)
            continue
        if chunk and "\n".join(chunk).strip():
            parts.append(Text("\n".join(chunk).strip()))
        chunk = []
        if marker.group(1) == "emergency":
            home = home_country(step.country, step.lang)
            parts.extend(emergency_parts(step.deps.directory, home) if home else
                         emergency_for_language(step.deps.directory, step.lang))
        else:
            topic = marker.group(2)
            flags = ("irregular_route",) if topic == "migrant_workers" else ()
            parts.extend(whom_to_call(step.deps.directory, step.lang, flags, emergency=False,
                                      country=step.country))
    if chunk and "\n".join(chunk).strip():
        parts.append(Text("\n".join(chunk).strip()))
    return parts
