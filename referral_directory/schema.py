"""The schema of the referral directory: what an organisation entry must hold.

``Organisation`` is the value the bot works with; ``DirectoryEntry`` is what a data file
(YAML or CSV) must hold: the same, and the ``operator`` named. An Organisation built in code
(a benchmark's synthetic directory) may leave the operator unknown, and routing then never
sends it a tip that needs one (``referral_directory/routing.py``).
"""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

_PHONE = re.compile(r"^\+?[0-9(][0-9 ()\-.]{1,24}$")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# The languages the bot speaks that citizens of a country write in: a mission abroad for
# citizens of the country is shown to those who write one of them (``citizens_of``).
CITIZEN_LANGUAGES: dict[str, tuple[str, ...]] = {
    "ID": ("id",), "RU": ("ru",), "KZ": ("ru",), "KG": ("ru",),
    "UZ": ("ru",), "TJ": ("ru",),
}


class Kind(StrEnum):
    HOTLINE = "hotline"
    NGO = "ngo"
    GOVERNMENT = "government"
    INTERGOVERNMENTAL = "intergovernmental"
    EMERGENCY = "emergency"


class Operator(StrEnum):
    """Who runs the service: what a reporter's consent is about, whatever its ``kind``
    (SAPA 129 is a hotline, and a ministry runs it)."""

    GOVERNMENT = "government"
    NGO = "ngo"
    INTERGOVERNMENTAL = "intergovernmental"
    MIXED = "mixed"  # a state line run by or with an NGO or an international organisation


class Topic(StrEnum):
    TRAFFICKING = "trafficking"
    CHILD_SEXUAL_EXPLOITATION = "child_sexual_exploitation"
    FORCED_LABOUR = "forced_labour"
    MIGRANT_WORKERS = "migrant_workers"
    VIOLENCE = "violence_against_women_children"
    EMERGENCY = "emergency"
    SHELTER = "shelter"
    LEGAL_AID = "legal_aid"


class ContactType(StrEnum):
    PHONE = "phone"
    WHATSAPP = "whatsapp"
    EMAIL = "email"
    WEBSITE = "website"
    TELEGRAM = "telegram"


class Caveat(StrEnum):
    LOW_CONFIDENCE = "low_confidence"
    NOT_SEEN_RECENTLY = "not_seen_recently"
    POLICE_RISK_UNDOCUMENTED = "police_risk_undocumented"
    # A record kept so nobody re-adds it from the same weak source, never a number to dial:
    # none of the entry's phone numbers is shown, and the entry is not offered or routed to.
    NOT_FOR_DIALLING = "not_for_dialling"


