"""What a flow is: named states, typed data and one step function per state.

A step is pure: ``(Step) -> Outcome``. The engine (``flows/engine.py``) decides which flow
and step an event goes to; a flow only says what happens inside it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from flows.deps import FlowDeps
from flows.payload import ANY_STATE, GLOBAL_FLOW, Payload
from flows.types import Choice, Inbound, Msg, Part, Reply


class Effect:
    """Base of side effects a flow asks the runtime to perform (store a tip, notify…).

    The runtime performs every effect, and commits it, before any reply is sent.
    """


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a step decided.

    ``state`` is the next state of the same flow, or ``None`` when the flow ends (the
    conversation goes back to idle). ``goto`` hands the same event to another flow's entry,
    with ``handoff`` (an instance of that flow's data type) as its starting data.
    """

    replies: tuple[Reply, ...] = ()
    state: str | None = None
    data: Any = None
    effects: tuple[Effect, ...] = ()
    lang: str | None = None
    goto: str | None = None
    handoff: Any = None
    country: str | None = None  # the person's country, learnt from a place they gave

    def with_line_first(self, line: Part) -> Outcome:
        """The same outcome with ``line`` put before the first reply's parts ("Saved: …",
        "1 photo received: …")."""
        first, *rest = self.replies
        return replace(self, replies=(replace(first, parts=(line, *first.parts)), *rest))


@dataclass(frozen=True, slots=True)
class Step:
    """Everything a step may read: the event, its flow's data, and read-only dependencies."""

    flow_code: str
    state: str
    data: Any
    event: Inbound
    deps: FlowDeps
    lang: str
    session: int
    country: str = ""  # where the person is, "" while unknown (Conversation.country)
    # True while the country is unknown and the one-time question was never asked (nor
    # declined): a flow may ask it where the country first matters (flows.countries).
    country_unasked: bool = False

    def button(self, value: str, label: Msg, *, state: str) -> Choice:
        """A button handled by this flow in ``state`` (the state the flow moves to)."""
        payload = Payload(self.flow_code, state, self.session, value)
        return Choice(payload=payload.pack(), label=label)

    def start_button(self, flow_name: str, label: Msg) -> Choice:
        """A button that starts a flow from anywhere in this session (menus, "learn more")."""
        return start_button(flow_name, label, self.session)


def start_button(flow_name: str, label: Msg, session: int) -> Choice:
    payload = Payload(GLOBAL_FLOW, ANY_STATE, session, flow_name)
    return Choice(payload=payload.pack(), label=label)


StepFn = Callable[[Step], Outcome]


@dataclass(frozen=True, slots=True)
class Flow:
    """A flow's transition table, readable in one place.

    ``entry`` runs when the flow starts (from its command, a menu button or a ``goto``);
    ``steps`` maps each state to the function that handles the next event in it.
    ``commands`` are the chat commands that start it.
    """

    name: str
    code: str
    entry: StepFn
    steps: Mapping[str, StepFn]
    data_type: type
    commands: tuple[str, ...] = ()
    title: Msg | None = None
    transitions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # A cry for help typed at a step (after the emergency answer it gets first) goes here
    # instead of to the step, by state: "tolong aku dikunci sama majikan" at "where did it
    # happen?" is no place (it had become the tip's place, "Zama" in Japan).
    on_alarm: Mapping[str, StepFn] = field(default_factory=dict)
    # A flow whose draft is kept when another command opens in the middle of it
    # (``keeps_draft`` says whether its data holds anything worth keeping), and given
    # back by ``resume`` when its command comes again: "/contacts" in the middle of a
    # report had dropped the tip typed so far without a word.
    resume: StepFn | None = None
    keeps_draft: Callable[[Any], bool] | None = None

    def load_data(self, raw: Mapping[str, Any]) -> Any:
        """Rebuilds the typed data from what the store kept; unknown keys are dropped."""
        names = {f.name for f in dataclasses.fields(self.data_type)}
        return self.data_type(**{k.removeprefix(MEMORY_PREFIX): v for k, v in raw.items()
                                 if k.removeprefix(MEMORY_PREFIX) in names})


# Data keys with this prefix live only in the process's memory: a store never writes them
# to disk (a checked offer's text, kept for "Report it"). After a restart they are gone and
# the field takes its default.
MEMORY_PREFIX = "~"


def memory_only(default: str = "") -> Any:
    """A data field kept in memory only (see MEMORY_PREFIX)."""
    return field(default=default, metadata={"memory_only": True})


def dump_data(data: Any) -> dict[str, Any]:
    """Serialises a flow's dataclass data for the store (JSON-compatible values only)."""
    if data is None:
        return {}
    if dataclasses.is_dataclass(data) and not isinstance(data, type):
        dumped = dataclasses.asdict(data)
        for f in dataclasses.fields(data):
            if f.metadata.get("memory_only"):
                dumped[MEMORY_PREFIX + f.name] = dumped.pop(f.name)
        return dumped
    raise TypeError(f"flow data must be a dataclass, not {type(data).__name__}")


def durable(data: Mapping[str, Any]) -> dict[str, Any]:
    """What a store may write to disk of a conversation's data."""
    return {k: v for k, v in data.items() if not k.startswith(MEMORY_PREFIX)}


@dataclass(frozen=True, slots=True)
class NoData:
    """Data of a flow that keeps nothing between steps."""
