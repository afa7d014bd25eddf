"""Flows whose real version belongs to a later issue: each answers honestly and ends.

They keep the commands and menu items routed through the real engine, so the contract of
DESIGN.md holds from the first release. Each is replaced as its issue lands.
"""

from __future__ import annotations

from flows import menu
from flows.flow import Flow, NoData, Outcome, Step
from flows.types import Msg, msg


def _placeholder(name: str, code: str, commands: tuple[str, ...], what: Msg) -> Flow:
    def entry(step: Step) -> Outcome:
        """Says the part is not ready yet and shows the menu."""
        note = msg("This part of the bot is not ready yet.")
        return Outcome(replies=(menu.menu_reply(step.session, what, note),))

    return Flow(name=name, code=code, commands=commands, entry=entry, steps={},
                data_type=NoData, transitions={"entry": ("end",)})


def placeholder_flows() -> list[Flow]:
    return [
        _placeholder("register", "o", ("register",), msg("Registration of an organisation's "
                                                         "chat.")),
    ]
