"""One module per ``main.py`` subcommand; each builds what it needs and closes it."""
