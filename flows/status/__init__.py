"""``/status CODE``: a reporter follows up on a tip with the receipt code alone."""

from __future__ import annotations

from enum import StrEnum

from flows.flow import Flow, NoData, Outcome, Step
from flows.report.effects import LookupStatus
from flows.types import Kind, msg, text_reply


class StatusState(StrEnum):
    CODE = "code"


def entry(step: Step) -> Outcome:
    """Looks the code up (the runtime answers), or asks for it."""
    code = step.event.args.strip()
    if code:
        return Outcome(effects=(LookupStatus(code),), state=None)
    return Outcome(replies=(text_reply(msg("Please send your receipt code, for example "
                                           "K7QF-2MXP-9HRT.")),), state=StatusState.CODE)


def code(step: Step) -> Outcome:
    text = step.event.text.strip() if step.event.kind is Kind.TEXT else ""
    if not text:
        return entry(step)
    return Outcome(effects=(LookupStatus(text),), state=None)


FLOW = Flow(name="status", code="s", commands=("status",), entry=entry,
            steps={StatusState.CODE: code}, data_type=NoData,
            transitions={"entry": (StatusState.CODE, "end"), StatusState.CODE: ("end",)})

__all__ = ["FLOW"]
