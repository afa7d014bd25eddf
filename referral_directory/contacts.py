"""Whom to call: the directory's national hotlines and emergency numbers for a situation."""

from __future__ import annotations

from collections.abc import Iterable

from referral_directory.loader import Directory
from referral_directory.schema import Kind, Organisation, Topic

# Hotlines first: they are made for exactly this; then government services; emergency
# numbers are added separately so that a caller can put them first when someone is in danger.
_KIND_ORDER = {Kind.HOTLINE: 0, Kind.GOVERNMENT: 1, Kind.NGO: 2, Kind.INTERGOVERNMENTAL: 3}


def helplines(directory: Directory, country: str, topics: Iterable[Topic],
              limit: int = 3, lang: str | None = None) -> list[Organisation]:
    """National organisations of ``country`` with a number a user may dial (``phones``
    leaves out an entry marked ``not_for_dialling``), best for these topics; where none is
    national, the country's local ones. ``lang``: the reader's language, which leaves out
    another country's missions ("KBRI Riyadh" is not for a Kyrgyz reader in Riyadh)."""
    wanted = set(topics) or {Topic.TRAFFICKING}
    dialable = [o for o in directory
                if o.country == country and o.kind is not Kind.EMERGENCY and o.phones()
                and wanted & set(o.topics) and (lang is None or o.serves_speakers_of(lang))]
    # Where nothing serves the whole country (abroad, the directory has Indonesia's
    # consulates in Hong Kong or Jeddah), the entries of its cities are what there is.
    found = [o for o in dialable if o.national] or dialable
    found.sort(key=lambda o: (_KIND_ORDER.get(o.kind, 9), -len(wanted & set(o.topics)),
                              len(o.caveats), o.id))
    return found[:limit]


def emergency(directory: Directory, country: str) -> list[Organisation]:
    """The country's emergency numbers (112, police), only those a user may dial."""
    return [o for o in directory if o.country == country and o.kind is Kind.EMERGENCY
            and o.national and o.phones()]
