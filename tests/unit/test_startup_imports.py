"""The console chat and `analyze` never import aiogram: it was 78% of their start-up."""

from __future__ import annotations

import subprocess
import sys


def test_the_console_and_analyze_never_import_aiogram() -> None:
    code = ("import sys; import bot.app, bot.commands.chat, bot.commands.analyze, "
            "bot.adapters.console; print('aiogram' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=120)
    assert done.stdout.strip() == "False"


def test_the_command_line_parser_needs_no_directory() -> None:
    # `analyze` builds the whole parser: the directory's topics are written out there, so
    # the directory and pydantic are not imported for them; the list is the schema's.
    from bot.cli import _TOPICS
    from referral_directory.schema import Topic

    assert _TOPICS.split(", ") == [t.value for t in Topic]
    code = "import sys; import bot.cli; print('referral_directory' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=120)
    assert done.stdout.strip() == "False"
