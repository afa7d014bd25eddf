"""Property-based tests of both renderers on arbitrary replies, and of the digest a tip
full of markup becomes.

Replies are drawn from the real message catalog (every singular msgid of
locales/messages.pot with its placeholders filled by hostile text), user quotes up to
100,000 characters, guidance text with bold marks, bullet lists and up to 10 buttons whose
labels may be user text. Properties:
- Telegram (bot/adapters/telegram/render.py + bot/rendering.py): no exception; every
  message is HTML Telegram accepts (only <b>, balanced in each message, every other <, >
  and & escaped: html.parser finds no other tag) with 1-4,096 characters after entity
  parsing; the user's markup never appears unescaped; splitting loses nothing (the
  messages together show the whole text, blanks aside).
- WhatsApp (bot/adapters/whatsapp/render.py): no exception; every message within the Cloud
  API's limits (text 4,096, interactive body 1,024, button titles 20, list rows 24,
  descriptions 72, ids); the user's *bold* marks neutralised; no button dropped.

Runtime: about 5-15 s (hypothesis, derandomized, 200 replies per renderer property; the
explicit examples are the smallest known reproductions; one real app for the digest).
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from pathlib import Path

from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from bot.adapters.telegram.render import HTML
from bot.adapters.telegram.render import render as telegram_render
from bot.adapters.whatsapp.render import WHATSAPP
from bot.adapters.whatsapp.render import render as whatsapp_render
from bot.app import build_app
from bot.i18n import Translator
from bot.rendering import TextRenderer
from bot.settings import Settings
from flows.payload import Payload
from flows.text import clean_text
from flows.types import Bullets, Choice, ChoiceStyle, Msg, Quote, Reply, Text, msg
from tests.helpers.clock import Clock
from tests.helpers.events import command, press, text
from tests.helpers.reliability_checks import (
    catalog_messages,
    hostile_text,
    long_text,
    telegram_html_problems,
    telegram_outgoing_problems,
    telegram_visible,
    user_text,
    whatsapp_problems,
)

TRANSLATOR = Translator.load()
TELEGRAM = TextRenderer(TRANSLATOR, HTML)
WHATSAPP_TEXT = TextRenderer(TRANSLATOR, WHATSAPP)
RUNS = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                phases=(Phase.explicit, Phase.generate), report_multiple_bugs=False,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.large_base_example])


# What flows quote of a person: cleaned text (flows/text.py), never empty.
quoted = user_text.map(lambda raw: clean_text(raw) or "x")
short_words = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="*\n\r"),
                      min_size=1, max_size=40).map(lambda raw: clean_text(raw) or "x")


@st.composite
def catalog_msg(draw: st.DrawFn) -> Msg:
    msgid, names, bold = draw(st.sampled_from(catalog_messages()))
    params = {name: draw(st.builds(Quote, short_words) if name in bold else st.one_of(
        st.builds(Quote, quoted), quoted, st.integers(-10**12, 10**12))) for name in names}
    return Msg(msgid, params)


# Button labels are our own words or names (a learn module's title, an organisation's):
# never empty, so neither are the drawn ones.
label = st.one_of(st.builds(lambda a, b: Quote(f"{a}Opsi{b}"), hostile_text,
                            st.one_of(hostile_text, long_text(100, 500))),
                  st.sampled_from([msg(m) for m, names, _ in catalog_messages() if not names]))
# Guidance text (flows/learn): our own paragraphs with short bold phrases.
guidance = st.builds(lambda a, b, c: f"{a} *{b}* {c}".replace("**", ""),
                     quoted.map(lambda t: t.replace("*", "")), short_words,
                     quoted.map(lambda t: t.replace("*", "")))
parts = st.lists(st.one_of(
    catalog_msg(), catalog_msg(), st.builds(Quote, quoted), st.builds(Text, guidance),
    st.builds(lambda items: Bullets(tuple(items)),
              st.lists(st.one_of(catalog_msg(), st.builds(Quote, quoted)), min_size=1,
                       max_size=6)),
), min_size=1, max_size=8)


@st.composite
def replies(draw: st.DrawFn) -> Reply:
    count = draw(st.integers(0, 14))  # WhatsApp holds ten rows a list: more go on
    values = draw(st.lists(st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1,
                                   max_size=12), min_size=count, max_size=count, unique=True))
    choices = tuple(Choice(Payload("r", "s", draw(st.integers(0, 10**6)), value).pack(),
                           draw(label)) for value in values)
    return Reply(parts=tuple(draw(parts)), choices=choices,
                 style=draw(st.sampled_from(list(ChoiceStyle))))


languages = st.sampled_from(("id", "ru", "en"))
AMPERSANDS = Reply(parts=(Quote("&" * 5000),))
BLANKS = Reply(parts=(Quote("a\n\n" + " " * 5000 + "\n\nb"),))


def _ink(value: str) -> str:
    return re.sub(r"\s+", "", value)


@RUNS
@example(reply=AMPERSANDS, lang="id")
@example(reply=BLANKS, lang="en")
@given(reply=replies(), lang=languages)
def test_telegram_render_is_valid_html_within_limits(reply: Reply, lang: str) -> None:
    outgoing = telegram_render(TELEGRAM, reply, lang)
    problems = telegram_outgoing_problems(outgoing)
    assert not problems, "; ".join(problems[:5])
    whole = telegram_visible(TELEGRAM.parts(reply.parts, lang))
    shown = "".join(telegram_visible(out.text) for out in outgoing)
    assert _ink(shown) == _ink(whole), "splitting lost or changed text"
    keyboard = outgoing[-1].keyboard
    assert len(keyboard.inline_keyboard if keyboard else []) == len(reply.choices)


@RUNS
@given(reply=replies(), lang=languages)
def test_whatsapp_render_is_within_the_cloud_api_limits(reply: Reply, lang: str) -> None:
    messages = whatsapp_render(WHATSAPP_TEXT, reply, lang)
    problems = whatsapp_problems(messages)
    assert not problems, "; ".join(problems[:5])
    if reply.choices:
        # Every choice is offered once, over the lists that hold more than ten.
        actions = [m["interactive"]["action"] for m in messages if m["type"] == "interactive"]
        offered = [b for a in actions for b in a.get("buttons", ())] + [
            r for a in actions for s in a.get("sections", ()) for r in s["rows"]]
        assert len(offered) == len(reply.choices), "a button was dropped"


TIP_OF_AMPERSANDS = "Pak&Darmo&" * 300


def test_a_digest_of_a_tip_full_of_ampersands_is_valid_telegram_html(tmp_path: Path) -> None:
    """The reachable case of the renderer's split: a reporter's text of 3,000 characters
    thick with "&" and no blank to cut at ("Pak&Darmo&…": words enough to be a tip) becomes
    a digest and an urgent alert for organisations on Telegram."""

    async def scenario() -> list[str]:
        app = await build_app(Settings(data_dir=tmp_path / "data"), clock=Clock())
        try:
            key = "reliability-digest-person"
            steps = [command("lang", "en"), command("report"), text(TIP_OF_AMPERSANDS)]
            for step in steps:
                response = await app.runtime.handle(key, step)
            # Trafficking, skip the place, Indonesia at the one-time country question (a tip
            # with no place and no country goes to nobody), skip the time, "No" danger, skip
            # the recruiter, NGOs only, "Send".
            for index in (0, 0, 0, 0, 3, 0, 0, 0):
                response = await app.runtime.handle(key, press(
                    [r for r in response.replies if r.choices][-1].choices[index].payload))
            db = sqlite3.connect(app.data_dir / "bot.sqlite3")
            (org_id,) = db.execute("select org_id from tip_routes limit 1").fetchone()
            db.close()
            rows = await app.digests.pending(org_id)
            assert rows and rows[0].text == TIP_OF_AMPERSANDS
            return app.digests.render(org_id, app.digests.content(org_id, rows))
        finally:
            await app.close()

    chunks = asyncio.run(scenario())
    problems = [f"message {n}: {p}" for n, chunk in enumerate(chunks)
                for p in telegram_html_problems(chunk)]
    assert not problems, "; ".join(problems[:5])
