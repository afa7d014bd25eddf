"""Steps of the screening questions."""

from __future__ import annotations

from dataclasses import replace

from flows.check_offer import explain
from flows.flow import Outcome, Step
from flows.red_flags import ALL_FLAGS, risk_of
from flows.screening.questions import NO, QUESTIONS, UNSURE, YES, typed_answer
from flows.screening.states import ScreenData, ScreenState
from flows.types import Bullets, ChoiceStyle, Kind, Reply, msg, text_reply
from flows.whom_to_call import home_country, whom_to_call


def entry(step: Step) -> Outcome:
    """Starts with the first question the checked text did not already answer."""
    data: ScreenData = step.data
    lead = msg("A few questions, answered with yes or no. Nothing you answer is stored.")
    return _next(step, replace(data, index=_skip(data, 0)), lead)


def ask(step: Step) -> Outcome:
    """Records the answer to the current question and asks the next one."""
    data: ScreenData = step.data
    event = step.event
    answer = event.choice if event.kind is Kind.CHOICE else typed_answer(event.text)
    if answer not in (YES, NO, UNSURE):
        return _next(step, data, msg("Please answer with the buttons: yes, no or not sure."))
    flag = QUESTIONS[data.index][0]
    data = replace(
        data,
        yes=[*data.yes, flag] if answer == YES else data.yes,
        unsure=[*data.unsure, flag] if answer == UNSURE else data.unsure,
        index=_skip(data, data.index + 1),
    )
    return _next(step, data)


def _skip(data: ScreenData, index: int) -> int:
    while index < len(QUESTIONS) and QUESTIONS[index][0] in data.text_flags:
        index += 1
    return index


def _next(step: Step, data: ScreenData, *lead: object) -> Outcome:
    if data.index >= len(QUESTIONS):
        return Outcome(replies=_result(step, data), state=None)
    number = sum(1 for f, _ in QUESTIONS[: data.index + 1] if f not in data.text_flags)
    total = sum(1 for f, _ in QUESTIONS if f not in data.text_flags)
    question = msg("Question {number} of {total}: {question}", number=number, total=total,
                   question=QUESTIONS[data.index][1])
    buttons = (
        step.button(YES, msg("Yes"), state=ScreenState.ASK),
        step.button(NO, msg("No"), state=ScreenState.ASK),
        step.button(UNSURE, msg("Not sure"), state=ScreenState.ASK),
    )
    reply = text_reply(*lead, question, choices=buttons, style=ChoiceStyle.BUTTONS)  # type: ignore[arg-type]
    return Outcome(replies=(reply,), state=ScreenState.ASK, data=data)


def _result(step: Step, data: ScreenData) -> tuple[Reply, ...]:
    flags = [f for f in ALL_FLAGS if f in data.text_flags or f in data.yes]
    risk = risk_of(flags)
    findings = [explain.headline(risk, len(flags)),
                *explain.flag_parts_without_evidence(flags)]
    if data.unsure:
        findings += [msg("Find out before you agree:"),
                     Bullets(tuple(explain.TITLES[f] for f in data.unsure))]
    next_steps = [*explain.advice_parts(risk, home_country(step.country, step.lang) or "",
                                        lang=step.lang),
                  *whom_to_call(step.deps.directory, step.lang, flags, country=step.country)]
    buttons = (step.start_button("report", msg("Report it")),
               step.start_button("learn", msg("Learn more")))
    return (text_reply(*findings, *next_steps, choices=buttons, style=ChoiceStyle.BUTTONS),)
