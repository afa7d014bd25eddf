"""The server secret and the pseudonymous keys derived from it (DESIGN.md, privacy model).

No raw transport identifier is ever stored: per-user state is keyed by an HMAC of the
transport name and the user id. Each purpose has its own label, so a key for one purpose
says nothing about another.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from bot.errors import DataDirError

SECRET_FILE = "secret.key"  # noqa: S105 - a file name, not a secret
_MIN_SECRET_BYTES = 16


def load_or_create_secret(configured: str | None, data_dir: Path) -> bytes:
    """The configured secret, else the one in ``DATA_DIR/secret.key``, created on first start."""
    if configured:
        if len(configured.encode()) < _MIN_SECRET_BYTES:
            raise DataDirError("BOT_SECRET_KEY is too short: use at least 16 characters "
                               "(for example: python -c 'import secrets; "
                               "print(secrets.token_hex(32))').")
        return configured.encode()
    path = data_dir / SECRET_FILE
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        pass
    except (ValueError, UnicodeDecodeError) as exc:
        raise DataDirError(f"{path} is not a valid secret key file; restore it from a "
                           "backup (without it, existing conversations cannot be found).") from exc
    except OSError as exc:
        raise DataDirError(f"cannot read {path}: {exc.strerror}") from exc
    key = secrets.token_bytes(32)
    try:
        # O_EXCL: two processes starting at once never overwrite each other's key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except OSError as exc:
        raise DataDirError(f"cannot create {path}: {exc.strerror}") from exc
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key.hex() + "\n")
    return key


class KeyBuilder:
    """Builds every pseudonymous key in one place (STYLE point 11)."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def conversation_key(self, transport: str, user_id: str | int) -> str:
        """The store key of one user on one transport: 64 hex characters."""
        return self._derive("conversation", transport, str(user_id))

    def salt(self, purpose: str) -> bytes:
        """A secret per purpose (the receipt-code salt), derived from the server secret."""
        return hmac.new(self._secret, f"salt\x00{purpose}".encode(), hashlib.sha256).digest()

    def _derive(self, purpose: str, *parts: str) -> str:
        message = "\x00".join((purpose, *parts)).encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()
