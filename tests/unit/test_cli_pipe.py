"""Which broken pipe is a closed stdout (bot/cli.py): only stdout's own reader going away
is the quiet 141; a broken connection elsewhere is an error line."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
from collections.abc import Iterator

import pytest

from bot import cli


@contextlib.contextmanager
def streams(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[int, io.StringIO]]:
    """sys.stdout on a real pipe (yields its read end, which the test may close) and
    sys.stderr in memory. Set inside the test: pytest's own capture replaces both when
    the test starts, so fixtures could not."""
    read_end, write_end = os.pipe()
    stdout = os.fdopen(write_end, "w")
    stderr = io.StringIO()
    monkeypatch.setattr("sys.stdout", stdout)
    monkeypatch.setattr("sys.stderr", stderr)
    try:
        yield read_end, stderr
    finally:
        monkeypatch.undo()
        stdout.close()
        with contextlib.suppress(OSError):  # the test may have closed it
            os.close(read_end)


def _failing(_: argparse.Namespace) -> int:
    raise BrokenPipeError(32, "Broken pipe")


def test_a_pipe_broken_elsewhere_is_an_error_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_command", lambda args: _failing)
    with streams(monkeypatch) as (_, stderr):
        closed = cli._stdout_closed()
        status = cli.main(["directory", "validate"])
    assert not closed
    assert status == cli.EXIT_FAILURE
    assert stderr.getvalue().startswith("error: a connection closed")


def test_stdouts_reader_gone_is_the_quiet_141(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_command", lambda args: _failing)
    with streams(monkeypatch) as (reader, stderr):
        os.close(reader)
        closed = cli._stdout_closed()
        status = cli.main(["directory", "validate"])
    assert closed
    assert status == cli.EXIT_PIPE
    assert stderr.getvalue() == ""
