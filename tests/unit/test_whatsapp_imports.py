"""`run whatsapp` without a Telegram bot token never imports aiogram (issue #18: it was
78% of the command's import time); with a token, urgent alerts still go through it."""

from __future__ import annotations

import subprocess
import sys


def test_run_whatsapp_imports_no_aiogram() -> None:
    code = ("import sys; import bot.commands.whatsapp, bot.adapters.whatsapp.server; "
            "print('aiogram' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=300)
    assert done.stdout.strip() == "False"
