"""Python's cyclic garbage collector, paused while a batch builds many objects.

Every full collection walks every live object that is not frozen (bot/app.py freezes what
start-up loaded); a digest run keeps hundreds of thousands of rows, links and messages
alive while it builds them, so the collections it triggers walk them again and again.
Measured on the 100-organisation digest of 50,000 tips: a third of the run's CPU before its
other speed-ups, a fifth after them.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """For a stretch of code that makes no reference cycles worth collecting soon; with
    no await in it nothing else on the event loop runs meanwhile (a stretch with awaits
    says so: others' cycles then wait too). Nested use is fine."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
