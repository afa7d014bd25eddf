"""Report a tip anonymously: a guided draft, then a receipt code."""

from __future__ import annotations

from flows.flow import Flow
from flows.report import steps
from flows.report.states import ReportData, ReportState

FLOW = Flow(
    name="report",
    code="r",
    commands=("report",),
    entry=steps.entry,
    steps={ReportState.WHAT: steps.what, **steps.LATER_STEPS},
    data_type=ReportData,
    on_alarm=steps.ON_ALARM,
    resume=steps.resume,
    keeps_draft=steps.has_draft,
    transitions={
        "entry": (ReportState.WHAT, ReportState.TOPIC),
        # a draft left for another command, opened again: the step it waited on
        "resume": tuple(ReportState),
        ReportState.WHAT: (ReportState.WHAT, ReportState.TOPIC),
        ReportState.TOPIC: (ReportState.TOPIC, ReportState.WHERE),
        ReportState.WHERE: (ReportState.WHERE, ReportState.COUNTRY, ReportState.WHEN,
                            ReportState.CONFIRM),
        ReportState.COUNTRY: (ReportState.COUNTRY, ReportState.WHEN, ReportState.CONFIRM),
        ReportState.WHEN: (ReportState.WHEN, ReportState.DANGER),
        ReportState.DANGER: (ReportState.DANGER, ReportState.RECRUITER),
        ReportState.RECRUITER: (ReportState.RECRUITER, ReportState.CONSENT),
        ReportState.CONSENT: (ReportState.CONSENT, ReportState.CONFIRM),
        ReportState.CONFIRM: (ReportState.CONFIRM, ReportState.WHAT, ReportState.WHERE, "end"),
    },
)

__all__ = ["FLOW"]
