"""The runtime: settings, storage, adapters, the CLI wiring behind ``main.py``."""
