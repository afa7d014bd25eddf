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
