"""Entry point: ``python main.py [COMMAND]`` (see ``python main.py --help``)."""

from __future__ import annotations

import sys

from bot.cli import main

if __name__ == "__main__":
    sys.exit(main())
