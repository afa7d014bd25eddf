"""Secrets compared as bytes, bodies read without raising: what a stranger puts in a
request is refused, never a crash."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from bot.adapters.whatsapp.security import signature_status, verify_subscription
from bot.limits import UnreadableBody, read_json, secret_matches


@pytest.mark.parametrize("given", ["пароль", "🔑", "s3cret\udcff", "", "s3cre"])
def test_a_wrong_secret_never_raises(given: str) -> None:
    assert secret_matches(given, "s3cret") is False


def test_the_right_secret_matches_and_an_empty_one_never_does() -> None:
    assert secret_matches("s3cret", "s3cret")
    assert not secret_matches("", "") and not secret_matches(None, "s3cret")


def test_whatsapp_checks_refuse_non_ascii() -> None:
    params = {"hub.mode": "subscribe", "hub.verify_token": "токен", "hub.challenge": "1"}
    assert verify_subscription(params, "verify") == (403, "forbidden")
    assert signature_status(b"{}", "sha256=" + "é" * 64, "secret") == 403
    good = "sha256=" + hmac.new(b"secret", b"{}", hashlib.sha256).hexdigest()
    assert signature_status(b"{}", good, "secret") == 200


@pytest.mark.parametrize("raw", [b"{not json", b"[" * 100_000 + b"]" * 100_000, b"\xff\xfe",
                                 b""])
def test_unreadable_bodies(raw: bytes) -> None:
    with pytest.raises(UnreadableBody):
        read_json(raw)


def test_readable_body() -> None:
    assert read_json(b'{"entry": [1]}') == {"entry": [1]}
