"""What the operator's overlay changes against the shipped directory, field by field."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from referral_directory.loader import Directory
from referral_directory.overlay import Overlay, updated_since
from referral_directory.schema import Organisation


@dataclass(frozen=True)
class FieldChange:
    field: str
    shipped: Any
    overlay: Any

    def describe(self, width: int = 160) -> str:
        """``hours: null -> "24h"``; for a list, the items taken out and put in."""
        if isinstance(self.shipped, list) and isinstance(self.overlay, list):
            gone = [_short(i, width) for i in self.shipped if i not in self.overlay]
            new = [_short(i, width) for i in self.overlay if i not in self.shipped]
            parts = [f"- {g}" for g in gone] + [f"+ {n}" for n in new]
            return f"{self.field}: {'; '.join(parts) or 'same items, new order'}"
        return f"{self.field}: {_short(self.shipped, width)} -> {_short(self.overlay, width)}"


@dataclass(frozen=True)
class Changes:
    added: tuple[Organisation, ...]
    changed: tuple[tuple[Organisation, tuple[FieldChange, ...]], ...]
    hidden: tuple[Organisation, ...]
    # Overlay lines that no longer do anything, after an update of the shipped data: an
    # entry now equal to the shipped one, a hidden id the shipped data no longer has.
    same_as_shipped: tuple[str, ...]
    hidden_unknown: tuple[str, ...]
    # Shipped entries the overlay changed or hid that an update of the bot changed since:
    # the operator's version still wins, so someone should look at both.
    shipped_updated: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.hidden)

    def as_json(self) -> dict[str, Any]:
        return {
            "added": [o.id for o in self.added],
            "changed": [{"id": org.id, "fields": {c.field: {"shipped": c.shipped,
                                                            "overlay": c.overlay}
                                                  for c in fields}}
                        for org, fields in self.changed],
            "hidden": [o.id for o in self.hidden],
            "same_as_shipped": list(self.same_as_shipped),
            "hidden_unknown": list(self.hidden_unknown),
            "shipped_updated": list(self.shipped_updated),
        }


def compare(shipped: Directory, overlay: Overlay) -> Changes:
    added, changed, same = [], [], []
    for org in overlay.organisations:
        before = shipped.get(org.id)
        if before is None:
            added.append(org)
        elif before == org:
            same.append(org.id)
        else:
            changed.append((org, field_changes(before, org)))
    hidden = [o for i in overlay.hidden if (o := shipped.get(i)) is not None]
    unknown = [i for i in overlay.hidden if shipped.get(i) is None]
    return Changes(tuple(added), tuple(changed), tuple(hidden), tuple(same), tuple(unknown),
                   updated_since(shipped, overlay))


def field_changes(before: Organisation, after: Organisation) -> tuple[FieldChange, ...]:
    old, new = before.model_dump(mode="json"), after.model_dump(mode="json")
    return tuple(FieldChange(key, old[key], new[key]) for key in old if old[key] != new[key])


def _short(value: Any, width: int) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[:width - 1] + "…"
