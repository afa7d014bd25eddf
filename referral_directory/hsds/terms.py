"""What our directory's words are in HSDS 3.0: stable ids, taxonomies, summaries.

Everything the exchange needs from the standard is written here (the product never reads
the schema files): the required fields, the service statuses, and how our own fields sit
in HSDS's open places for them (``attributes`` linking taxonomy terms, ``metadata``).
"""

from __future__ import annotations

import uuid
from typing import Any

from referral_directory.schema import Caveat, Kind, Operator, Organisation

# Fixed forever: every HSDS id we write is uuid5(NAMESPACE, a path built from our id), so
# the same entry gets the same UUID in every export, and an import can tell our ids apart.
# (It is uuid5(NAMESPACE_URL, "urn:safe-work-bot:referral-directory").)
NAMESPACE = uuid.UUID("83729668-57ca-5141-8c8f-6f7e0a556c3c")
SCHEME = "safe-work-bot"  # organization_identifiers.identifier_scheme of our ids
TAXONOMY = "safe-work-bot"  # taxonomy_term.taxonomy is "safe-work-bot:<name>"
UPDATED_BY = "safe-work-bot directory"

# HSDS 3.0 (schema/compiled/organization.json): what each object must hold.
ORGANIZATION_REQUIRED = ("id", "name", "description")
SERVICE_REQUIRED = ("id", "name", "status")
SERVICE_STATUSES = ("active", "inactive", "defunct", "temporarily closed")

CAVEAT_TEXT = {
    Caveat.LOW_CONFIDENCE: "Low confidence: the sources are weak or second-hand.",
    Caveat.NOT_SEEN_RECENTLY: "Not seen recently: no source from 2023 on shows these "
                              "contacts, or none is dated.",
    Caveat.POLICE_RISK_UNDOCUMENTED: "Calling the police may expose an undocumented "
                                     "migrant to expulsion.",
    Caveat.NOT_FOR_DIALLING: "Not for dialling: a record kept so that nobody re-adds it "
                             "from the same weak source; its numbers are not confirmed.",
}
TERM_TEXT = {
    "kind": "What the service is: hotline, ngo, government, intergovernmental, emergency.",
    "operator": "Who runs the service (what a reporter's consent to share is about): "
                "government, ngo, intergovernmental or mixed.",
    "operator_confirmed": "false where researchers could not confirm who runs it.",
    "country": "The ISO 3166-1 alpha-2 code of the country served.",
    "citizens_of": "For a mission abroad: the ISO 3166-1 alpha-2 code of the country whose "
                   "citizens it serves.",
    "topic": "A subject the service works on.",
    "caveat": "A warning shown with the contacts.",
    "confidence": "How well the sources support the contacts: high, medium or low.",
    "contact_type": "The kind of contact: phone, whatsapp, email, website or telegram.",
    "note": "A note on the contact.",
}


def hsds_id(*path: str) -> str:
    """The stable UUID of one of our things: ``hsds_id("id-sapa-129", "contact", "0")``."""
    return str(uuid.uuid5(NAMESPACE, "/".join(path)))


def attribute(org_id: str, link_id: str, link_entity: str, taxonomy: str,
              code: str, name: str | None = None, value: str | None = None) -> dict[str, Any]:
    """An HSDS attribute linking a term of one of our taxonomies to an object."""
    description = (CAVEAT_TEXT[Caveat(code)] if taxonomy == "caveat"
                   else TERM_TEXT[taxonomy])
    return {
        "id": hsds_id(org_id, "attribute", link_id, taxonomy, code),
        "link_id": link_id,
        "link_type": taxonomy,
        "link_entity": link_entity,
        "value": code if value is None else value,
        "taxonomy_term": {
            "id": hsds_id("taxonomy", taxonomy, code),
            "code": code,
            "name": name or code.replace("_", " "),
            "description": description,
            "taxonomy": f"{TAXONOMY}:{taxonomy}",
        },
    }


def terms(item: dict[str, Any], taxonomy: str) -> list[str]:
    """The values of an object's attributes of one of our taxonomies, in order."""
    found = []
    attributes = item.get("attributes")
    for attr in attributes if isinstance(attributes, list) else ():
        if not isinstance(attr, dict):
            continue
        term = attr.get("taxonomy_term") or {}
        if isinstance(term, dict) and term.get("taxonomy") == f"{TAXONOMY}:{taxonomy}":
            found.append(str(attr.get("value", term.get("code", ""))))
    return found


_KIND_WORDS = {Kind.HOTLINE: "Hotline", Kind.NGO: "Non-governmental organisation",
               Kind.GOVERNMENT: "Government service",
               Kind.INTERGOVERNMENTAL: "Intergovernmental organisation",
               Kind.EMERGENCY: "Emergency number"}
_OPERATOR_WORDS = {Operator.GOVERNMENT: "the government", Operator.NGO: "an NGO",
                   Operator.INTERGOVERNMENTAL: "an intergovernmental organisation",
                   Operator.MIXED: "the state with an NGO or international organisation"}


def summary(org: Organisation) -> str:
    """A plain English description for other directories' readers, built from the fields
    alone (so an import can tell it from a note someone wrote)."""
    run_by = f" run by {_OPERATOR_WORDS[org.operator]}" if org.operator else ""
    topics = ", ".join(t.value.replace("_", " ") for t in org.topics)
    return (f"{_KIND_WORDS[org.kind]}{run_by} ({org.country}): {'; '.join(org.places)}. "
            f"Topics: {topics}.")
