"""Reading the YAML data the product ships (concepts, rules, route facts, distress data).

libyaml's C loader when PyYAML has it (the wheels do): the pure-Python loader spent about
1.5 s of every start on these files. Both are safe loaders and give the same data.
"""

from __future__ import annotations

from typing import IO, Any

import yaml

SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(stream: str | bytes | IO[str] | IO[bytes]) -> Any:
    return yaml.load(stream, Loader=SAFE_LOADER)  # noqa: S506 - a safe loader, C or Python
