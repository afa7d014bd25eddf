"""``analyze --jsonl`` reads lines of bounded size: a line with no end is skipped in
pieces, never held whole (bot/commands/analyze.py)."""

from __future__ import annotations

import io

from bot.commands.analyze import LineTooLong, analyze_line, bounded_lines, to_line


class CountingReader(io.StringIO):
    """Remembers the largest piece handed out, to show nothing reads a whole line."""

    largest = 0

    def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
        piece = super().readline(size)
        self.largest = max(self.largest, len(piece))
        return piece


def test_lines_up_to_the_limit_pass_and_longer_ones_are_skipped_in_pieces() -> None:
    source = CountingReader("ab\n" + "x" * 10 + "\n" + "y" * 11 + "\n" + "z" * 95 + "\nlast")
    lines = list(bounded_lines(source, limit=10))
    assert lines[0] == "ab\n" and lines[1] == "x" * 10 + "\n"
    assert isinstance(lines[2], LineTooLong) and isinstance(lines[3], LineTooLong)
    assert lines[4] == "last"
    assert source.largest <= 11


def test_a_line_too_long_is_an_error_line_and_the_next_is_read() -> None:
    source = io.StringIO("q" * 300_000 + '\n{"id": 1, "text": "x"}\n')
    results = [analyze_line(None, line, n)  # type: ignore[arg-type]
               for n, line in enumerate(bounded_lines(source), start=1)
               if isinstance(line, LineTooLong)]
    assert results == [{"id": None, "line": 1,
                        "error": "line longer than 100000 characters"}]


def test_output_lines_are_utf8_or_escaped() -> None:
    assert to_line({"id": "Жанна"}) == '{"id": "Жанна"}\n'
    assert to_line({"id": "\ud800"}) == '{"id": "\\ud800"}\n'
