"""Learn: awareness guidance in short screens, in the reader's language."""

from __future__ import annotations

from flows.flow import Flow
from flows.learn import steps
from flows.learn.states import LearnData, LearnState

FLOW = Flow(
    name="learn",
    code="e",
    commands=("learn",),
    entry=steps.entry,
    steps={LearnState.TOPICS: steps.topics, LearnState.READ: steps.read},
    data_type=LearnData,
    transitions={
        "entry": (LearnState.TOPICS, LearnState.READ),
        LearnState.TOPICS: (LearnState.TOPICS, LearnState.READ),
        LearnState.READ: (LearnState.READ, LearnState.TOPICS),
    },
)

__all__ = ["FLOW"]
