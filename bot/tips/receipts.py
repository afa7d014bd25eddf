"""Receipt codes: the reporter's secret, stored only as a slow, salted hash.

The salt is derived from the server secret (one per installation, like GlobaLeaks' receipt
salt), so ``/status`` can find a tip by the hash alone; scrypt makes guessing expensive
even for someone holding a copy of the database without the secret.
"""

from __future__ import annotations

import hashlib
import re

from flows.deps import RECEIPT_ALPHABET, RECEIPT_LENGTH

_SEPARATORS = re.compile(r"[\s\-_.]+")
# What people mistype for the letters the alphabet leaves out.
_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "L": "I"})


def normalise(code: str) -> str | None:
    """The code as stored (12 characters, upper case, no dashes), or None if it cannot be one."""
    raw = _SEPARATORS.sub("", code.strip().upper())
    if len(raw) != RECEIPT_LENGTH:
        return None
    if not all(ch in RECEIPT_ALPHABET for ch in raw):
        return None
    return raw


def receipt_hash(code: str, salt: bytes) -> str:
    """scrypt (n=2^14, r=8, p=1: about 16 MB and tens of milliseconds) of the normalised code."""
    normal = normalise(code)
    if normal is None:
        raise ValueError("not a receipt code")
    return hashlib.scrypt(normal.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32).hex()
