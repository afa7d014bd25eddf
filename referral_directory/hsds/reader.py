"""HSDS 3.0 ``organization`` objects back into our directory (the places ``writer.py``
names), every entry validated like any other import, problems named by position.

An organisation another directory wrote has no ``safe-work-bot`` identifier and none of
our taxonomies (who runs it, the topics): it is refused with what it lacks, never guessed.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from referral_directory.errors import DirectoryError
from referral_directory.hsds.terms import (
    ORGANIZATION_REQUIRED,
    SCHEME,
    SERVICE_REQUIRED,
    SERVICE_STATUSES,
    hsds_id,
    summary,
    terms,
)
from referral_directory.loader import Directory
from referral_directory.schema import DirectoryEntry, Organisation


def from_hsds(text: str, name: str = "directory.json") -> Directory:
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DirectoryError([f"{name}:{exc.lineno}: not valid JSON ({exc.msg})"]) from exc
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        data = data["contents"]  # an HSDS API page (organization_list)
    if not isinstance(data, list):
        raise DirectoryError([f"{name}: an HSDS export is a JSON array of organization "
                              "objects"])
    problems: list[str] = []
    organisations: list[Organisation] = []
    seen: dict[str, int] = {}
    for number, item in enumerate(data, start=1):
        where = f"{name}: organization {number}"
        shape = _shape_problems(item)
        if shape:
            problems += [f"{where}: {p}" for p in shape]
            continue
        ours = [i.get("identifier") for i in _list(item, "organization_identifiers")
                if i.get("identifier_scheme") == SCHEME]
        label = f"{where} ({ours[0] if ours else item['name']})"
        if not ours:
            problems.append(f"{label}: no identifier of scheme {SCHEME!r} (our id, such as "
                            "id-sapa-129): written by another directory; add it, and our "
                            "kind, operator, country and topics attributes")
            continue
        try:
            org = DirectoryEntry.model_validate(_record(item, str(ours[0])))
        except ValidationError as exc:
            for error in exc.errors():
                field = ".".join(str(p) for p in error["loc"])
                problems.append(f"{label}: {field}: {error['msg']}")
            continue
        if org.id in seen:
            problems.append(f"{label}: duplicate id (first in organization {seen[org.id]})")
            continue
        seen[org.id] = number
        organisations.append(org)
    if problems:
        raise DirectoryError(problems)
    return Directory(tuple(organisations))


def _shape_problems(item: Any) -> list[str]:
    """What HSDS itself requires of an organization and its services."""
    if not isinstance(item, dict):
        return ["not an object"]
    problems = [f"{key}: required by HSDS" for key in ORGANIZATION_REQUIRED
                if not isinstance(item.get(key), str)]
    services = item.get("services") or []
    if not isinstance(services, list):
        return [*problems, "services: must be a list"]
    for k, service in enumerate(services):
        if not isinstance(service, dict):
            problems.append(f"services.{k}: not an object")
            continue
        problems += [f"services.{k}.{key}: required by HSDS" for key in SERVICE_REQUIRED
                     if not isinstance(service.get(key), str)]
        if isinstance(service.get("status"), str) and service["status"] not in SERVICE_STATUSES:
            problems.append(f"services.{k}.status: one of {', '.join(SERVICE_STATUSES)}")
    return problems


def _list(item: dict[str, Any], key: str) -> list[dict[str, Any]]:
    values = item.get(key)
    return [v for v in values if isinstance(v, dict)] if isinstance(values, list) else []


def _record(item: dict[str, Any], our_id: str) -> dict[str, Any]:
    services = _list(item, "services")
    first = services[0] if services else {}

    def service_terms(taxonomy: str) -> list[str]:
        return [v for s in services for v in terms(s, taxonomy)]

    def one(values: list[str]) -> str | None:
        return values[0] if values else None

    confirmed = one(terms(item, "operator_confirmed"))
    hours = next((s.get("description") for s in _list(first, "schedules")
                  if s.get("description")), None)
    record: dict[str, Any] = {
        "id": our_id,
        "names": {"local": item["name"], "en": item.get("alternate_name") or item["name"]},
        "kind": one(terms(item, "kind")),
        "operator": one(terms(item, "operator")),
        "operator_confirmed": confirmed != "false",
        "country": one(terms(item, "country")),
        "citizens_of": one(terms(item, "citizens_of")),
        "places": [a.get("name") for s in services for a in _list(s, "service_areas")],
        "languages": [lang.get("code") for s in services for lang in _list(s, "languages")],
        "topics": service_terms("topic"),
        "contacts": _contacts(item, services, our_id),
        "hours": hours,
        "sources": [m.get("replacement_value") for m in _list(item, "metadata")
                    if m.get("field_name") == "sources"],
        "verified_on": first.get("assured_date") or None,
        "confidence": one(service_terms("confidence")),
        "caveats": service_terms("caveat"),
        "notes": item.get("description"),
    }
    record = {k: v for k, v in record.items() if v is not None}
    try:
        # no notes were written where the description is the summary built from the fields
        if record.get("notes") == summary(Organisation.model_validate(
                {**record, "notes": None})):
            record.pop("notes")
    except ValidationError:
        pass  # the record is refused below, with its own messages
    return record


def _contacts(item: dict[str, Any], services: list[dict[str, Any]],
              our_id: str) -> list[dict[str, Any]]:
    found: list[tuple[str, dict[str, Any]]] = []
    for service in services:
        for phone in _list(service, "phones"):
            kind = (terms(phone, "contact_type") or ["phone"])[0]
            found.append((str(phone.get("id")), _contact(kind, phone.get("number"),
                                                         phone.get("description"), phone)))
        for contact in _list(service, "contacts"):
            if contact.get("email"):
                note = (terms(contact, "note") or [None])[0]
                found.append((str(contact.get("id")),
                              _contact("email", contact["email"], note, contact)))
    for location in _list(item, "locations"):
        if location.get("location_type") != "virtual" or not location.get("url"):
            continue
        kind = (terms(location, "contact_type") or ["website"])[0]
        # ours carry the value verbatim as the name; another directory's, the url
        value = location.get("name") if terms(location, "contact_type") else location["url"]
        found.append((str(location.get("id")),
                      _contact(kind, value, location.get("description"), location)))
    # Contact i of ours has a known UUID: that puts them back in their order; anything
    # else (added by another tool) follows, in the order it was found.
    position = {hsds_id(our_id, "contact", str(i)): i for i in range(len(found))}
    ordered = sorted(enumerate(found),
                     key=lambda pair: (position.get(pair[1][0], len(found) + pair[0])))
    return [contact for _, (_, contact) in ordered]


def _contact(kind: str, value: Any, note: Any, item: dict[str, Any]) -> dict[str, Any]:
    contact: dict[str, Any] = {"type": kind, "value": value}
    if note is not None:
        contact["note"] = note
    for record in _list(item, "metadata"):
        if record.get("last_action_type") == "seen":
            contact["seen_on"] = record.get("last_action_date") or None
            contact["source"] = record.get("replacement_value") or None
    return contact
