"""The screening questions: plain yes/no questions that uncover what a text alone cannot.
Each answers for one flag of the catalogue."""

from __future__ import annotations

import re

from flows.types import Msg, msg

QUESTIONS: tuple[tuple[str, Msg], ...] = (
    ("minor_targeted", msg("Are you (or the person the job is for) under 18?")),
    ("advance_to_family_debt", msg("Has anyone given your parents or family money for this "
                                   "job, to be paid back from your wages?")),
    ("broker_via_parents", msg("Did an agent or broker come to your family to persuade them "
                               "to send you?")),
    ("document_retention", msg("Will someone else keep your passport, ID card or diploma?")),
    ("costs_repaid_from_wages", msg("Will travel, visa, training, food or housing costs be "
                                    "taken out of your wages?")),
    ("upfront_fee", msg("Do you have to pay any fee before you start?")),
    ("irregular_route", msg("Will you travel on a tourist or visit visa, or sign the contract "
                            "only after you arrive?")),
    ("secrecy_isolation", msg("Were you told to keep the job secret, or that you cannot keep "
                              "your phone or go out?")),
    ("romance_recruitment", msg("Was the job offered by a boyfriend, girlfriend or someone "
                                "you met online?")),
    ("pressure_urgency", msg("Are they pushing you to decide or to leave within a few days?")),
)

YES, NO, UNSURE = "y", "n", "u"
_YES = re.compile(r"^(y|yes|yeah|yep|ya|iya|iyaa|betul|benar|sudah|pernah|да|ага|угу|"
                  r"конечно|верно)\b", re.IGNORECASE)
_NO = re.compile(r"^(n|no|nope|tidak|tdk|gak|ga|nggak|enggak|belum|bukan|нет|неа|не)\b",
                 re.IGNORECASE)
_UNSURE = re.compile(r"^(not sure|unsure|don'?t know|maybe|kurang tahu|tidak tahu|gak tahu|"
                     r"ga tau|entah|mungkin|не знаю|не уверен\w*|может быть|наверное)",
                     re.IGNORECASE)


def typed_answer(text: str) -> str | None:
    """A typed yes / no / not sure in any of the three languages."""
    cleaned = text.strip()
    if _UNSURE.match(cleaned):
        return UNSURE
    if _YES.match(cleaned):
        return YES
    if _NO.match(cleaned):
        return NO
    return None
