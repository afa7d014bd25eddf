"""The referral directory: sourced organisations and whom to call."""

from referral_directory.contacts import emergency, helplines
from referral_directory.errors import DirectoryError
from referral_directory.loader import DATA_FILE, Directory, load_directory, parse_directory
from referral_directory.schema import (
    Caveat,
    Contact,
    ContactType,
    DirectoryEntry,
    Kind,
    Operator,
    Organisation,
    Topic,
)

__all__ = [
    "DATA_FILE",
    "Caveat",
    "Contact",
    "ContactType",
    "Directory",
    "DirectoryEntry",
    "DirectoryError",
    "Kind",
    "Operator",
    "Organisation",
    "Topic",
    "emergency",
    "helplines",
    "load_directory",
    "parse_directory",
]
