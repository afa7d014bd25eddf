"""Packing of button payloads: flow, state, session and the chosen value in one string.

Every button carries the conversation's session counter and the state that shows it, so a
press on a button from an earlier conversation (or an earlier step) is recognised as stale
instead of being applied to whatever the user is doing now. Telegram allows 1-64 bytes of
callback data and WhatsApp 256 characters of button id, so payloads are kept within 64 bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_PAYLOAD_BYTES = 64
_SEP = "|"
# The state code of buttons that are valid in any state of the same session
# (the main menu, "learn more" under an answer): they start a flow rather than step one.
ANY_STATE = "*"
GLOBAL_FLOW = "g"


class PayloadError(ValueError):
    """A payload that is not ours or is malformed (a forged or truncated button)."""


@dataclass(frozen=True, slots=True)
class Payload:
    flow: str
    state: str
    session: int
    value: str

    def pack(self) -> str:
        for part in (self.flow, self.state, self.value):
            if _SEP in part:
                raise ValueError(f"payload part may not contain {_SEP!r}: {part!r}")
        packed = _SEP.join((self.flow, self.state, _b36(self.session), self.value))
        if len(packed.encode()) > MAX_PAYLOAD_BYTES:
            raise ValueError(f"payload over {MAX_PAYLOAD_BYTES} bytes: {packed!r}")
        return packed

    @classmethod
    def unpack(cls, raw: str) -> Payload:
        parts = raw.split(_SEP)
        if len(parts) != 4 or not parts[0] or not parts[1]:
            raise PayloadError("not a payload of this bot")
        flow, state, session, value = parts
        try:
            number = int(session, 36)
        except ValueError as exc:
            raise PayloadError("bad session counter") from exc
        return cls(flow=flow, state=state, session=number, value=value)


def _b36(n: int) -> str:
    if n < 0:
        raise ValueError("session counter is never negative")
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if n == 0:
            return out
