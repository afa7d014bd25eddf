"""TextRenderer.messages() renders and splits a reply without joining it into one text first
(digests, bot/rendering.py): it must give exactly the messages that ``split`` gives for the
joined text, and a reply's parts must render as they do one by one."""

from __future__ import annotations

import random

from bot.i18n import Translator
from bot.orgs.digests import RECRUITER_LINE, TIP_LINE
from bot.rendering import HTML, PLAIN, TextRenderer, split
from flows.types import Bullets, Msg, Part, Quote, Text, msg, nmsg

TRANSLATOR = Translator.load()
# Pieces chosen for the cuts: line breaks at either end and inside, blank paragraphs,
# runs of spaces, entities, bold marks, long words.
_PIECES = ["", " ", "   ", "\n", "\n\n", "\n\n\n", "a", "kerja", "Работа", "🙂", "&", "<b>",
           "x" * 37, "y" * 150, "*bold*", "* not bold", "{n}", ",", "\r\n", "\t"]


def _text(rng: random.Random) -> str:
    return "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 12)))


def _part(rng: random.Random, shared: list[Part]) -> Part:
    kind = rng.randrange(8)
    if kind == 0 and shared:
        return rng.choice(shared)  # the same object again, as a digest's shared lines are
    if kind == 1:
        return Quote(_text(rng))
    if kind == 2:
        return Text(_text(rng))
    if kind == 3:
        return Bullets((msg("By place: {counts}", counts=_text(rng)), Quote(_text(rng))))
    if kind == 4:
        return nmsg("The same number is in {n} other tip: {refs}",
                    "The same number is in {n} other tips: {refs}", rng.randint(1, 9),
                    refs=_text(rng))
    if kind == 5:
        return Msg(RECRUITER_LINE.msgid, {"recruiter": _text(rng)})
    if kind == 6:
        return msg("Red flags: {flags}", flags=Quote(_text(rng)))
    return Msg(TIP_LINE.msgid, {"ref": f"T-2611-{rng.randint(0, 99):05d}",
                                "date": rng.choice(["2026-11-25", "2026-11-26"]),
                                "place": rng.choice(["Medan", "<Bishkek>", _text(rng)]),
                                "topic": rng.choice(["Perdagangan orang", "A & B"]),
                                "risk": rng.choice(["high risk", "risiko tinggi"])})


def test_messages_are_the_split_of_the_joined_text() -> None:
    rng = random.Random(18)
    # Plain text only at real limits: split() reads a "<" in plain text as a tag's, and
    # at a dozen characters a cut beside one can loop (it does before messages() too).
    for markup, limits in ((HTML, [12, 40, 100, 300, 4096]), (PLAIN, [4096, 1000])):
        renderer = TextRenderer(TRANSLATOR, markup)
        for _ in range(1500):
            shared: list[Part] = []
            parts: list[Part] = []
            for _ in range(rng.randint(0, 40)):
                part = _part(rng, shared)
                shared.append(part)
                parts.append(part)
            lang = rng.choice(["id", "ru", "en"])
            limit = rng.choice(limits)
            joined = renderer.parts(tuple(parts), lang)
            assert renderer.messages(tuple(parts), lang, limit) == split(joined, limit)
            # A reply renders as its parts do one by one (the values escaped once per
            # reply are the same escaped values).
            assert joined == "\n\n".join(renderer.part(p, lang) for p in parts)


def test_a_reply_that_fits_is_one_message() -> None:
    renderer = TextRenderer(TRANSLATOR, HTML)
    parts = (Msg(TIP_LINE.msgid, {"ref": "T-1", "date": "d", "place": "<p>", "topic": "t",
                                  "risk": "r"}), Quote("a & b"))
    assert renderer.messages(parts, "en", 4096) == [
        "<b>T-1</b> d · &lt;p&gt; · t · r\n\na &amp; b"]
    assert renderer.messages((), "en", 4096) == [""] == split("", 4096)
