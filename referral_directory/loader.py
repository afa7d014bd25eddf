"""Loading the directory data: every entry validated, errors with file and line.

A file with any error is refused whole, so a half-edited directory never replaces a good
one; the caller keeps the data it had.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from flows.yaml_data import SAFE_LOADER
from referral_directory.errors import DirectoryError
from referral_directory.schema import DirectoryEntry, Organisation

DATA_FILE = Path(__file__).resolve().parent / "data" / "organisations.yaml"


@dataclass(frozen=True)
class Directory:
    organisations: tuple[Organisation, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {o.id: o for o in self.organisations})

    def get(self, org_id: str) -> Organisation | None:
        return self._by_id.get(org_id)  # type: ignore[attr-defined,no-any-return]

    def __iter__(self) -> Iterator[Organisation]:
        return iter(self.organisations)

    def __len__(self) -> int:
        return len(self.organisations)


def load_directory(path: Path = DATA_FILE) -> Directory:
    """Reads and validates the directory; raises ``DirectoryError`` listing every problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DirectoryError([f"{path}: cannot read ({exc.strerror})"]) from exc
    return parse_directory(text, str(path))


# libyaml's parser where PyYAML was built with it (flows/yaml_data.py): a 10,000-entry file
# reads in seconds, not minutes; the marks (lines) are the same.
_Loader: Any = SAFE_LOADER
_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def dump_yaml(data: Any) -> str:
    """YAML as the data files are written: Unicode as it is, keys in order, 99 columns."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=99)


def read_yaml(text: str) -> tuple[Any, yaml.Node | None]:
    """The document and its node tree (for the lines of errors), parsed once."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        return (loader.construct_document(root) if root is not None else None), root
    finally:
        loader.dispose()


def yaml_problem(exc: yaml.YAMLError) -> str:
    problem = str(getattr(exc, "problem", None) or exc)
    # libyaml's own guard against a file of 5,000 nested brackets
    return f"nested too deeply: {problem}" if "nesting depth" in problem else problem


def parse_directory(text: str, name: str = "organisations.yaml") -> Directory:
    try:
        data, root = read_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise DirectoryError([f"{name}{line}: not valid YAML ({yaml_problem(exc)})"]) from exc
    if not isinstance(data, list) or root is None or not isinstance(root, yaml.SequenceNode):
        raise DirectoryError([f"{name}:1: the file must be a list of organisations"])
    return parse_entries(data, root, name)


def parse_entries(data: list[Any], root: yaml.SequenceNode, name: str) -> Directory:
    """Validates a YAML list of entries (``data`` as loaded, ``root`` its node, for the
    lines); every problem is collected before ``DirectoryError`` is raised."""
    problems: list[str] = []
    organisations: list[Organisation] = []
    seen: dict[str, int] = {}
    for item, node in zip(data, root.value, strict=True):
        line = node.start_mark.line + 1
        label = item.get("id", "?") if isinstance(item, dict) else "?"
        try:
            org = DirectoryEntry.model_validate(item)
        except ValidationError as exc:
            for error in exc.errors():
                where = ".".join(str(p) for p in error["loc"])
                field_line = _field_line(node, error["loc"]) or line
                problems.append(f"{name}:{field_line}: {label}: {where}: {error['msg']}")
            continue
        if org.id in seen:
            problems.append(f"{name}:{line}: {org.id}: duplicate id (first at line "
                            f"{seen[org.id]})")
            continue
        seen[org.id] = line
        organisations.append(org)
    if problems:
        raise DirectoryError(problems)
    return Directory(tuple(organisations))


def _field_line(node: yaml.Node, loc: tuple[Any, ...]) -> int | None:
    """The line of the field an error points at, walking the YAML node tree."""
    current: yaml.Node | None = node
    for key in loc:
        if isinstance(current, yaml.MappingNode):
            current = next((v for k, v in current.value if k.value == key), None)
        elif isinstance(current, yaml.SequenceNode) and isinstance(key, int):
            current = current.value[key] if key < len(current.value) else None
        else:
            break
        if current is None:
            return None
    return current.start_mark.line + 1 if current is not None else None
