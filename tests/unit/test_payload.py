from __future__ import annotations

import pytest

from flows.payload import MAX_PAYLOAD_BYTES, Payload, PayloadError


def test_round_trip() -> None:
    p = Payload("l", "choose", 12345, "ru")
    assert Payload.unpack(p.pack()) == p


@pytest.mark.parametrize("raw", ["", "x", "a|b|c", "a|b|zz!|v", "|s|1|v", "a||1|v"])
def test_foreign_or_malformed_payloads_are_refused(raw: str) -> None:
    with pytest.raises(PayloadError):
        Payload.unpack(raw)


def test_payload_never_exceeds_telegram_limit() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        Payload("c", "state", 10**12, "x" * 60).pack()
    fits = Payload("c", "st", 10**9, "v" * 40).pack()
    assert len(fits.encode()) <= MAX_PAYLOAD_BYTES


def test_separator_in_value_is_refused() -> None:
    with pytest.raises(ValueError):
        Payload("c", "s", 1, "a|b").pack()
