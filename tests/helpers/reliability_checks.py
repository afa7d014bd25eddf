"""What the reliability harness (tests/reliability) checks in every rendered message, and the
hostile inputs it draws: random Unicode with lone surrogates, control characters, RTL marks,
zero-width characters, very long texts, markup meant to escape its quoting.

The limits are the platforms' own, not the adapters' constants, so a wrong constant in an
adapter is caught too:
- Telegram (Bot API sendMessage): 1-4,096 characters of text after entity parsing (TDLib
  counts code points: ``utf8_length(text) > message_text_length_max``); parse_mode HTML
  knows only its tags and the entities &lt; &gt; &amp; &quot; and numeric ones, and every
  other <, > and & must be escaped; callback_data 1-64 bytes; a button needs a text.
- WhatsApp Cloud API (interactive-messages reference): text body 1-4,096 characters; an
  interactive body 1-1,024; reply buttons 1-3 with titles 1-20 characters and unique ids
  up to 256 characters; a list button label 1-20, section titles up to 24, 1-10 rows in
  all, row titles 1-24, descriptions up to 72, row ids up to 200.
"""

from __future__ import annotations

import re
import string
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]

TELEGRAM_TEXT = 4096
TELEGRAM_CALLBACK_BYTES = 64
TELEGRAM_TAGS = frozenset({"b"})  # what bot/adapters/telegram/render.HTML writes
WA_TEXT = 4096
WA_BODY = 1024
WA_BUTTONS = 3
WA_BUTTON_TITLE = 20
WA_BUTTON_ID = 256
WA_LIST_BUTTON = 20
WA_SECTION_TITLE = 24
WA_ROWS = 10
WA_ROW_TITLE = 24
WA_ROW_DESCRIPTION = 72
WA_ROW_ID = 200

# Markers a user might type to break out of quoting; they must never survive verbatim.
INJECTIONS = ("<b>zqx</b>", "</b><i>zqx", "&zqx;", "&lt;zqx", "<a href='x'>zqx</a>",
              "*zqx*", "_zqx_", "~zqx~", "```zqx```", "<script>zqx</script>")

# -- strategies --------------------------------------------------------------------------

SPECIAL = ("\ud800", "\udfff", "\ud83d", "\x00", "\x07", "\x1b[31m", "\x7f", "\x85", "\u200b",
           "\u200c", "\u200d", "\u2060", "\ufeff", "\u200e", "\u200f", "\u202e", "\u2066",
           "\u2069", "\u061c", "\ufffd", "\ue000", "\U0010ffff", "\u0301", "\r", "\r\n", "\n\n",
           "\t", "\u2028", "\u2029", "🇮🇩", "👩‍👩‍👧", "ﷺ", "𝐏𝐚𝐬𝐩𝐨𝐫", "ＰＡＳＰＯＲ", "İ", "ß",
           "<", ">", "&", "&amp;", "&lt;", "*", "_", "~", "`", "|", "{", "}", "{0}", "%s",
           "/", "@", "#", "paspor", "паспорт", "gaji 20 juta", "Malaysia", "+62 812 3456 7890")

# Every code point, lone surrogates included (codec=None leaves them in).
any_char = st.characters(codec=None)
hostile_text = st.one_of(
    st.text(alphabet=any_char, max_size=300),
    st.lists(st.one_of(st.sampled_from(SPECIAL), st.sampled_from(INJECTIONS),
                       st.text(alphabet=any_char, max_size=12)), max_size=40).map("".join),
)


