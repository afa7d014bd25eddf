"""Screening questions: 10 yes/no questions that give the same flags and risk as a check."""

from __future__ import annotations

from flows.flow import Flow
from flows.screening import steps
from flows.screening.states import ScreenData, ScreenState

FLOW = Flow(
    name="screen",
    code="q",
    commands=("questions",),
    entry=steps.entry,
    steps={ScreenState.ASK: steps.ask},
    data_type=ScreenData,
    transitions={"entry": (ScreenState.ASK, "end"), ScreenState.ASK: (ScreenState.ASK, "end")},
)

__all__ = ["FLOW"]
