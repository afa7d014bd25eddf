"""``python main.py analyze``: the red-flag analyzer from the command line.

``--jsonl [FILE]`` reads ``{"id", "text", "lang"?}`` lines (stdin by default) and writes one
line per input line, in order: ``{"id", "risk", "flags", "evidence", "good_signs",
"language"}``, or ``{"id", "line", "error"}`` for a line that cannot be checked (not JSON,
no id, a non-string text, an unknown language, too long). It never stops on bad input.
Without ``--jsonl`` it explains one text in plain words. ``--image FILE`` reads the text of
a picture (bot/ocr) and explains it; with ``--json`` it prints the fields of a ``--jsonl``
line (``"id"`` is FILE) plus ``"ocr_text"``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from flows.locale import SUPPORTED
from flows.red_flags import Analysis, Analyzer

MAX_LINE_CHARS = 100_000
_LANGS = ", ".join(SUPPORTED)


class LineTooLong:
    """Stands for an input line longer than the limit, which is skipped, never held whole."""


def bounded_lines(source: IO[str], limit: int = MAX_LINE_CHARS) -> Iterator[str | LineTooLong]:
    """The lines of ``source``; a longer line is read past in pieces of ``limit``
    characters, so a file with no newline cannot fill the memory."""
    while True:
        line = source.readline(limit + 1)
        if not line:
            return
        if line.endswith("\n") or len(line) <= limit:  # at most ``limit`` before the newline
            yield line
            continue
        while line and not line.endswith("\n"):
            line = source.readline(limit + 1)
        yield LineTooLong()


def analyze_lines(analyzer: Analyzer, lines: Iterable[str | LineTooLong],
                  lang: str | None = None, country: str | None = None
                  ) -> Iterator[dict[str, Any]]:
    for number, line in enumerate(lines, start=1):
        yield analyze_line(analyzer, line, number, lang, country)


def analyze_line(analyzer: Analyzer, line: str | LineTooLong, number: int,
                 default_lang: str | None = None, country: str | None = None
                 ) -> dict[str, Any]:
    if isinstance(line, LineTooLong) or len(line.rstrip("\n")) > MAX_LINE_CHARS:
        return _error(None, number, f"line longer than {MAX_LINE_CHARS} characters")
    item, problem = _parse(line)
    if item is None:
        return _error(None, number, problem)
    ident = item.get("id")
    if not _valid_id(ident):
        return _error(None, number, "missing 'id': give each line an \"id\" (a string or "
                                    "an integer) to find its result by"
                      if ident is None else "'id' must be a string or an integer")
    text = item.get("text")
    if not isinstance(text, str):
        return _error(ident, number, "missing or non-string 'text'")
    lang = item.get("lang", default_lang)
    if lang is not None and lang not in SUPPORTED:
        return _error(ident, number, f"'lang' must be one of {_LANGS} (or left out to "
                                     f"detect it), not {json.dumps(lang)[:40]}")
    return {"id": ident, **analyzer.analyze(text, lang=lang, country=country).to_json()}


def _parse(line: str) -> tuple[dict[str, Any] | None, str]:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, f"not JSON: {exc.msg}"
    except RecursionError:
        return None, "not JSON we read: nested too deeply"
    if not isinstance(item, dict):
        return None, "expected a JSON object"
    return item, ""


def _valid_id(ident: object) -> bool:
    # Booleans are ints to Python, and a float id (NaN) would make the output invalid JSON.
    return isinstance(ident, str) or (isinstance(ident, int) and not isinstance(ident, bool))


def _error(ident: object, number: int, message: str) -> dict[str, Any]:
    return {"id": ident, "line": number, "error": message}


# json.dumps(..., ensure_ascii=False) with the encoder made once (json.dumps makes one per
# call when given an option); the same output.
_READABLE = json.JSONEncoder(ensure_ascii=False).encode


def to_line(result: dict[str, Any]) -> str:
    """One output line; readable UTF-8, or \\u escapes when the input held a lone
    surrogate ("\\ud800" in an id), which UTF-8 cannot carry."""
    line = _READABLE(result)
    if not line.isascii():  # an ASCII line is UTF-8 already
        try:
            line.encode("utf-8")
        except UnicodeEncodeError:
            line = json.dumps(result)
    return line + "\n"


def run_jsonl(source: IO[str], sink: IO[str], lang: str | None = None,
              country: str | None = None) -> int:
    analyzer = Analyzer.load()
    write = sink.write
    for result in analyze_lines(analyzer, bounded_lines(source), lang, country):
        write(to_line(result))
    sink.flush()
    return 0


def run_image(path: str, as_json: bool, lang: str | None, country: str = "") -> int:
    """``analyze --image FILE``: the picture read with Tesseract, then checked as a text."""
    from bot.ocr import Status, read_picture
    from bot.ocr.languages import packs_for
    from bot.ocr.tesseract import installed_languages
    from bot.settings import Settings

    installed = installed_languages()
    if not installed:
        print("error: reading pictures needs Tesseract and its language packs, e.g. apt-get "
              "install tesseract-ocr tesseract-ocr-ind tesseract-ocr-rus (README, Pictures)",
              file=sys.stderr)
        return 1
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        print(f"error: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 1
    reading = read_picture(data, packs_for(lang or "", country, installed),
                           Settings().ocr_timeout_seconds)
    problem = {Status.REJECTED: "is not a picture I can read (JPEG, PNG, WebP, GIF, BMP or "
                                "TIFF, at most 40 megapixels)",
               Status.FAILED: "could not be read in time (OCR_TIMEOUT_SECONDS)",
               Status.NO_TEXT: "shows no text I can read"}.get(reading.status)
    if problem is not None:
        print(f"error: {path} {problem}", file=sys.stderr)
        return 1
    if as_json:
        analysis = Analyzer.load().analyze(reading.text, lang=lang, country=country or None)
        sys.stdout.write(to_line({"id": path, **analysis.to_json(),
                                  "ocr_text": reading.text}))
        return 0
    excerpt = " ".join(reading.text.split())
    print(f"read from the picture: {excerpt[:200]}{'…' if len(excerpt) > 200 else ''}")
    return run_text(reading.text, lang, country)


def run_text(text: str, lang: str | None, country: str = "") -> int:
    from bot.commands.directory import data_dir_setting, load_view
    from bot.i18n import Translator
    from bot.rendering import TextRenderer
    from flows.check_offer.steps import no_offer_parts, no_verdict, unread_parts, verdict_parts

    # The directory the bot serves: the shipped one with the operator's overlay merged.
    directory = load_view(data_dir_setting())
    if directory is None:
        return 2
    analysis: Analysis = Analyzer.load().analyze(text, country=country or None)
    reply_lang = lang or analysis.language or "en"
    renderer = TextRenderer(Translator.load())
    # The chat's own answer: a question or a warning gets the checklist, an offer its
    # verdict with the route facts of the person's country and the job's.
    kind = no_verdict(analysis)
    unread = unread_parts(text, reply_lang)
    parts = (no_offer_parts(analysis, kind, unread) if kind or (unread and not analysis.flags)
             else [*unread, *verdict_parts(analysis, reply_lang, country, directory)])
    print(f"risk: {analysis.risk}  flags: {', '.join(analysis.flag_ids) or '-'}")
    print()
    print(renderer.parts(tuple(parts), reply_lang))
    return 0


def _utf8_stdin() -> IO[str]:
    # Read stdin as a file is read: UTF-8, undecodable bytes as U+FFFD, whatever the locale.
    if hasattr(sys.stdin, "reconfigure"):
        sys.stdin.reconfigure(encoding="utf-8", errors="replace")
    return sys.stdin


def main(jsonl: bool, source: str | None, lang: str | None, country: str | None = None,
         *, image: str | None = None, as_json: bool = False) -> int:
    code = ""
    if country is not None:
        from flows.countries import resolve_country

        code = resolve_country(country) or ""
        if not code:
            print(f"error: no country {country!r}: give an ISO 3166-1 alpha-2 code such as KG, "
                  "or a country's name", file=sys.stderr)
            return 1
    if image is not None and (jsonl or source is not None):
        print("error: --image FILE reads one picture; give no text or --jsonl with it",
              file=sys.stderr)
        return 1
    if image is not None:
        return run_image(image, as_json, lang, code)
    if as_json:
        print("error: --json goes with --image FILE (for texts, use --jsonl)",
              file=sys.stderr)
        return 1
    if jsonl:
        return _jsonl(source, lang, code or None)
    text = source if source is not None else _utf8_stdin().read(MAX_LINE_CHARS + 1)
    if len(text) > MAX_LINE_CHARS:
        print(f"error: the text is longer than {MAX_LINE_CHARS} characters; check one offer "
              "at a time", file=sys.stderr)
        return 1
    if not text.strip():
        print("error: give the text to check, e.g. python main.py analyze \"…\"",
              file=sys.stderr)
        return 1
    return run_text(text, lang, code)


def _jsonl(source: str | None, lang: str | None, country: str | None = None) -> int:
    if source in (None, "-"):
        return run_jsonl(_utf8_stdin(), sys.stdout, lang, country)
    try:
        fh = open(source, encoding="utf-8", errors="replace")  # noqa: PTH123, SIM115
    except OSError as exc:
        print(f"error: cannot read {source}: {exc.strerror}", file=sys.stderr)
        return 1
    # Outside the try above: a closed stdout is not "cannot read FILE" (bot/cli.py).
    with fh:
        return run_jsonl(fh, sys.stdout, lang, country)
