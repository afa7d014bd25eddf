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
# (with chat spellings: "gk", "ngga", Javanese "ora", "da" and "net" typed in Latin letters,
# «нету»; «хз», "gatau", "idk" for not knowing)
_YES = re.compile(r"^(y|yes|yeah|yep|ya|yaa|iya|iyaa|iy|yoi|betul|bener|benar|sudah|udah|"
                  r"pernah|nggih|inggih|да|ага|угу|конечно|верно|da)\b", re.IGNORECASE)
_NO = re.compile(r"^(n|no|nope|nah|tidak|tdk|gak|ga|gk|g|nggak|ngga|enggak|engga|ndak|nda|"
                 r"belum|blm|bukan|ora|mboten|нет|нету|неа|не|net|nyet)\b", re.IGNORECASE)
_UNSURE = re.compile(r"^(not sure|unsure|don'?t know|dunno|idk|maybe|kurang tahu|tidak tahu|"
                     r"gak tahu|gak tau|ga tau|gatau|gk tau|ngga tau|entah|mungkin|"
                     r"не знаю|хз|не уверен\w*|может быть|наверное|ne znayu)",
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
