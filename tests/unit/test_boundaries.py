"""Dependency direction: flows/ and referral_directory/ stay pure (DESIGN.md, STYLE.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = {"aiogram", "aiohttp", "httpx", "sqlalchemy", "aiosqlite", "alembic", "bot",
             "apscheduler", "requests", "socket", "sqlite3"}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", ["flows", "referral_directory"])
def test_pure_packages_import_no_io(package: str) -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_roots(path) & FORBIDDEN)
        for path in (ROOT / package).rglob("*.py")
        if imported_roots(path) & FORBIDDEN
    }
    assert not offenders
