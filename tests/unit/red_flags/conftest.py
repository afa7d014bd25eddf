from __future__ import annotations

import pytest

from flows.red_flags import Analyzer


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    return Analyzer.load()