class Names(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    local: str = Field(min_length=2)
    en: str = Field(min_length=2)


class Contact(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    type: ContactType
    value: str = Field(min_length=2)
    note: str | None = None
    # Where and when this contact itself was seen, where the contacts of one organisation
    # were seen at different dates (one number in 2020, another in 2022). The source is one
    # of the organisation's ``sources``; without these the organisation's own speak for it.
    source: str | None = None
    seen_on: str | None = None

    @field_validator("source")
    @classmethod
    def _source_is_link(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://\S+$", value):
            raise ValueError(f"a source must be a web address: {value!r}")
        return value

    @field_validator("seen_on")
    @classmethod
    def _seen_date(cls, value: str | None) -> str | None:
        if value is not None and not _DATE.match(value):
            raise ValueError(f"seen_on must be YYYY, YYYY-MM or YYYY-MM-DD: {value!r}")
        return value

    @model_validator(mode="after")
    def _value_fits_type(self) -> Contact:
        value = self.value.strip()
        if self.type in (ContactType.PHONE, ContactType.WHATSAPP):
            digits = re.sub(r"\D", "", value)
            if not _PHONE.match(value) or not 3 <= len(digits) <= 15:
                raise ValueError(f"not a phone number: {value!r}")
        elif self.type is ContactType.EMAIL and not re.match(r"^[^@\s]+@[^@\s]+\.\w+$", value):
            raise ValueError(f"not an e-mail address: {value!r}")
        elif self.type is ContactType.WEBSITE and not re.match(
                r"^(https?://)?[\w.-]+\.\w{2,}(/\S*)?$", value):
            raise ValueError(f"not a web address: {value!r}")
        elif self.type is ContactType.TELEGRAM and not re.match(r"^@\w{4,}$", value):
            raise ValueError(f"not a Telegram username: {value!r}")
        return self

    @property
    def dialable(self) -> str:
        """The number as a person dials it: digits, and a leading + if written."""
        digits = re.sub(r"\D", "", self.value)
        return ("+" if self.value.strip().startswith("+") else "") + digits


class Organisation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[a-z]{2}-[a-z0-9-]+$")
    names: Names
    kind: Kind
    operator: Operator | None = None  # required in data files: see DirectoryEntry
    # False where the researchers could not confirm who runs the service: a tip whose
    # reporter allowed NGOs only is then not sent there (routing.yaml, confirmed_only).
    operator_confirmed: bool = True
    country: str = Field(pattern=r"^[A-Z]{2}$")
    # A country's embassy, consulate or labour office abroad serves its own citizens only
    # ("KBRI Riyadh" is for Indonesians in Saudi Arabia): their country's code, else None.
    citizens_of: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    places: tuple[str, ...] = Field(min_length=1)
    languages: tuple[str, ...] = ()
    topics: tuple[Topic, ...] = Field(min_length=1)
    contacts: tuple[Contact, ...] = Field(min_length=1)
    hours: str | None = None
    sources: tuple[str, ...] = Field(min_length=1)
    verified_on: str | None = None
    confidence: str | None = Field(default=None, pattern=r"^(high|medium|low)$")
    caveats: tuple[Caveat, ...] = ()
    notes: str | None = None

    @field_validator("sources")
    @classmethod
    def _sources_are_links(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for url in value:
            if not re.match(r"^https?://\S+$", url):
                raise ValueError(f"a source must be a web address: {url!r}")
        return value

    @field_validator("verified_on")
    @classmethod
    def _date(cls, value: str | None) -> str | None:
        if value is not None and not _DATE.match(value):
            raise ValueError(f"verified_on must be YYYY, YYYY-MM or YYYY-MM-DD: {value!r}")
        return value

    @model_validator(mode="after")
    def _contact_sources_and_dates(self) -> Organisation:
        for contact in self.contacts:
            if contact.source is not None and contact.source not in self.sources:
                raise ValueError(f"the source of {contact.value!r} is not among the sources: "
                                 f"{contact.source!r}")
            if (contact.seen_on is not None and self.verified_on is not None
                    and contact.seen_on[:len(self.verified_on)] > self.verified_on):
                # verified_on is the newest source that shows a contact of the entry
                raise ValueError(f"{contact.value!r} seen on {contact.seen_on}, after the "
                                 f"entry's verified_on {self.verified_on}")
        return self

    def serves_speakers_of(self, lang: str) -> bool:
        """Whether a person writing in ``lang`` may be among those it serves: a mission for
        citizens of a country serves those who write one of that country's languages."""
        return self.citizens_of is None or lang in CITIZEN_LANGUAGES.get(self.citizens_of, ())

    @property
    def national(self) -> bool:
        return any(p.lower().startswith("national") for p in self.places)

    def name_for(self, lang: str) -> str:
        return self.names.en if lang == "en" else self.names.local

    @property
    def dialling_allowed(self) -> bool:
        return Caveat.NOT_FOR_DIALLING not in self.caveats

    def shown_contacts(self) -> tuple[Contact, ...]:
        """The contacts a user may see: all of them, except the numbers of an entry marked
        ``not_for_dialling``."""
        if self.dialling_allowed:
            return self.contacts
        return tuple(c for c in self.contacts
                     if c.type not in (ContactType.PHONE, ContactType.WHATSAPP))

    @property
    def listed(self) -> bool:
        """Whether the bot may offer the entry at all: it has something a user may use."""
        return bool(self.shown_contacts())

    def phones(self) -> tuple[Contact, ...]:
        """The numbers a user may dial (none for an entry marked ``not_for_dialling``)."""
        return tuple(c for c in self.shown_contacts()
                     if c.type in (ContactType.PHONE, ContactType.WHATSAPP))

    def seen_on(self, contacts: tuple[Contact, ...] | None = None) -> str | None:
        """The date that speaks for these contacts (the shown numbers by default): the
        oldest of their own dates, else the entry's ``verified_on``. The oldest, because a
        number seen in 2020 does not become newer for sharing a line with one seen in 2022.
        """
        chosen = self.phones() if contacts is None else contacts
        own = [c.seen_on for c in chosen if c.seen_on is not None]
        if own and len(own) == len(chosen):
            return min(own)
        if self.verified_on is None:
            return None  # some of these numbers have no date at all
        return min([*own, self.verified_on])


class DirectoryEntry(Organisation):
    """An organisation as a data file must hold it: who runs it is never left unknown,
    because consent routing depends on it."""

    operator: Operator
