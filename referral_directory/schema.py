"""The schema of the referral directory: what an organisation entry must hold."""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

_PHONE = re.compile(r"^\+?[0-9(][0-9 ()\-.]{1,24}$")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class Kind(StrEnum):
    HOTLINE = "hotline"
    NGO = "ngo"
    GOVERNMENT = "government"
    INTERGOVERNMENTAL = "intergovernmental"
    EMERGENCY = "emergency"


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


class Names(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    local: str = Field(min_length=2)
    en: str = Field(min_length=2)


class Contact(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    type: ContactType
    value: str = Field(min_length=2)
    note: str | None = None

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
    country: str = Field(pattern=r"^[A-Z]{2}$")
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

    @property
    def national(self) -> bool:
        return any(p.lower().startswith("national") for p in self.places)

    def name_for(self, lang: str) -> str:
        return self.names.en if lang == "en" else self.names.local

    def phones(self) -> tuple[Contact, ...]:
        return tuple(c for c in self.contacts
                     if c.type in (ContactType.PHONE, ContactType.WHATSAPP))
