"""Find help: organisations near a place, for a topic, from the referral directory."""

from __future__ import annotations

from flows.find_help import steps
from flows.find_help.states import FindData, FindState
from flows.flow import Flow

FLOW = Flow(
    name="contacts",
    code="h",
    commands=("contacts",),
    entry=steps.entry,
    steps={FindState.WHERE: steps.where, FindState.TOPIC: steps.topic,
           FindState.COUNTRY: steps.country},
    data_type=FindData,
    transitions={
        "entry": (FindState.WHERE, FindState.TOPIC),
        FindState.WHERE: (FindState.WHERE, FindState.TOPIC, FindState.COUNTRY, "end"),
        FindState.COUNTRY: (FindState.TOPIC,),
        FindState.TOPIC: (FindState.TOPIC, "end"),
    },
)

__all__ = ["FLOW"]
