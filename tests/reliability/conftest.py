"""Fixtures of the reliability harness: one zygote per test session starts the product."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers.reliability_procs import Zygote

_started: list[Zygote] = []


def _zygote() -> Zygote:
    if not _started:
        _started.append(Zygote())
    return _started[0]


@pytest.fixture(scope="session", autouse=True)
def _early_zygote(request: pytest.FixtureRequest) -> Iterator[None]:
    """When the session will need the zygote, it starts importing with the first test of
    the harness, beside the property-based tests, instead of when first needed."""
    if any("zygote" in getattr(item, "fixturenames", ()) for item in request.session.items):
        _zygote()
    yield
    while _started:
        _started.pop().close()


@pytest.fixture(scope="session")
def zygote() -> Zygote:
    return _zygote()
