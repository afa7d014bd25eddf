"""A short English reason per flag, for the command line and the JSON output.

The chat shows translated explanations instead (``flows/check_offer/explain.py``).
"""

from __future__ import annotations

REASONS: dict[str, str] = {
    "broker_via_parents": "a broker or agent persuades the parents to send the child to work",
    "advance_to_family_debt": "money given to the family in advance, to be repaid from wages",
    "costs_repaid_from_wages": "travel, visa, fees or lodging are taken out of future wages",
    "document_retention": "the passport or other documents will be held by someone else",
    "secrecy_isolation": "told to keep it secret, phone taken away, or not allowed out",
    "minor_targeted": "the offer is for, or accepts, someone under 18",
    "sexual_service_hint": "the job hints at sexual services (hostess, companion, body photos…)",
    "irregular_route": "tourist visa, contract only on arrival, unlicensed agency or "
                       "unofficial route",
    "vague_job_lure": "restaurant, shop, factory or household job with no named employer",
    "abroad_service_job": "a service job abroad, a sector traffickers use",
    "unrealistic_pay": "pay far above the going rate for this work",
    "no_requirements": "no experience, skills, education or documents needed",
    "upfront_fee": "the applicant must pay before starting",
    "pressure_urgency": "pushed to decide or leave right away",
    "gifts_grooming": "gifts or paid needs that create a sense of obligation",
    "romance_recruitment": "a boyfriend, girlfriend or new online friend offers the job",
}
