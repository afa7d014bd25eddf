"""Check an offer: a pasted or forwarded job offer in, its red flags and what to do out."""

from __future__ import annotations

from flows.check_offer import steps
from flows.check_offer.states import CheckData, CheckState
from flows.flow import Flow

FLOW = Flow(
    name="check",
    code="c",
    commands=("check",),
    entry=steps.entry,
    steps={CheckState.WAIT_TEXT: steps.wait_text, CheckState.RESULT: steps.result},
    data_type=CheckData,
    transitions={
        "entry": (CheckState.WAIT_TEXT, CheckState.RESULT),
        CheckState.WAIT_TEXT: (CheckState.WAIT_TEXT, CheckState.RESULT),
        CheckState.RESULT: (CheckState.RESULT, CheckState.WAIT_TEXT, "screen"),
    },
)

__all__ = ["FLOW"]
