"""The language flow: ``/lang`` and the menu's language item."""

from __future__ import annotations

from flows.flow import Flow, NoData
from flows.language import steps
from flows.language.states import LangState

FLOW = Flow(
    name="lang",
    code="l",
    commands=("lang",),
    entry=steps.entry,
    steps={LangState.CHOOSE: steps.choose},
    data_type=NoData,
    transitions={"entry": (LangState.CHOOSE, "end"), LangState.CHOOSE: (LangState.CHOOSE, "end")},
)

__all__ = ["FLOW"]
