"""The product's YAML data: word lists are words, never YAML 1.1's booleans."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from flows.yaml_data import load_yaml

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted([*ROOT.glob("flows/*/data/*.yaml"), *ROOT.glob("referral_directory/data/*.yaml")])


def test_no_yes_on_off_stay_words_and_true_false_stay_booleans() -> None:
    data = load_yaml("NEG: [not, no, never]\nNO: [norway]\nwords: [yes, on, off]\nflag: true\n"
                     "other: False\n")
    assert data == {"NEG": ["not", "no", "never"], "NO": ["norway"],
                    "words": ["yes", "on", "off"], "flag": True, "other": False}


def _words(node: Any, path: str) -> list[str]:
    """Where a list of words or a key holds anything but text, a number or a mapping."""
    bad: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, bool) or key is None:
                bad.append(f"{path}: key {key!r}")
            bad += _words(value, f"{path}/{key}")
    elif isinstance(node, list):
        for item in node:
            if isinstance(item, bool) or item is None:
                bad.append(f"{path}: {item!r}")
            bad += _words(item, path)
    return bad


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_word_list_the_product_ships_reads_as_words(path: Path) -> None:
    with path.open(encoding="utf-8") as fh:
        assert _words(load_yaml(fh), path.name) == []
