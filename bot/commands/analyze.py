"""``python main.py analyze``: the red-flag analyzer from the command line.

``--jsonl [FILE]`` reads ``{"id", "text"}`` lines (stdin by default) and writes one line per
input line, in order: ``{"id", "risk", "flags", "evidence", "good_signs", "language"}``,
or ``{"id", "line", "error"}`` for a line that is not such an object. It never stops on bad
input. Without ``--jsonl`` it explains one text in plain words.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from typing import IO, Any

from flows.red_flags import Analysis, Analyzer

MAX_LINE_CHARS = 100_000


def analyze_lines(analyzer: Analyzer, lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    for number, line in enumerate(lines, start=1):
        yield analyze_line(analyzer, line, number)


def analyze_line(analyzer: Analyzer, line: str, number: int) -> dict[str, Any]:
    if len(line) > MAX_LINE_CHARS:
        return {"id": None, "line": number, "error": f"line longer than {MAX_LINE_CHARS} "
                "characters"}
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"id": None, "line": number, "error": f"not JSON: {exc.msg}"}
    if not isinstance(item, dict):
        return {"id": None, "line": number, "error": "expected a JSON object"}
    ident = item.get("id")
    text = item.get("text")
    if not isinstance(text, str):
        return {"id": ident, "line": number, "error": "missing or non-string 'text'"}
    lang = item.get("lang") if isinstance(item.get("lang"), str) else None
    return {"id": ident, **analyzer.analyze(text, lang=lang).to_json()}


def run_jsonl(source: IO[str], sink: IO[str]) -> int:
    analyzer = Analyzer.load()
    write = sink.write
    for result in analyze_lines(analyzer, source):
        write(json.dumps(result, ensure_ascii=False) + "\n")
    sink.flush()
    return 0


def run_text(text: str, lang: str | None) -> int:
    from bot.i18n import Translator
    from bot.rendering import TextRenderer
    from flows.check_offer import explain
    from flows.whom_to_call import country_for, whom_to_call
    from referral_directory import load_directory

    analysis: Analysis = Analyzer.load().analyze(text)
    reply_lang = lang or analysis.language or "en"
    renderer = TextRenderer(Translator.load())
    parts = [explain.headline(analysis.risk, len(analysis.flags)),
             *explain.flag_parts(analysis),
             *explain.good_sign_parts(analysis.good_signs, analysis.risk),
             *explain.advice_parts(analysis.risk, country_for(reply_lang)),
             *whom_to_call(load_directory(), reply_lang, analysis.flag_ids)]
    print(f"risk: {analysis.risk}  flags: {', '.join(analysis.flag_ids) or '-'}")
    print()
    print(renderer.parts(tuple(parts), reply_lang))
    return 0


def main(jsonl: bool, source: str | None, lang: str | None) -> int:
    if jsonl:
        if source in (None, "-"):
            return run_jsonl(sys.stdin, sys.stdout)
        try:
            with open(source, encoding="utf-8", errors="replace") as fh:  # noqa: PTH123
                return run_jsonl(fh, sys.stdout)
        except OSError as exc:
            print(f"error: cannot read {source}: {exc.strerror}", file=sys.stderr)
            return 1
    text = source if source is not None else sys.stdin.read()
    if not text.strip():
        print("error: give the text to check, e.g. python main.py analyze \"…\"",
              file=sys.stderr)
        return 1
    return run_text(text, lang)
