"""The list of flows the bot offers; the composition root hands it to the engine."""

from __future__ import annotations

from flows import check_offer, find_help, language, learn, report, screening, status
from flows.flow import Flow


def all_flows() -> list[Flow]:
    return [check_offer.FLOW, screening.FLOW, learn.FLOW, find_help.FLOW, report.FLOW,
            status.FLOW, language.FLOW]
