"""A thin Graph API client for sending messages (aiohttp, which aiogram already brings).

Rate limits (429, codes 4/80007/130429/131056) and server errors are retried with backoff;
an expired or wrong access token (401, code 190) is reported clearly and not retried.
Nothing of a message or a recipient is ever logged.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import aiohttp

log = logging.getLogger(__name__)
_RATE_CODES = {4, 80007, 130429, 131056}


class GraphError(Exception):
    """The Graph API refused a message for good (bad token, bad request)."""


class GraphClient:
    def __init__(self, session: aiohttp.ClientSession, base_url: str, phone_number_id: str,
                 access_token: str, *, attempts: int = 4,
                 sleep: Callable[[float], Any] = asyncio.sleep) -> None:
        self._session = session
        self._root = base_url.rstrip("/")
        self._url = f"{self._root}/{phone_number_id}/messages"
        self._headers = {"Authorization": f"Bearer {access_token}"}
        self._attempts = attempts
        self._sleep = sleep

    async def send(self, to: str, message: dict[str, Any]) -> None:
        payload = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to,
                   **message}
        for attempt in range(1, self._attempts + 1):
            try:
                async with self._session.post(self._url, json=payload,
                                              headers=self._headers) as response:
                    if response.status < 300:
                        return
                    body = await _json(response)
                    error = body.get("error") if isinstance(body.get("error"), dict) else {}
                    code = error.get("code")
                    if response.status == 401 or code == 190:
                        log.error("whatsapp.token_invalid code=%s: renew "
                                  "WHATSAPP_ACCESS_TOKEN", code)
                        raise GraphError("access token expired or invalid")
                    if response.status == 429 or code in _RATE_CODES or response.status >= 500:
                        delay = _retry_after(response.headers.get("Retry-After"), attempt)
                        log.warning("whatsapp.retry status=%d code=%s in=%.0fs",
                                    response.status, code, delay)
                        if attempt < self._attempts:
                            await self._sleep(delay)
                            continue
                    log.error("whatsapp.send_failed status=%d code=%s", response.status, code)
                    raise GraphError(f"send failed: {response.status} {code}")
            except aiohttp.ClientError as exc:
                if attempt == self._attempts:
                    raise GraphError("network error") from exc
                log.warning("whatsapp.network_error error=%s", type(exc).__name__)
                await self._sleep(2 ** (attempt - 1))

    async def media(self, media_id: str, max_bytes: int) -> bytes:
        """A received photo: its metadata names a download URL (valid a few minutes) that
        needs the same token. Raises ``GraphError`` when it is missing, too large or the
        download fails; nothing is retried (the report goes on without the photo)."""
        try:
            async with self._session.get(f"{self._root}/{media_id}",
                                         headers=self._headers) as response:
                meta = await _json(response)
                if response.status >= 300 or not isinstance(meta.get("url"), str):
                    raise GraphError(f"media lookup failed: {response.status}")
            size = meta.get("file_size") or 0
            if not isinstance(size, int | str) or not str(size).isdigit():
                raise GraphError("media size unreadable")
            if int(size) > max_bytes:
                raise GraphError("media too large")
            async with self._session.get(str(meta["url"]), headers=self._headers) as response:
                if response.status >= 300:
                    raise GraphError(f"media download failed: {response.status}")
                data = bytearray()
                async for chunk in response.content.iter_chunked(64 * 1024):
                    data += chunk
                    if len(data) > max_bytes:  # whatever the metadata said
                        raise GraphError("media too large")
        except aiohttp.ClientError as exc:
            raise GraphError("network error") from exc
        return bytes(data)


async def _json(response: aiohttp.ClientResponse) -> dict[str, Any]:
    """The body as a JSON object, or {} (a proxy's HTML error page, an empty body)."""
    try:
        body = await response.json(content_type=None)
    except ValueError:  # json.JSONDecodeError, UnicodeDecodeError
        return {}
    return body if isinstance(body, dict) else {}


def _retry_after(header: str | None, attempt: int) -> float:
    """Seconds to wait: the server's Retry-After when it is a sane number, else backoff."""
    try:
        seconds = float(header) if header is not None else float(2 ** attempt)
    except ValueError:
        seconds = float(2 ** attempt)
    return min(max(seconds, 0.0), 60.0) if seconds == seconds else 1.0  # NaN: 1 s
