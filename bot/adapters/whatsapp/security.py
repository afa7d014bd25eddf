"""The webhook's two checks, framework-free (STYLE point 14): the subscription handshake
and the X-Hub-Signature-256 of every delivery, compared in constant time.

Both compare bytes (``secret_matches``): a stranger's non-ASCII header or query value is
answered 401/403 like any other wrong one, never with a 500.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from bot.limits import secret_matches


def verify_subscription(params: Mapping[str, str], verify_token: str) -> tuple[int, str]:
    """(status, body) for Meta's GET handshake: the challenge back, or 403."""
    mode = params.get("hub.mode", "")
    token = params.get("hub.verify_token", "")
    challenge = params.get("hub.challenge", "")
    if mode == "subscribe" and secret_matches(token, verify_token):
        return 200, challenge
    return 403, "forbidden"


def signature_status(raw: bytes, header: str | None, app_secret: str) -> int:
    """200 when the body is signed with the app secret; 401 without a signature, 403 when
    it does not match. ``header`` is ``sha256=<hex>``."""
    if not header or not header.startswith("sha256="):
        return 401
    expected = hmac.new(app_secret.encode(), raw, hashlib.sha256).hexdigest()
    return 200 if secret_matches(header[len("sha256="):], expected) else 403
