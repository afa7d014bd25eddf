"""Property-based walks through every flow of the real app (``bot.app.build_app`` on a real
SQLite file), with hostile input at every step.

Each example is one new person who does 1-14 things: press one of the buttons the last
answer offered (most often, so walks get deep into flows: a report up to "Send", the
screening questions, the directory), type random Unicode (lone surrogates, control
characters, RTL and zero-width marks, markup, texts up to 100,000 characters), send a
command with random arguments, forward, send media or a location with odd coordinates,
or press a forged button. Properties, for every event:
- nothing fails inside: the runtime logs no error (``runtime.error`` is its last-resort
  catch: the person got "Sorry, something went wrong" and the step was not saved);
- every reply renders for Telegram within its limits, as HTML Telegram accepts, with the
  user's markup escaped; and for WhatsApp within its limits, the user's marks
  neutralised, and no button silently dropped (at most 10 choices per reply).

Runtime: about 15-25 s on 2 shared cores (hypothesis, derandomized: the same 300 walks
on every run; the explicit examples first, they are the smallest known reproductions).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from bot.adapters.telegram.render import HTML
from bot.adapters.telegram.render import render as telegram_render
from bot.adapters.whatsapp.render import WHATSAPP
from bot.adapters.whatsapp.render import render as whatsapp_render
from bot.app import App, build_app
from bot.rendering import TextRenderer
from bot.settings import Settings
from flows.types import Inbound, Kind, Reply
from tests.helpers.clock import Clock
from tests.helpers.reliability_checks import (
    WA_ROWS,
    any_char,
    hostile_text,
    telegram_outgoing_problems,
    user_text,
    whatsapp_problems,
)

COMMANDS = ("start", "help", "menu", "cancel", "check", "questions", "learn", "report",
            "contacts", "lang", "status", "country", "register", "zzz")

hints = st.sampled_from(("", "id", "ru", "en", "zz-ZZ", "\ud800"))
press = st.tuples(st.just("press"), st.integers(0, 40))
typed = st.tuples(st.just("text"), user_text)
OFFERS = ("Lowongan kerja di Malaysia, gaji 20 juta, paspor disimpan agen, tanpa pengalaman.",
          "Работа официанткой в Дубае, 3000 долларов, билеты и визу оплатим, паспорт у нас.",
          "Job in a Bangkok restaurant for girls 16+, salary 2000 USD, pay the visa fee first.")
offer = st.builds(lambda a, o, b: f"{a} {o} {b}", hostile_text, st.sampled_from(OFFERS),
                  hostile_text)
anything = st.one_of(
    press, press, press, typed, typed,
    st.tuples(st.just("command"), st.sampled_from(COMMANDS),
              st.one_of(st.just(""), hostile_text, st.sampled_from(
                  ("id", "ru", "en", "xx", "report", "1", "99", "K7QF-2MXP-9HRT", "Medan",
                   "Jakarta", "КЗ"))), hints),
    st.tuples(st.just("forward"), st.one_of(user_text, offer)),
    st.tuples(st.just("media"), st.one_of(st.just(""), hostile_text, offer)),
    st.tuples(st.just("location"), st.floats(allow_nan=True, allow_infinity=True),
              st.floats(allow_nan=True, allow_infinity=True)),
    st.tuples(st.just("choice"), st.one_of(
        st.text(alphabet=any_char, max_size=80),
        st.builds(lambda f, s, n, v: f"{f}|{s}|{n}|{v}", st.sampled_from("gcrqlhsxz*"),
                  st.sampled_from(("*", "what", "topic", "confirm", "q1", "")),
                  st.sampled_from(("0", "1", "2", "-1", "zz", "\u0661")),
                  st.text(alphabet=any_char, max_size=20)))),
)
# Mostly presses (small indices are the likely options) with text typed in between: walks
# that reach a report's "Send", the end of the screening questions, the directory.
deep = st.one_of(st.tuples(st.just("press"), st.integers(0, 3)), press, typed)


@st.composite
def walks(draw: st.DrawFn) -> list[tuple[Any, ...]]:
    start = draw(st.sampled_from(("anything", "anything", "report", "report", "offer", "menu",
                                  "questions", "contacts", "learn")))
    steps: list[tuple[Any, ...]] = []
    if start == "report":
        steps += [("command", "report", "", draw(hints)), draw(typed)]
    elif start == "offer":
        steps.append(("text", draw(offer)))
    elif start == "contacts":
        place = st.sampled_from(("Medan", "Jakarta", "Бишкек", "Osh", "Jogja", "Питер", "Sabah"))
        steps += [("command", "contacts", "", draw(hints)),
                  ("text", draw(st.one_of(place, hostile_text)))]
    else:
        steps.append(("command", {"menu": "start"}.get(start, start), "", draw(hints)))
    more = anything if start == "anything" else deep
    return steps + draw(st.lists(more, min_size=1, max_size=14))


LONE_SURROGATE_REPORT = [("command", "report", "", "en"),
                         ("text", "Seorang calo \ud83d menahan paspor anak-anak gadis.")]
SURROGATE_CHECK = [("text", "Lowongan kerja ke Malaysia \ud800, gaji 20 juta, paspor disimpan "
                            "agen, tidak perlu pengalaman.")]
LONG_REPORT = [("command", "report", "", "en"), ("text", "a" * 100_000)]
MARKUP_REPORT = [("command", "report", "", "en"),
                 ("text", "<b>zqx</b> &zqx; *zqx* paspor ditahan agen di Malaysia"),
                 ("press", 0), ("press", 0), ("press", 0), ("press", 3), ("press", 0),
                 ("press", 0)]
NAN_LOCATION = [("command", "report", "", "en"), ("text", "Calo menahan paspor."), ("press", 0),
                ("location", math.nan, math.inf)]


class Harness:
    """The real app on its own event loop, shared by every example of the module."""

    def __init__(self, data_dir: Path) -> None:
        self.loop = asyncio.new_event_loop()
        self.app = self.loop.run_until_complete(build_app(
            Settings(data_dir=data_dir, tips_per_hour=10_000), clock=Clock()))

    def __repr__(self) -> str:  # hypothesis prints it with a falsifying example
        return "Harness()"

    def close(self) -> None:
        self.loop.run_until_complete(self.app.close())
        self.loop.close()


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    started = Harness(tmp_path_factory.mktemp("fuzz-flows") / "data")
    try:
        yield started
    finally:
        started.close()


class Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


_people = itertools.count()


def event_of(step: tuple[Any, ...], shown: list[str]) -> Inbound:
    kind = step[0]
    if kind == "press":
        if not shown:
            return Inbound(kind=Kind.TEXT, text="halo")
        return Inbound(kind=Kind.CHOICE, choice=shown[step[1] % len(shown)])
    if kind == "text":
        return Inbound(kind=Kind.TEXT, text=step[1])
    if kind == "command":
        return Inbound(kind=Kind.COMMAND, command=step[1], args=step[2], locale_hint=step[3])
    if kind == "forward":
        return Inbound(kind=Kind.FORWARD, text=step[1], forward_origin="hidden_user")
    if kind == "media":
        return Inbound(kind=Kind.MEDIA, text=step[1])
    if kind == "location":
        return Inbound(kind=Kind.LOCATION, latitude=step[1], longitude=step[2])
    return Inbound(kind=Kind.CHOICE, choice=step[1])


def rendering_problems(app: App, reply: Reply, lang: str) -> list[str]:
    problems: list[str] = []
    telegram = TextRenderer(app.translator, HTML)
    whatsapp = TextRenderer(app.translator, WHATSAPP)
    try:
        problems += ["telegram: " + p for p in
                     telegram_outgoing_problems(telegram_render(telegram, reply, lang))]
    except Exception as exc:  # the adapter would fail to answer at all
        problems.append(f"telegram render raised {exc!r}")
    try:
        problems += ["whatsapp: " + p for p in
                     whatsapp_problems(whatsapp_render(whatsapp, reply, lang))]
    except Exception as exc:
        problems.append(f"whatsapp render raised {exc!r}")
    if len(reply.choices) > WA_ROWS:
        problems.append(f"{len(reply.choices)} choices: WhatsApp shows only {WA_ROWS}")
    return problems


def describe(step: tuple[Any, ...]) -> str:
    shown = repr(step)
    return shown if len(shown) < 300 else shown[:300] + "…"


@settings(max_examples=300, deadline=None, derandomize=True, database=None,
          phases=(Phase.explicit, Phase.generate), report_multiple_bugs=False,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture,
                                 HealthCheck.large_base_example])
@example(walk=SURROGATE_CHECK)
@example(walk=LONE_SURROGATE_REPORT)
@example(walk=LONG_REPORT)
@example(walk=MARKUP_REPORT)
@example(walk=NAN_LOCATION)
@given(walk=walks())
def test_random_walks_through_every_flow(harness: Harness,
                                         walk: list[tuple[Any, ...]]) -> None:
    loop, app = harness.loop, harness.app
    key = f"reliability-person-{next(_people):06d}"
    errors = Errors()
    logging.getLogger().addHandler(errors)
    try:
        shown: list[str] = []
        for number, step in enumerate(walk):
            event = event_of(step, shown)
            response = loop.run_until_complete(
                asyncio.wait_for(app.runtime.handle(key, event), 60))
            where = f"step {number} {describe(step)}"
            failed = [r.getMessage() for r in errors.records]
            assert not failed, f"{where}: the runtime failed inside: {failed}"
            assert response.replies, f"{where}: no answer at all"
            for reply in response.replies:
                problems = rendering_problems(app, reply, response.lang)
                assert not problems, f"{where}: " + "; ".join(problems[:5])
            with_buttons = [r for r in response.replies if r.choices]
            if with_buttons:
                shown = [c.payload for c in with_buttons[-1].choices]
    finally:
        logging.getLogger().removeHandler(errors)
