"""Our directory as HSDS 3.0 ``organization`` objects, each with its one ``service``.

Where our fields sit (``reader.py`` reads them back from the same places):

- names: ``name`` (local) and ``alternate_name`` (English), on the organisation and service;
  our id in ``organization_identifiers`` (scheme ``safe-work-bot``); ``notes`` in the
  organisation's ``description`` (a summary built from the fields when there are none).
- kind, operator, operator_confirmed, country: the organisation's ``attributes``; topics,
  caveats and confidence: the service's; each a term of a ``safe-work-bot:<name>`` taxonomy.
- phones and WhatsApp numbers: ``service.phones`` (type voice or text, the note as
  ``description``); e-mail: ``service.contacts``; websites and Telegram: virtual
  ``locations`` (``url``, our value verbatim as ``name``). Contact *i* has the id
  ``uuid5(NAMESPACE, "<our id>/contact/<i>")``, which keeps their order.
- sources: one ``metadata`` record each on the organisation (``field_name`` sources, the
  URL as ``replacement_value``, ``verified_on`` as ``last_action_date``); a contact's own
  source and date: a ``seen`` record on it; ``verified_on`` also as ``assured_date``.
- places: ``service_areas``; languages: ``languages`` (ISO 639 code and English name);
  hours: a ``schedules`` entry's ``description``; caveats also as the service's ``alert``,
  and ``not_for_dialling`` makes the service ``inactive``.
"""

from __future__ import annotations

from typing import Any

from babel import Locale, UnknownLocaleError

from referral_directory.hsds.terms import (
    CAVEAT_TEXT,
    SCHEME,
    UPDATED_BY,
    attribute,
    hsds_id,
    summary,
)
from referral_directory.loader import Directory
from referral_directory.schema import Contact, ContactType, Organisation

_ALL_DAYS = "MO,TU,WE,TH,FR,SA,SU"


def to_hsds(directory: Directory) -> list[dict[str, Any]]:
    return [organization(org) for org in directory]


def organization(org: Organisation) -> dict[str, Any]:
    org_uuid = hsds_id(org.id)
    service = _service(org, org_uuid)
    located = [(i, c) for i, c in enumerate(org.contacts)
               if c.type in (ContactType.WEBSITE, ContactType.TELEGRAM)]
    locations = [_location(org, i, c, org_uuid) for i, c in located]
    service["service_at_locations"] = [
        {"id": hsds_id(org.id, "service_at_location", loc["id"]), "service_id": service["id"],
         "location_id": loc["id"]} for loc in locations]
    result: dict[str, Any] = {
        "id": org_uuid,
        "name": org.names.local,
        "alternate_name": org.names.en,
        "description": org.notes if org.notes is not None else summary(org),
    }
    emails = [c.value for c in org.contacts if c.type is ContactType.EMAIL]
    sites = [loc["url"] for loc, (_, c) in zip(locations, located, strict=True)
             if c.type is ContactType.WEBSITE]
    if emails:
        result["email"] = emails[0]
    if sites:
        result["website"] = sites[0]
    flags = [("kind", org.kind.value), ("country", org.country),
             ("operator_confirmed", "true" if org.operator_confirmed else "false")]
    if org.operator is not None:
        flags.insert(1, ("operator", org.operator.value))
    if org.citizens_of is not None:
        flags.append(("citizens_of", org.citizens_of))
    result |= {
        "organization_identifiers": [{
            "id": hsds_id(org.id, "identifier"), "organization_id": org_uuid,
            "identifier_scheme": SCHEME, "identifier_type": "referral directory id",
            "identifier": org.id}],
        "locations": locations,
        "attributes": [attribute(org.id, org_uuid, "organization", t, v) for t, v in flags],
        "metadata": [_record(org.id, f"source/{i}", org_uuid, "organization", "source",
                             "sources", url, org.verified_on)
                     for i, url in enumerate(org.sources)],
        "services": [service],
    }
    return result


