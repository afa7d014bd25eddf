"""Turns transport-neutral replies into the text of one channel.

Each channel supplies how to escape user text and how to mark bold; templates come from
our own catalogs and may carry ``*bold*`` marks, parameters are escaped. A translation
whose placeholders do not match falls back to English instead of failing the reply.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.i18n import Translator
from flows.types import Bullets, Msg, Part, Quote, Text

log = logging.getLogger(__name__)

_BOLD = re.compile(r"\*([^*\n]+)\*")


@dataclass(frozen=True, slots=True)
class Markup:
    """How a channel escapes plain text and marks bold."""

    escape: Callable[[str], str]
    bold: Callable[[str], str]


PLAIN = Markup(escape=lambda s: s, bold=lambda s: s)


# Telegram's HTML: every piece of user text escaped, bold as <b>. Here, not in the Telegram
# adapter, so that what renders digests and the console never imports aiogram (start-up).
def _html_escape(text: str) -> str:
    """``html.escape(text, quote=False)``, one call less (digests escape ~10 values a tip);
    most text has none of the three, and looking is cheaper than three replacements."""
    if "&" in text or "<" in text or ">" in text:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


HTML = Markup(escape=_html_escape, bold=lambda s: f"<b>{s}</b>")


class TextRenderer:
    def __init__(self, translator: Translator, markup: Markup = PLAIN) -> None:
        self._translator = translator
        self._markup = markup
        # Templates are few and fixed: escape and mark each one once.
        self._prepared: dict[str, str] = {}
        # And look each up once per language (a digest renders thousands of the same few).
        self._marked: dict[tuple[str, str, str | None, int | None], str] = {}
        self._singular: dict[str, dict[str, str]] = {}  # without plural: by language, id
        self._escape = markup.escape

    @property
    def translator(self) -> Translator:
        return self._translator

    def part(self, part: Part, lang: str) -> str:
        if type(part) is Msg:  # most parts: skip the checks below
            return self.message(part, lang)
        if isinstance(part, Quote):
            return self._markup.escape(part.text)
        if isinstance(part, Text):
            return self._mark(part.text)
        if isinstance(part, Bullets):
            return "\n".join("• " + self.part(item, lang) for item in part.items)
        return self.message(part, lang)

    def message(self, message: Msg, lang: str) -> str:
        return self._message(message, lang, None)

    def _message(self, message: Msg, lang: str, escaped: dict[str, str] | None) -> str:
        """``escaped``: plain values already escaped in this reply (a digest's tips repeat
        their days, places, topics and risks), filled in as they go."""
        escape = self._escape
        if escaped is None:
            params = {k: escape(v) if type(v) is str else escape(v.text) if type(v) is Quote
                      else self._param(v, lang) for k, v in message.params.items()}
        else:
            params = {}
            for k, v in message.params.items():
                if type(v) is str:
                    text = escaped.get(v)
                    if text is None:
                        text = escaped[v] = escape(v)
                    params[k] = text
                else:
                    params[k] = escape(v.text) if type(v) is Quote else self._param(v, lang)
        if message.plural is None:  # most messages: looked up by language, then id
            marks = self._singular.get(lang)
            if marks is None:
                marks = self._singular[lang] = {}
            marked = marks.get(message.msgid)
            if marked is None:
                marked = self._prepare(self._translator.template(message, lang))
                if len(marks) < 10_000:
                    marks[message.msgid] = marked
        else:
            key = (lang, message.msgid, message.plural, message.n)
            marked = self._marked.get(key)
            if marked is None:
                marked = self._prepare(self._translator.template(message, lang))
                if len(self._marked) < 10_000:
                    self._marked[key] = marked
        try:
            return marked.format_map(params)
        except (KeyError, IndexError, ValueError):
            # A translator's typo must never cost a person the answer: fall back to English.
            log.warning("i18n.bad_placeholders lang=%s", lang)
            return self._fill(self._translator.english(message), params)

    def parts(self, parts: tuple[Part, ...], lang: str) -> str:
        return "\n\n".join(self._texts(parts, lang))

    def messages(self, parts: tuple[Part, ...], lang: str, limit: int) -> list[str]:
        """``split(self.parts(parts, lang), limit)``, without joining the paragraphs into
        one text to cut it apart again (a digest of 500 tips has 2,000 of them)."""
        texts = self._texts(parts, lang)
        if sum(map(len, texts)) + 2 * (len(texts) - 1) <= limit:
            return ["\n\n".join(texts)]
        pieces: list[str] = []
        for text in texts:
            if "\n" in text or len(text) > limit:
                if text.startswith("\n") or text.endswith("\n"):
                    # Its line breaks would merge with the "\n\n" between the parts: the
                    # paragraphs are the joined text's (rare: our parts never do this).
                    return split("\n\n".join(texts), limit)
                pieces += _pieces(text, limit)
            else:
                pieces.append(text)  # most parts: one line that fits
        return _pack(pieces, limit)

    def _texts(self, parts: tuple[Part, ...], lang: str) -> list[str]:
        # A part that comes back (a digest's "URGENT" line, a shared list of red flags or
        # recruiter link) is rendered once; the parts live until the join, so ids hold.
        # A quote is escaped without the lookup: it is a tip's own text, never shared.
        done: dict[int, str] = {}
        escaped: dict[str, str] = {}
        out: list[str] = []
        add = out.append
        escape = self._escape
        message = self._message
        for part in parts:
            kind = type(part)
            if kind is Quote:
                add(escape(part.text))
                continue
            text = done.get(id(part))
            if text is None:
                text = done[id(part)] = (message(part, lang, escaped)
                                         if kind is Msg else self.part(part, lang))
            add(text)
        return out

    def _param(self, value: Any, lang: str) -> str:
        if isinstance(value, Msg):
            return self.message(value, lang)
        if isinstance(value, Quote):
            return self._markup.escape(value.text)
        return self._markup.escape(str(value))

    def _fill(self, template: str, params: Mapping[str, str]) -> str:
        return self._prepare(template).format_map(params)

    def _prepare(self, template: str) -> str:
        marked = self._prepared.get(template)
        if marked is None:
            marked = self._mark(template)
            if len(self._prepared) < 10_000:
                self._prepared[template] = marked
        return marked

    def _mark(self, trusted: str) -> str:
        """Our own text with its *bold* marks as the channel's markup, the rest escaped.
        The marks are found before escaping, so an escape that touches "*" (WhatsApp's)
        cannot break them."""
        out: list[str] = []
        position = 0
        for match in _BOLD.finditer(trusted):
            out.append(self._markup.escape(trusted[position:match.start()]))
            out.append(self._markup.bold(self._markup.escape(match.group(1))))
            position = match.end()
        out.append(self._markup.escape(trusted[position:]))
        return "".join(out)


def split(text: str, limit: int) -> list[str]:
    """Paragraphs packed into messages of at most ``limit`` characters; a paragraph longer
    than that is cut at line ends, then at a space, then hard. A hard cut never lands inside
    an HTML entity (``&amp;``) or tag, a bold span cut in two is closed and reopened, and a
    piece with nothing visible in it (a run of spaces) is dropped: Telegram refuses each."""
    if len(text) <= limit:
        return [text]
    return _pack(_pieces(text, limit), limit)


def _pack(pieces: list[str], limit: int) -> list[str]:
    """Pieces packed by length into messages, joined once per message (building each
    candidate copied the message so far once per paragraph: a 500-tip digest has
    thousands); a piece with nothing visible in it is dropped."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for piece in pieces:
        if not piece.strip():
            continue
        grown = size + 2 + len(piece) if current else len(piece)
        if grown <= limit:
            current.append(piece)
            size = grown
        else:
            chunks.append("\n\n".join(current))
            current, size = [piece], len(piece)
    if current:
        chunks.append("\n\n".join(current))
    return chunks


def _pieces(text: str, limit: int) -> list[str]:
    """The text's paragraphs, each longer than ``limit`` cut at line ends, then at a space,
    then hard."""
    pieces: list[str] = []
    for paragraph in text.split("\n\n"):
        if len(paragraph) <= limit:
            pieces.append(paragraph)
            continue
        for line in paragraph.split("\n"):
            pieces.extend(_cut_line(line, limit))
    return pieces


_BOLD_OPEN, _BOLD_CLOSE = "<b>", "</b>"


def _cut_line(line: str, limit: int) -> list[str]:
    out: list[str] = []
    while len(line) > limit:
        room = limit - len(_BOLD_CLOSE)  # space to close a bold span the cut leaves open
        cut = line.rfind(" ", 0, room)
        cut = cut if cut > room // 2 else _safe_cut(line, room)
        head, line = line[:cut], line[cut:].lstrip()
        if head.count(_BOLD_OPEN) > head.count(_BOLD_CLOSE):
            head += _BOLD_CLOSE
            line = _BOLD_OPEN + line
        out.append(head)
    out.append(line)
    return out


def _safe_cut(line: str, cut: int) -> int:
    """Moves a hard cut back to before an entity or tag it would split."""
    amp = line.rfind("&", max(0, cut - 10), cut)
    if amp != -1 and ";" not in line[amp:cut]:
        cut = amp
    lt = line.rfind("<", max(0, cut - 5), cut)
    if lt != -1 and ">" not in line[lt:cut]:
        cut = lt
    return max(cut, 1)
