"""Reading the YAML data the product ships (concepts, rules, route facts, distress data).

libyaml's C loader when PyYAML has it (the wheels do): the pure-Python loader spent about
1.5 s of every start on these files. Both are safe loaders and give the same data.

Only ``true`` and ``false`` are booleans here, as in YAML 1.2. PyYAML follows YAML 1.1,
where an unquoted ``no``, ``yes``, ``on``, ``off`` is a boolean: the English negation "no"
in a word list and Norway's code ``NO`` as a key were silently read as ``False``.
"""

from __future__ import annotations

import re
from typing import IO, Any

import yaml

_BASE: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BOOL = "tag:yaml.org,2002:bool"


class _WordSafeLoader(_BASE):  # type: ignore[misc, valid-type]
    """The safe loader with YAML 1.2's booleans."""


_WordSafeLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL]
    for first, resolvers in _BASE.yaml_implicit_resolvers.items()
}
_WordSafeLoader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))

SAFE_LOADER: Any = _WordSafeLoader


def load_yaml(stream: str | bytes | IO[str] | IO[bytes]) -> Any:
    return yaml.load(stream, Loader=SAFE_LOADER)  # noqa: S506 - a safe loader, C or Python
