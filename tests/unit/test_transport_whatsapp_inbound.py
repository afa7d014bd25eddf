"""Signed deliveries of odd shapes: what cannot be read is skipped message by message,
the rest of the delivery is read, and parsing never raises."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.adapters.whatsapp.inbound import parse_delivery
from flows.types import Kind
from tests.helpers.fake_graph import button_reply, delivery, message, text

ODD: list[dict[str, Any]] = [
    {**text("/help"), "text": "a string, not an object"},
    {**text("hi"), "from": ["6281200001111"]},
    {**button_reply("x"), "interactive": {"type": "button_reply", "button_reply": "x"}},
    {**text("hi"), "interactive": [1, 2], "type": "interactive"},
    {"type": "text"},  # no id, no sender
    {**text("hi"), "id": {"nested": 1}},
    {**text("hi"), "context": "forwarded"},
    message("location", {"latitude": "NaN", "longitude": 1e999}),
    message("image", "not an object"),
    {**text("hi"), "timestamp": ["1"]},
    "not even an object",
    None,
]


def test_odd_messages_are_skipped_and_the_others_read() -> None:
    good = text("Tolong cek lowongan ini", mid="wamid.good")
    body = delivery(*ODD, good)
    body["entry"].append({"changes": "nope"})
    body["entry"].append("nope")
    found = parse_delivery(json.loads(json.dumps(body)))
    ids = [item.message_id for item in found]
    assert "wamid.good" in ids
    by_id = {item.message_id: item for item in found}
    assert by_id["wamid.good"].event.text == "Tolong cek lowongan ini"
    for item in found:  # whatever was kept, was read into plain, typed values
        assert isinstance(item.user, str) and item.user
        assert isinstance(item.event.text, str) and isinstance(item.event.choice, str)
    odd_text = next(i for i in found if i.message_id == ODD[0]["id"])
    assert odd_text.event.kind is Kind.TEXT and odd_text.event.text == ""
    assert next(i for i in found if i.message_id == ODD[7]["id"]).event.kind is Kind.UNSUPPORTED
    assert next(i for i in found if i.message_id == ODD[9]["id"]).sent_at is None
    # A list is no sender: the delivery's one contact is (as for a message without "from")…
    assert by_id[ODD[1]["id"]].user == "US.13491208655302741918"
    # …and without a usable contact the message is skipped.
    assert parse_delivery(delivery(ODD[1], wa_id=None, user_id="")) == []


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=3) |
                    st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=12)
FIELDS = st.sampled_from(["id", "from", "type", "text", "interactive", "button", "image",
                          "location", "context", "timestamp", "from_user_id", "document"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(FIELDS, JSON, max_size=6), JSON, st.sampled_from(
    ["text", "interactive", "button", "location", "image", "document", "audio"]))
def test_parsing_never_raises(fields: dict[str, Any], contacts: Any, kind: str) -> None:
    body = delivery(text("/help", mid="wamid.fine"), {**text("x"), "type": kind, **fields})
    body["entry"][0]["changes"][0]["value"]["contacts"].append(contacts)
    found = parse_delivery(body)
    assert "wamid.fine" in [item.message_id for item in found]
