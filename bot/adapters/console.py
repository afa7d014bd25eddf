"""The console chat: the bot in a terminal, or scripted through a pipe.

Interactive, it prompts; when stdin is not a terminal it reads one user message per line
and prints the replies, so sessions can be scripted and tested. ``/quit`` or end of input
ends it with status 0. Buttons are shown numbered and are chosen by number or by label.
"""

from __future__ import annotations

import asyncio
import getpass
import logging
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO

from bot.keys import KeyBuilder
from bot.rendering import Markup, TextRenderer
from bot.runtime import Runtime, apology, where
from flows.locale import DEFAULT, normalise_locale
from flows.types import Choice, Inbound, Kind, Reply

log = logging.getLogger(__name__)
TRANSPORT = "console"
# The last resort when even the apology cannot be rendered (a broken catalog).
_PLAIN_APOLOGY = ("Sorry, something went wrong on my side. Please try again in a moment. If "
                  "you are in danger, call 112.\n\n")
QUIT = "/quit"
_COMMAND = re.compile(r"^/([A-Za-z_]{1,32})(?:@\w+)?(?:\s+(.*))?$", re.DOTALL)
_ESC = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def environment_locale(environ: Mapping[str, str] | None = None) -> str:
    """The terminal's language from LC_ALL, LC_MESSAGES or LANG ('' for C/POSIX)."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value and normalise_locale(value):
            return value
    return ""


def console_markup(tty: bool) -> Markup:
    def escape(text: str) -> str:
        return _ESC.sub("", text)  # no terminal escape sequences from user text

    def bold(text: str) -> str:
        return f"\033[1m{text}\033[0m" if tty else text

    return Markup(escape=escape, bold=bold)


@dataclass
class _Shown:
    """The buttons of the last reply, so that '2' or a label picks one."""

    choices: tuple[Choice, ...] = ()
    labels: tuple[str, ...] = ()


class ConsoleChat:
    def __init__(self, runtime: Runtime, renderer: TextRenderer, keys: KeyBuilder, *,
                 stdin: IO[bytes], stdout: IO[str], interactive: bool, locale_hint: str = "",
                 user: str | None = None) -> None:
        self._runtime = runtime
        self._renderer = renderer
        self._key = keys.conversation_key(TRANSPORT, user or _local_user())
        self._stdin = stdin
        self._stdout = stdout
        self._interactive = interactive
        self._locale_hint = locale_hint
        self._shown = _Shown()
        self._lang = ""  # of the last answer, for an apology when the next one fails

    async def run(self) -> int:
        while True:
            line = await self._read_line()
            if line is None or line.strip() == QUIT:
                return 0
            # Written outside the guard: a closed stdout ends the chat (bot/cli.py).
            self._write(await self._answer(line))
            await self._runtime.delivered(self._key)  # on screen: a receipt has been seen

    async def _answer(self, line: str) -> str:
        """The text answering one line; one failing message never ends the session."""
        try:
            response = await self._runtime.handle(self._key, self.parse(line))
            text, shown = self._render(response.replies, response.lang)
        except Exception as exc:
            # The class and the frames only: the message may quote the user's text.
            log.error("console.error error=%s at=%s", type(exc).__name__, where(exc))
            return self._apology()
        self._lang = response.lang
        # An answer with no buttons asks for text ("tell what happened", "paste the offer"):
        # a digit typed now is that text, never a button of an earlier answer's menu.
        self._shown = shown
        return text

    def _apology(self) -> str:
        lang = self._lang or normalise_locale(self._locale_hint) or DEFAULT
        try:
            return self._render((apology(),), lang)[0]
        except Exception:
            return _PLAIN_APOLOGY

    def parse(self, line: str) -> Inbound:
        """One typed line as an event: a command, a pressed button, or text."""
        text = line.rstrip("\n")
        stripped = text.strip()
        hint = self._locale_hint
        match = _COMMAND.match(stripped)
        if match:
            return Inbound(kind=Kind.COMMAND, command=match.group(1).lower(),
                           args=(match.group(2) or "").strip(), locale_hint=hint)
        choice = self._pick(stripped)
        if choice is not None:
            return Inbound(kind=Kind.CHOICE, choice=choice.payload, locale_hint=hint)
        return Inbound(kind=Kind.TEXT, text=text, locale_hint=hint)

    def _pick(self, typed: str) -> Choice | None:
        shown = self._shown
        if not shown.choices or not typed:
            return None
        if typed.isdigit():
            index = int(typed) - 1
            return shown.choices[index] if 0 <= index < len(shown.choices) else None
        folded = typed.casefold()
        for choice, label in zip(shown.choices, shown.labels, strict=True):
            if label.casefold() == folded:
                return choice
        return None

    def _render(self, replies: tuple[Reply, ...], lang: str) -> tuple[str, _Shown]:
        """The replies as text, and the buttons now shown (none when they show none)."""
        chunks: list[str] = []
        # The buttons of every reply of one answer stay usable, numbered on (an answer's
        # buttons, then a question asked after it), as a chat keeps both messages' buttons.
        choices: list[Choice] = []
        all_labels: list[str] = []
        for reply in replies:
            chunks.append(self._renderer.parts(reply.parts, lang) + "\n")
            if reply.choices:
                labels = tuple(self._renderer.part(c.label, lang) for c in reply.choices)
                chunks.extend(f"  {number}. {label}\n"
                              for number, label in enumerate(labels, start=len(choices) + 1))
                choices += reply.choices
                all_labels += labels
            chunks.append("\n")
        return "".join(chunks), _Shown(tuple(choices), tuple(all_labels))

    def _write(self, text: str) -> None:
        self._stdout.write(text)
        self._stdout.flush()

    async def _read_line(self) -> str | None:
        if self._interactive:
            try:
                return await asyncio.to_thread(input, "> ")
            except (EOFError, KeyboardInterrupt):
                return None
        raw = await asyncio.to_thread(self._stdin.readline)
        if not raw:
            return None
        # Binary junk must not stop the chat: undecodable bytes become U+FFFD, which the
        # engine recognises and answers politely.
        return raw.decode("utf-8", errors="replace")


def _local_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "local"


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()
