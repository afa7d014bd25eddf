"""The digest's chart: tips per week by topic over the last eight weeks, as a PNG.

Drawn with Pillow (already a dependency for photos) rather than matplotlib: a stacked bar
chart needs a few rectangles and labels, and one figure costs about a millisecond here
instead of tens, which matters when a hundred organisations get their digest in one run.
Title, axis and legend are in the organisation's language (``ChartLabels``), drawn with
DejaVu Sans so Cyrillic shows (bot/orgs/fonts.py); the title travels as the photo's
caption too.
"""

from __future__ import annotations

import io
import textwrap
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from PIL import Image, ImageColor, ImageDraw

from bot.orgs.fonts import font_or_default
from referral_directory.routing import TipTopic

WEEKS = 8
WIDTH, HEIGHT = 720, 400
# Okabe–Ito: told apart with the common kinds of colour blindness.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442",
           "#000000")
_LEFT, _RIGHT, _TOP, _BOTTOM = 48, 200, 40, 48
_LEGEND_CHARS = 22  # a topic's name in at most two lines of this width beside the plot
_COLOURS = ("white", "black", "#444444", "#DDDDDD", *PALETTE)
_PALETTE_BYTES = bytes(
    c for name in _COLOURS for c in ImageColor.getrgb(name)[:3])


@dataclass(frozen=True, slots=True)
class ChartLabels:
    """The chart's words in one language; topics by id (an unknown id shows as it is)."""

    title: str = "Tips per week by topic, last 8 weeks"
    axis: str = "week starting (Monday)"
    empty: str = "no tips in these weeks"
    topics: Mapping[str, str] = field(default_factory=dict)


def week_starts(today: date, weeks: int = WEEKS) -> list[date]:
    """Mondays of the last ``weeks`` weeks, oldest first, the current week last."""
    monday = week_of(today)
    return [monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def chart_png(weeks: Sequence[date], counts: Mapping[date, Counter[str]],
              labels: ChartLabels | None = None) -> bytes:
    """Stacked bars, one per week; topics in a fixed order so colours mean the same in
    every digest."""
    labels = labels or ChartLabels()
    seen = {t for week in weeks for t in counts.get(week, Counter())}
    known = [t.value for t in TipTopic]
    topics = [t for t in known if t in seen] + sorted(seen - set(known))
    # A topic keeps its colour in every digest and every week.
    colours = {t: PALETTE[(known.index(t) if t in known else len(known) + i) % len(PALETTE)]
               for i, t in enumerate(topics)}
    totals = [sum(counts.get(week, Counter()).values()) for week in weeks]
    top = _nice_top(max(totals, default=0))
    # A palette image: twelve colours encode to PNG four times faster (and smaller) than
    # RGB; labels lose anti-aliasing, which at this size reads fine.
    image = Image.new("P", (WIDTH, HEIGHT), 0)
    image.putpalette(_PALETTE_BYTES)
    draw = ImageDraw.Draw(image)
    font = font_or_default(13)
    draw.text((WIDTH / 2, 8), labels.title, fill="black", font=font_or_default(15, True),
              anchor="ma")
    plot_w, plot_h = WIDTH - _LEFT - _RIGHT, HEIGHT - _TOP - _BOTTOM
    base = _TOP + plot_h

    for step in range(5):  # horizontal grid with its scale
        value = top * step // 4
        y = base - plot_h * step / 4
        draw.line((_LEFT, y, _LEFT + plot_w, y), fill="#DDDDDD")
        draw.text((_LEFT - 6, y), str(value), fill="#444444", font=font, anchor="rm")

    slot = plot_w / len(weeks)
    bar = slot * 0.6
    for i, week in enumerate(weeks):
        x0 = _LEFT + slot * i + (slot - bar) / 2
        y = float(base)
        for topic in topics:
            n = counts.get(week, Counter()).get(topic, 0)
            if n:
                height = plot_h * n / top
                draw.rectangle((x0, y - height, x0 + bar, y), fill=colours[topic])
                y -= height
        if totals[i]:
            draw.text((x0 + bar / 2, y - 3), str(totals[i]), fill="black", font=font,
                      anchor="md")
        draw.text((x0 + bar / 2, base + 8), f"{week:%d.%m}", fill="#444444", font=font,
                  anchor="ma")
    draw.line((_LEFT, base, _LEFT + plot_w, base), fill="black")
    draw.text((_LEFT + plot_w / 2, HEIGHT - 6), labels.axis, fill="#444444",
              font=font, anchor="md")

    legend_x = WIDTH - _RIGHT + 16
    for i, topic in enumerate(reversed(topics)):  # same order as the stack, top first
        y = _TOP + 8 + i * 40
        draw.rectangle((legend_x, y, legend_x + 14, y + 14), fill=colours[topic])
        lines = [_fit(draw, line, font, WIDTH - legend_x - 24) for line in textwrap.wrap(
            labels.topics.get(topic, topic), _LEGEND_CHARS, max_lines=2, placeholder="…")]
        draw.multiline_text((legend_x + 20, y), "\n".join(lines), fill="black", font=font,
                            spacing=2)
    if not topics:
        draw.text((_LEFT + plot_w / 2, _TOP + plot_h / 2), labels.empty,
                  fill="#444444", font=font, anchor="mm")

    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def _fit(draw: ImageDraw.ImageDraw, text: str, font: object, width: float) -> str:
    """The text, cut with "…" where it is wider than ``width`` pixels in this font."""
    if draw.textlength(text, font=font) <= width:  # type: ignore[arg-type]
        return text
    while text and draw.textlength(text + "…", font=font) > width:  # type: ignore[arg-type]
        text = text[:-1]
    return text.rstrip() + "…"


def _nice_top(value: int) -> int:
    """A round scale top at or above ``value`` that divides into four grid steps."""
    if value <= 4:
        return 4
    magnitude = 10 ** (len(str(value)) - 1)
    for factor in (1, 2, 4, 5, 8, 10):
        top = factor * magnitude
        if top >= value and top % 4 == 0:
            return top
    return -(-value // 4) * 4
