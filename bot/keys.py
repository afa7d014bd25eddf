"""The server secret and the pseudonymous keys derived from it (DESIGN.md, privacy model).

No raw transport identifier is ever stored: per-user state is keyed by an HMAC of the
transport name and the user id. Each purpose has its own label, so a key for one purpose
says nothing about another.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from bot.errors import DataDirError

SECRET_FILE = "secret.key"  # noqa: S105 - a file name, not a secret
_MIN_SECRET_BYTES = 16


def load_or_create_secret(configured: str | None, data_dir: Path) -> bytes:
    """The configured secret, else the one in ``DATA_DIR/secret.key``, created on first start.

    A key file that is empty, short or not hex is refused, never used: a crash or a full
    disk while it was written must not leave the bot running with a guessable key.
    """
    if configured:
        if len(configured.encode()) < _MIN_SECRET_BYTES:
            raise DataDirError("BOT_SECRET_KEY is too short: use at least 16 characters "
                               "(for example: python -c 'import secrets; "
                               "print(secrets.token_hex(32))').")
        return configured.encode()
    path = data_dir / SECRET_FILE
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    return _create_key(path)


def _read_key(path: Path) -> bytes:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise DataDirError(f"cannot read {path}: {exc.strerror}") from exc
    try:
        key = bytes.fromhex(raw.decode("ascii").strip())
    except (ValueError, UnicodeDecodeError):
        key = b""
    if len(key) < _MIN_SECRET_BYTES:
        raise DataDirError(
            f"{path} is empty or damaged ({len(raw)} bytes), so it is not used. Restore it "
            "from a backup; only if this installation holds no data yet, delete it and a new "
            "key is made at the next start.")
    return key


def _create_key(path: Path) -> bytes:
    """Writes a new key to a private temporary file, syncs it, then links it into place:
    the key file appears whole or not at all, and when two processes start at once the
    first link wins and both use that key."""
    key = secrets.token_bytes(32)
    tmp = path.with_name(f".{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(fd, (key.hex() + "\n").encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)
        except FileExistsError:
            return _read_key(path)  # another process was first; its file is complete
        _sync_dir(path.parent)
    except OSError as exc:
        raise DataDirError(f"cannot create {path}: {exc.strerror or exc}. Free some space "
                           "or fix DATA_DIR's permissions, then start again.") from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return key


def _sync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fingerprint(secret: bytes) -> str:
    """Identifies the key without revealing it: stored beside the data so that a start with
    another key is refused instead of silently orphaning every receipt and conversation."""
    return hmac.new(secret, b"fingerprint", hashlib.sha256).hexdigest()[:32]


class KeyBuilder:
    """Builds every pseudonymous key in one place (STYLE point 11)."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    @property
    def fingerprint(self) -> str:
        return fingerprint(self._secret)

    def conversation_key(self, transport: str, user_id: str | int) -> str:
        """The store key of one user on one transport: 64 hex characters."""
        return self._derive("conversation", transport, str(user_id))

    def salt(self, purpose: str) -> bytes:
        """A secret per purpose (the receipt-code salt), derived from the server secret."""
        return hmac.new(self._secret, f"salt\x00{purpose}".encode(), hashlib.sha256).digest()

    def _derive(self, purpose: str, *parts: str) -> str:
        message = "\x00".join((purpose, *parts)).encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()