@st.composite
def long_text(draw: st.DrawFn, minimum: int = 4_000, maximum: int = 100_000) -> str:
    """A long text built from a repeated hostile piece (cheap to draw, 4k-100k chars)."""
    piece = draw(st.one_of(st.sampled_from(SPECIAL + INJECTIONS),
                           st.text(alphabet=any_char, min_size=1, max_size=30)))
    size = draw(st.integers(minimum, maximum))
    return (piece * (size // len(piece) + 1))[:size]


user_text = st.one_of(hostile_text, hostile_text, hostile_text, long_text())

# -- Telegram HTML -----------------------------------------------------------------------

_TOKEN = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)>|&(?:#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6}|lt|gt|"
                    r"amp|quot);|[<>&]")
_ENTITY = {"&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"'}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.tags: list[str] = []
        self.odd: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag if not attrs else f"{tag} with attributes")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(f"{tag}/")

    def handle_comment(self, data: str) -> None:
        self.odd.append("comment")

    def handle_decl(self, decl: str) -> None:
        self.odd.append("declaration")

    def handle_pi(self, data: str) -> None:
        self.odd.append("processing instruction")

    def unknown_decl(self, data: str) -> None:
        self.odd.append("declaration")


def telegram_visible(html_text: str) -> str:
    """What Telegram shows of an HTML text: tags removed, entities replaced."""
    out: list[str] = []
    position = 0
    for match in _TOKEN.finditer(html_text):
        out.append(html_text[position:match.start()])
        token = match.group(0)
        if match.group(2) is None and len(token) > 1:  # an entity
            out.append(_ENTITY.get(token) or _charref(token))
        position = match.end()
    out.append(html_text[position:])
    return "".join(out)


def _charref(token: str) -> str:
    number = int(token[3:-1], 16) if token.startswith("&#x") else int(token[2:-1])
    return chr(number) if number < 0x110000 else "\ufffd"


def telegram_html_problems(html_text: str) -> list[str]:
    """Why Telegram would refuse (or mis-show) this parse_mode=HTML message text."""
    problems: list[str] = []
    open_tags: list[str] = []
    for match in _TOKEN.finditer(html_text):
        token = match.group(0)
        if match.group(2) is not None:
            closing, name = match.group(1) == "/", match.group(2).lower()
            if name not in TELEGRAM_TAGS:
                problems.append(f"tag {token!r} at {match.start()}")
            elif closing:
                if not open_tags or open_tags[-1] != name:
                    problems.append(f"unbalanced {token!r} at {match.start()}")
                else:
                    open_tags.pop()
            else:
                open_tags.append(name)
        elif len(token) == 1:
            context = html_text[max(0, match.start() - 12):match.start() + 12]
            problems.append(f"unescaped {token!r} at {match.start()} in {context!r}")
    if open_tags:
        problems.append(f"unclosed tags {open_tags}")
    parser = _Tags()
    parser.feed(html_text)
    parser.close()
    stray = [t for t in parser.tags if t not in TELEGRAM_TAGS]
    if stray:
        problems.append(f"html.parser finds tags {sorted(set(stray))}")
    if parser.odd:
        problems.append(f"html.parser finds {sorted(set(parser.odd))}")
    visible = telegram_visible(html_text)
    if not visible.strip():
        problems.append("empty text (Telegram refuses it)")
    if len(visible) > TELEGRAM_TEXT:
        problems.append(f"{len(visible)} characters after entity parsing (limit {TELEGRAM_TEXT})")
    if any(marker in html_text for marker in INJECTIONS if "<" in marker or "&" in marker):
        problems.append("a user's markup appears unescaped")
    return problems


def telegram_outgoing_problems(outgoing: list[Any]) -> list[str]:
    """Checks the ``Outgoing`` messages of bot/adapters/telegram/render.render."""
    problems: list[str] = []
    if not outgoing:
        problems.append("a reply rendered to no message at all")
    for number, out in enumerate(outgoing):
        problems += [f"message {number}: {p}" for p in telegram_html_problems(out.text)]
        if out.keyboard is not None:
            for row in out.keyboard.inline_keyboard:
                for button in row:
                    data = button.callback_data or ""
                    if not 1 <= len(data.encode("utf-8", "surrogatepass")) <= \
                            TELEGRAM_CALLBACK_BYTES:
                        problems.append(f"callback_data of {len(data.encode())} bytes")
                    if not button.text.strip():
                        problems.append("a button without text")
    return problems


# -- WhatsApp ---------------------------------------------------------------------------

def whatsapp_problems(messages: list[dict[str, Any]]) -> list[str]:
    """Checks the Graph API message objects of bot/adapters/whatsapp/render.render."""
    problems: list[str] = []
    if not messages:
        problems.append("a reply rendered to no message at all")
    for number, m in enumerate(messages):
        where = f"message {number}"
        if m.get("type") == "text":
            body = m["text"]["body"]
            if not body.strip():
                problems.append(f"{where}: empty text body")
            if len(body) > WA_TEXT:
                problems.append(f"{where}: text body of {len(body)} characters")
            problems += _wa_marks(where, body)
            continue
        interactive = m["interactive"]
        body = interactive["body"]["text"]
        problems += _wa_marks(where, body)
        if not body.strip() or len(body) > WA_BODY:
            problems.append(f"{where}: interactive body of {len(body)} characters")
        action = interactive["action"]
        if interactive["type"] == "button":
            buttons = action["buttons"]
            if not 1 <= len(buttons) <= WA_BUTTONS:
                problems.append(f"{where}: {len(buttons)} reply buttons")
            ids = [b["reply"]["id"] for b in buttons]
            if len(set(ids)) != len(ids):
                problems.append(f"{where}: duplicate button ids")
            for b in buttons:
                title, rid = b["reply"]["title"], b["reply"]["id"]
                if not title.strip() or len(title) > WA_BUTTON_TITLE:
                    problems.append(f"{where}: button title {title!r} ({len(title)} chars)")
                if not 1 <= len(rid) <= WA_BUTTON_ID:
                    problems.append(f"{where}: button id of {len(rid)} characters")
        elif interactive["type"] == "list":
            label = action["button"]
            if not label.strip() or len(label) > WA_LIST_BUTTON:
                problems.append(f"{where}: list button {label!r}")
            rows = [r for s in action["sections"] for r in s["rows"]]
            if not 1 <= len(rows) <= WA_ROWS:
                problems.append(f"{where}: {len(rows)} list rows")
            for section in action["sections"]:
                if len(section.get("title", "")) > WA_SECTION_TITLE:
                    problems.append(f"{where}: section title {section['title']!r}")
            ids = [r["id"] for r in rows]
            if len(set(ids)) != len(ids):
                problems.append(f"{where}: duplicate row ids")
            for r in rows:
                if not r["title"].strip() or len(r["title"]) > WA_ROW_TITLE:
                    problems.append(f"{where}: row title {r['title']!r}")
                if len(r.get("description", "")) > WA_ROW_DESCRIPTION:
                    problems.append(f"{where}: row description of "
                                    f"{len(r['description'])} characters")
                if not 1 <= len(r["id"]) <= WA_ROW_ID:
                    problems.append(f"{where}: row id of {len(r['id'])} characters")
        else:
            problems.append(f"{where}: unknown interactive type {interactive['type']!r}")
    return problems


def _wa_marks(where: str, body: str) -> list[str]:
    # A user's *zqx* must reach WhatsApp with its marks neutralised (a zero-width space).
    return [f"{where}: user markup {marker!r} would format itself"
            for marker in INJECTIONS if marker[0] in "*_~`" and marker in body]


# -- the message catalog, for arbitrary replies ------------------------------------------

_BOLD = re.compile(r"\*([^*\n]+)\*")


@lru_cache(maxsize=1)
def catalog_messages() -> tuple[tuple[str, tuple[str, ...], frozenset[str]], ...]:
    """(msgid, placeholder names, the names inside *bold* marks) of every singular message
    in locales/messages.pot. Bold placeholders carry our own short words (a title, a
    reference, a receipt code), never a person's text."""
    from babel.messages.pofile import read_po

    with (ROOT / "locales" / "messages.pot").open("rb") as fh:
        catalog = read_po(fh)
    found = []
    for message in catalog:
        if not message.id or isinstance(message.id, tuple):
            continue
        try:
            names = tuple(sorted({name for _, name, _, _ in string.Formatter().parse(message.id)
                                  if name}))
        except ValueError:
            continue
        bold = frozenset(name for span in _BOLD.findall(message.id)
                         for _, name, _, _ in string.Formatter().parse(span) if name)
        found.append((message.id, names, bold))
    return tuple(found)
