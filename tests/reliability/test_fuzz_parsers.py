"""Property-based tests of both webhook parsers: WhatsApp deliveries to events
(bot/adapters/whatsapp/inbound.py) and Telegram updates to events
(bot/adapters/telegram/inbound.py), then a Telegram update through the whole adapter.

Inputs: any JSON value (nested up to 5,000 levels), and deliveries/updates of the
documented shapes with fields replaced by random JSON of the wrong type, hostile Unicode
(lone surrogates, control characters, RTL and zero-width marks) and texts up to 100,000
characters. Properties:
- WhatsApp: ``parse_delivery`` never raises ("Parsing never raises on a strange payload",
  its docstring), and every event it returns is well formed: string user, reply-to and
  message ids, an ``Inbound`` of a known kind with string text;
- Telegram: for every update aiogram accepts (its pydantic models refuse wrong types
  before the adapter sees them), ``from_message``, ``from_callback``, ``addressed`` and
  ``command_of`` raise nothing, and no identifier (user id, username, names, a forwarded
  sender's name) enters the event;
- a Telegram update through the real dispatcher, adapter and app (a real SQLite file; the
  stand-in Bot API on 127.0.0.1) makes no handler fail (``telegram.error``, ``runtime.
  error``) and every message the bot sends is valid Telegram HTML within the limits.

Runtime: about 8-15 s (derandomized: 500 + 300 + 150 examples and the deep nesting).
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pydantic
import pytest
from aiogram.types import Update
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from bot.adapters.telegram import inbound as telegram_inbound
from bot.adapters.whatsapp.inbound import parse_delivery
from bot.app import App, build_app
from bot.commands.telegram import TelegramService, build_telegram
from bot.settings import Settings
from flows.types import Inbound, Kind
from tests.helpers import fake_graph as wa
from tests.helpers.clock import Clock
from tests.helpers.fake_telegram import FakeBotApi, fake_bot_api
from tests.helpers.reliability_checks import (
    any_char,
    hostile_text,
    telegram_html_problems,
    user_text,
)

BOT = "safework_test_bot"
TOKEN = "123456789:TEST-token-for-the-stand-in-api"

RUNS = dict(deadline=None, derandomize=True, database=None,
            phases=(Phase.explicit, Phase.generate), report_multiple_bugs=False,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                   HealthCheck.large_base_example,
                                   HealthCheck.function_scoped_fixture])

FIELDS = ("entry", "changes", "value", "messages", "contacts", "statuses", "id", "from",
          "from_user_id", "user_id", "wa_id", "type", "text", "body", "interactive",
          "button_reply", "list_reply", "button", "payload", "location", "latitude",
          "longitude", "image", "caption", "context", "forwarded", "profile", "name",
          "metadata", "timestamp", "document", "video", "audio", "sticker", "reaction")
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(),
                    hostile_text, st.sampled_from(("nan", "inf", "-inf", "1e999", "", "0")))
json_values = st.recursive(
    scalars, lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(any_char, max_size=8)),
                        inner, max_size=6)),
    max_leaves=40)


def _deep(depth: int) -> Any:
    value: Any = {"id": "wamid.deep", "from": "1", "type": "text", "text": {"body": "x"}}
    for _ in range(depth):
        value = [value]
    return value


def valid_deliveries() -> list[dict[str, Any]]:
    return [
        wa.delivery(wa.text("/start")),
        wa.delivery(wa.text("Lowongan kerja ke Malaysia", context={"forwarded": True})),
        wa.delivery(wa.button_reply("r|confirm|1|send")),
        wa.delivery(wa.list_reply("g|*|1|report")),
        wa.delivery(wa.message("location", {"latitude": -6.2, "longitude": 106.8})),
        wa.delivery(wa.message("image", {"id": "7001", "caption": "Brosur"})),
        wa.delivery(wa.text("/start", wa_id=None, from_user_id="US.1"), wa_id=None),
        wa.delivery(statuses=[{"id": "wamid.out1", "status": "read"}]),
    ]


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


@st.composite
def mutated_deliveries(draw: st.DrawFn) -> Any:
    """A delivery of a documented shape with 1-3 of its fields replaced by anything."""
    body = copy.deepcopy(draw(st.sampled_from(valid_deliveries())))
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(body) if p]
        path = draw(st.sampled_from(paths))
        parent = body
        for step in path[:-1]:
            parent = parent[step]
        if not isinstance(parent, dict | list):
            continue
        parent[path[-1]] = draw(st.one_of(json_values, user_text))
    return body


def _well_formed(found: list[Any]) -> None:
    for item in found:
        assert isinstance(item.user, str) and item.user
        assert isinstance(item.reply_to, str) and isinstance(item.message_id, str)
        assert isinstance(item.media_id, str)
        event = item.event
        assert isinstance(event, Inbound) and isinstance(event.kind, Kind)
        for name in ("text", "command", "args", "choice", "forward_origin", "locale_hint"):
            assert isinstance(getattr(event, name), str), name


@settings(max_examples=500, **RUNS)
@example(body={"entry": [{"changes": [{"value": {"contacts": [{"wa_id": []}],
                                                 "messages": []}}]}]})
@example(body={"entry": [{"changes": [{"value": {"messages": [
    {"id": "wamid.1", "from": "6281200001111", "type": "text", "text": "halo"}]}}]}]})
@example(body={"entry": [{"changes": [{"value": {"messages": [
    {"id": "wamid.2", "from": {"x": 1}, "type": "text", "text": {"body": "halo"}}]}}]}]})
@example(body={"entry": [{"changes": [{"value": {"messages": [
    {"id": "wamid.3", "from": "62812", "type": "interactive", "interactive": "x"}]}}]}]})
@given(body=st.one_of(json_values, mutated_deliveries(), mutated_deliveries()))
def test_whatsapp_parser_never_raises(body: Any) -> None:
    _well_formed(parse_delivery(body))


def test_whatsapp_parser_survives_deep_nesting() -> None:
    """5,000 levels where a list of messages is expected (too deep for hypothesis to
    print, so not one of its examples)."""
    for body in ({"entry": _deep(5_000)}, {"entry": [{"changes": [{"value": {
            "messages": _deep(5_000), "contacts": _deep(5_000)}}]}]}):
        _well_formed(parse_delivery(body))


# -- Telegram -------------------------------------------------------------------------------

names = st.one_of(st.just("Zqxwv"), hostile_text.filter(lambda s: 0 < len(s) <= 64))
user = st.fixed_dictionaries({
    "id": st.integers(1, 2**52), "is_bot": st.just(False), "first_name": names},
    optional={"last_name": names, "username": st.from_regex(r"\Azq[a-z0-9_]{3,20}\Z"),
              "language_code": st.one_of(st.sampled_from(("id", "ru", "en", "in", "zz",
                                                          "ru-RU", "")), hostile_text)})
commands = st.builds(lambda c, at, rest: f"/{c}{at} {rest}",
                     st.sampled_from(("start", "check", "report", "status", "lang", "help",
                                      "cancel", "contacts", "learn", "questions", "zz",
                                      "register", "claim", "digest")),
                     st.sampled_from(("", f"@{BOT}", "@other_bot", "@")), hostile_text)
message_text = st.one_of(user_text, commands, st.builds(lambda t: f"@{BOT} {t}", user_text))
forward_origin = st.one_of(
    st.fixed_dictionaries({"type": st.just("hidden_user"), "date": st.integers(0, 2**31),
                           "sender_user_name": names}),
    st.fixed_dictionaries({"type": st.just("user"), "date": st.integers(0, 2**31),
                           "sender_user": user}),
    st.fixed_dictionaries({"type": st.just("channel"), "date": st.integers(0, 2**31),
                           "chat": st.fixed_dictionaries({"id": st.integers(-2**52, -1),
                                                          "type": st.just("channel"),
                                                          "title": names}),
                           "message_id": st.integers(1, 2**31)}),
    json_values)


@st.composite
def messages(draw: st.DrawFn) -> dict[str, Any]:
    sender = draw(user)
    group = draw(st.booleans())
    chat = ({"id": draw(st.integers(-2**52, -1)), "type": draw(st.sampled_from(
        ("group", "supergroup"))), "title": draw(names)} if group
        else {"id": sender["id"], "type": "private", "first_name": sender["first_name"]})
    message: dict[str, Any] = {"message_id": draw(st.integers(1, 2**31)),
                               "date": draw(st.integers(0, 2**31)), "chat": chat,
                               "from": sender}
    content = draw(st.sampled_from(("text", "text", "text", "photo", "sticker", "location",
                                    "forward", "reply", "odd")))
    if content in ("text", "forward", "reply"):
        message["text"] = draw(message_text)
        if message["text"].startswith("/"):
            head = message["text"].split()[0] if message["text"].split() else "/"
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(head)}]
    if content == "forward":
        message["forward_origin"] = draw(forward_origin)
    if content == "reply":
        message["reply_to_message"] = {"message_id": 1, "date": 0, "chat": chat,
                                       "from": draw(st.sampled_from((
                                           sender, {"id": 7000001, "is_bot": True,
                                                    "first_name": "Safe Work"}))),
                                       "text": draw(user_text)}
    if content == "photo":
        message["photo"] = [{"file_id": "ph", "file_unique_id": "u", "width": 1, "height": 1,
                             "file_size": draw(st.integers(0, 2**40))}]
        message["caption"] = draw(st.one_of(user_text, st.just("")))
    if content == "sticker":
        message["sticker"] = {"file_id": "st", "file_unique_id": "st", "type": "regular",
                              "width": 1, "height": 1, "is_animated": False,
                              "is_video": False}
    if content == "location":
        message["location"] = {"latitude": draw(st.floats()), "longitude": draw(st.floats())}
    if content == "odd":
        message[draw(st.sampled_from(("text", "caption", "location", "photo", "entities",
                                      "chat", "from", "date")))] = draw(json_values)
    return message


@st.composite
def updates(draw: st.DrawFn) -> dict[str, Any]:
    if draw(st.integers(0, 3)) == 0:
        sender = draw(user)
        query = {"id": draw(st.text("0123456789", min_size=1, max_size=12)), "from": sender,
                 "chat_instance": "1",
                 "data": draw(st.one_of(hostile_text, st.sampled_from(
                     ("g|*|0|report", "g|*|1|check", "r|what|0|skip", "l|choose|0|ru", "|||",
                      "g|*|zz|report")))),
                 "message": {"message_id": 1, "date": 0, "text": "menu",
                             "chat": {"id": sender["id"], "type": "private"}}}
        return {"update_id": draw(st.integers(1, 2**31)), "callback_query": query}
    return {"update_id": draw(st.integers(1, 2**31)), "message": draw(messages())}


def _identifiers(update: dict[str, Any]) -> list[str]:
    found = []

    def walk(value: Any, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif key in ("username", "first_name", "last_name", "sender_user_name", "title") \
                and isinstance(value, str) and len(value) >= 5:
            found.append(value)
        elif key == "id" and isinstance(value, int) and abs(value) >= 10**6:
            found.append(str(value))

    walk({k: v for k, v in (update.get("message") or update.get("callback_query")).items()
          if k not in ("text", "caption", "data")})
    return found


@settings(max_examples=300, **RUNS)
@given(update=updates())
def test_telegram_mapping_never_raises_and_keeps_identifiers_out(
        update: dict[str, Any]) -> None:
    try:
        parsed = Update.model_validate(update)
    except pydantic.ValidationError:
        return  # aiogram refuses it before any handler of ours runs
    if parsed.message is not None:
        message = parsed.message
        event = telegram_inbound.from_message(message, BOT, "")
        telegram_inbound.addressed(message, BOT, 7000001)
        if message.text is not None:
            telegram_inbound.command_of(message.text, BOT)
    else:
        assert parsed.callback_query is not None
        event = telegram_inbound.from_callback(parsed.callback_query)
    assert isinstance(event, Inbound) and isinstance(event.kind, Kind)
    # What the event carries besides the language hint (which is not an identifier).
    said = "\n".join(str(getattr(event, f)) for f in ("text", "command", "args", "choice",
                                                      "forward_origin"))
    source = update.get("message") or update.get("callback_query") or {}
    content = "\n".join(str(source.get(k, "")) for k in ("text", "caption", "data"))
    for identifier in _identifiers(update):
        if identifier not in content:
            assert identifier not in said, f"{identifier!r} entered the event"


# -- a Telegram update through the whole adapter -----------------------------------------------

class Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class TelegramHarness:
    """The real app and Telegram adapter against the stand-in Bot API, on one loop."""

    def __init__(self, data_dir: Path) -> None:
        self.loop = asyncio.new_event_loop()
        self._api_context = fake_bot_api()
        self.api: FakeBotApi = self.loop.run_until_complete(self._api_context.__aenter__())
        self.app: App = self.loop.run_until_complete(build_app(Settings(
            data_dir=data_dir, telegram_bot_token=TOKEN,
            telegram_api_base_url=self.api.base_url), clock=Clock()))
        self.service: TelegramService = build_telegram(self.app)
        self.loop.run_until_complete(self.service.adapter.start(self.service.bot))

    def __repr__(self) -> str:
        return "TelegramHarness()"

    def feed(self, update: dict[str, Any]) -> None:
        async def go() -> None:
            try:
                await self.service.dispatcher.feed_raw_update(self.service.bot, update)
            except pydantic.ValidationError:
                return  # aiogram refuses it before any handler of ours runs
            await self.service.adapter.drain(30)

        self.loop.run_until_complete(asyncio.wait_for(go(), 60))

    def close(self) -> None:
        self.loop.run_until_complete(self.service.bot.session.close())
        self.loop.run_until_complete(self.app.close())
        self.loop.run_until_complete(self._api_context.__aexit__(None, None, None))
        self.loop.close()


@pytest.fixture(scope="module")
def telegram(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TelegramHarness]:
    harness = TelegramHarness(tmp_path_factory.mktemp("fuzz-telegram") / "data")
    try:
        yield harness
    finally:
        harness.close()


_update_ids = itertools.count(1)


@settings(max_examples=150, **RUNS)
@given(update=updates())
def test_telegram_update_through_the_adapter(telegram: TelegramHarness,
                                             update: dict[str, Any]) -> None:
    update["update_id"] = next(_update_ids)
    errors = Errors()
    logging.getLogger().addHandler(errors)
    before = len(telegram.api.calls)
    try:
        telegram.feed(update)
    finally:
        logging.getLogger().removeHandler(errors)
    failed = [r.getMessage() for r in errors.records]
    assert not failed, f"a handler failed: {failed}"
    for call in telegram.api.calls[before:]:
        if call.method != "sendMessage":
            continue
        problems = telegram_html_problems(str(call.params.get("text", "")))
        assert not problems, "; ".join(problems[:5])
        markup = call.params.get("reply_markup") or {}
        for row in markup.get("inline_keyboard", []) if isinstance(markup, dict) else []:
            for button in row:
                data = button.get("callback_data")
                assert data is None or 1 <= len(data.encode()) <= 64, button


def test_long_texts_reach_the_parsers_intact() -> None:
    """A 100,000-character text in both parsers: mapped, not cut or refused."""
    body = "ü" * 99_999 + "\u202e"
    (item,) = parse_delivery(wa.delivery(wa.text(body)))
    assert item.event.text == body
    update = Update.model_validate({"update_id": 1, "message": {
        "message_id": 1, "date": 0, "chat": {"id": 5, "type": "private"},
        "from": {"id": 5, "is_bot": False, "first_name": "A"}, "text": body}})
    assert update.message is not None
    assert telegram_inbound.from_message(update.message, BOT).text == body