def _service(org: Organisation, org_uuid: str) -> dict[str, Any]:
    sid = hsds_id(org.id, "service")
    service: dict[str, Any] = {
        "id": sid, "organization_id": org_uuid,
        "name": org.names.local, "alternate_name": org.names.en,
        "description": summary(org),
        "status": "active" if org.dialling_allowed else "inactive",
    }
    if org.verified_on is not None:
        service["assured_date"] = org.verified_on
    if org.caveats:
        service["alert"] = " ".join(CAVEAT_TEXT[c] for c in org.caveats)
    emails = [c.value for c in org.contacts if c.type is ContactType.EMAIL]
    if emails:
        service["email"] = emails[0]
    service["phones"] = [_phone(org, i, c, sid) for i, c in enumerate(org.contacts)
                         if c.type in (ContactType.PHONE, ContactType.WHATSAPP)]
    service["contacts"] = [_email(org, i, c, sid) for i, c in enumerate(org.contacts)
                           if c.type is ContactType.EMAIL]
    if org.hours is not None:
        schedule: dict[str, Any] = {"id": hsds_id(org.id, "schedule"), "service_id": sid,
                                    "description": org.hours}
        if org.hours.strip().lower() == "24h":  # the one form structured without guessing
            schedule |= {"freq": "WEEKLY", "byday": _ALL_DAYS, "opens_at": "00:00",
                         "closes_at": "23:59"}
        service["schedules"] = [schedule]
    service["service_areas"] = [{"id": hsds_id(org.id, "area", str(i)), "service_id": sid,
                                 "name": place} for i, place in enumerate(org.places)]
    service["languages"] = [{"id": hsds_id(org.id, "language", str(i)), "service_id": sid,
                             "code": code, "name": _language_name(code)}
                            for i, code in enumerate(org.languages)]
    service["attributes"] = (
        [attribute(org.id, sid, "service", "topic", t.value) for t in org.topics]
        + [attribute(org.id, sid, "service", "caveat", c.value) for c in org.caveats]
        + ([attribute(org.id, sid, "service", "confidence", org.confidence)]
           if org.confidence else []))
    return service


def _phone(org: Organisation, i: int, contact: Contact, sid: str) -> dict[str, Any]:
    pid = hsds_id(org.id, "contact", str(i))
    phone: dict[str, Any] = {
        "id": pid, "service_id": sid, "number": contact.value,
        # RFC 6350 types: a WhatsApp number is written to, not called
        "type": "text" if contact.type is ContactType.WHATSAPP else "voice"}
    if contact.note is not None:
        phone["description"] = contact.note
    phone["attributes"] = [attribute(org.id, pid, "phone", "contact_type",
                                     contact.type.value)]
    phone["metadata"] = _seen(org, i, contact, pid, "phone", "number")
    return phone


def _email(org: Organisation, i: int, contact: Contact, sid: str) -> dict[str, Any]:
    cid = hsds_id(org.id, "contact", str(i))
    attributes = [attribute(org.id, cid, "contact", "contact_type", contact.type.value)]
    if contact.note is not None:
        attributes.append(attribute(org.id, cid, "contact", "note", "note",
                                    value=contact.note))
    return {"id": cid, "service_id": sid, "email": contact.value, "attributes": attributes,
            "metadata": _seen(org, i, contact, cid, "contact", "email")}


def _location(org: Organisation, i: int, contact: Contact, org_uuid: str) -> dict[str, Any]:
    lid = hsds_id(org.id, "contact", str(i))
    if contact.type is ContactType.TELEGRAM:
        url = f"https://t.me/{contact.value.lstrip('@')}"
    else:
        # HSDS asks for a full URI; a site written without its scheme is opened as https
        url = contact.value if "://" in contact.value else f"https://{contact.value}"
    location: dict[str, Any] = {"id": lid, "organization_id": org_uuid,
                                "location_type": "virtual", "url": url,
                                "name": contact.value}
    if contact.note is not None:
        location["description"] = contact.note
    location["attributes"] = [attribute(org.id, lid, "location", "contact_type",
                                        contact.type.value)]
    location["metadata"] = _seen(org, i, contact, lid, "location", "url")
    return location


def _seen(org: Organisation, i: int, contact: Contact, item_id: str, resource_type: str,
          field: str) -> list[dict[str, Any]]:
    if contact.source is None and contact.seen_on is None:
        return []
    return [_record(org.id, f"contact/{i}/seen", item_id, resource_type, "seen", field,
                    contact.source or "", contact.seen_on)]


def _record(org_id: str, path: str, resource_id: str, resource_type: str, action: str,
            field: str, value: str, when: str | None) -> dict[str, Any]:
    return {"id": hsds_id(org_id, "metadata", path), "resource_id": resource_id,
            "resource_type": resource_type, "last_action_date": when or "",
            "last_action_type": action, "field_name": field, "previous_value": "",
            "replacement_value": value, "updated_by": UPDATED_BY}


def _language_name(code: str) -> str:
    try:
        return str(Locale.parse(code).get_display_name("en"))
    except (UnknownLocaleError, ValueError):
        return code
