"""The operator's own directory: an overlay under DATA_DIR over the shipped data.

The shipped file (``referral_directory/data/organisations.yaml``) is tracked by git and
changes with every update of the bot; what an operator imports or edits goes to
``DATA_DIR/directory/organisations.yaml`` instead, so neither overwrites the other:

    hidden:            # shipped entries the operator removed, by id
    - ru-some-entry
    organisations:     # whole entries: new ones, and shipped ones the operator changed
    - id: ...

An entry that is not in the overlay follows the shipped data, updates included. The
overlay is validated whole before it is written, written to a temporary file that is
synced and renamed over the old one (readers see the old file or the new, never half),
and the old one is kept beside it as ``organisations.previous.yaml``.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from referral_directory.errors import DirectoryError
from referral_directory.loader import (
    Directory,
    dump_yaml,
    load_directory,
    parse_entries,
    read_yaml,
    yaml_problem,
)
from referral_directory.schema import Organisation

OVERLAY_DIR = "directory"
OVERLAY_NAME = "organisations.yaml"
BACKUP_NAME = "organisations.previous.yaml"
HEADER = """\
# The operator's directory: what `python main.py directory import` wrote, merged over the
# shipped referral_directory/data/organisations.yaml when the bot starts. `hidden` lists the
# shipped entries left out; `organisations` holds whole entries, new ones and shipped ones
# changed (an entry with a shipped id replaces it). Edit with care, then run
# `python main.py directory validate`; `directory diff` shows what this file changes.
# The version before the last import is kept beside this file as organisations.previous.yaml.
# `based_on`: a fingerprint of each shipped entry as it was when this file changed or hid it,
# so that `directory diff` can tell when an update of the bot has changed it since.
"""


@dataclass(frozen=True)
class Overlay:
    organisations: tuple[Organisation, ...] = ()
    hidden: tuple[str, ...] = ()
    based_on: tuple[tuple[str, str], ...] = ()  # (shipped id, fingerprint), see HEADER

    @property
    def empty(self) -> bool:
        return not self.organisations and not self.hidden


def overlay_path(data_dir: Path) -> Path:
    return data_dir / OVERLAY_DIR / OVERLAY_NAME


def merge(shipped: Directory, overlay: Overlay) -> Directory:
    """The shipped entries in their order, each replaced by the overlay's entry of the same
    id and left out when hidden; then the overlay's new entries in the overlay's order."""
    hidden = set(overlay.hidden)
    own = {o.id: o for o in overlay.organisations}
    merged = [own.get(o.id, o) for o in shipped if o.id not in hidden]
    merged += [o for o in overlay.organisations if shipped.get(o.id) is None]
    return Directory(tuple(merged))


def overlay_for(shipped: Directory, wanted: Directory) -> Overlay:
    """The smallest overlay whose merge with ``shipped`` holds exactly ``wanted``'s entries:
    the entries that differ from the shipped ones, and the shipped ids ``wanted`` lacks."""
    organisations = tuple(o for o in wanted if shipped.get(o.id) != o)
    hidden = tuple(o.id for o in shipped if wanted.get(o.id) is None)
    touched = {o.id for o in organisations} | set(hidden)
    return Overlay(organisations, hidden,
                   tuple((o.id, fingerprint(o)) for o in shipped if o.id in touched))


def fingerprint(org: Organisation) -> str:
    """A short digest of an entry's every field: equal for equal entries, in any process."""
    text = json.dumps(org.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def updated_since(shipped: Directory, overlay: Overlay) -> tuple[str, ...]:
    """Shipped entries the overlay changed or hid that an update has changed since."""
    return tuple(org_id for org_id, digest in overlay.based_on
                 if (org := shipped.get(org_id)) is not None and fingerprint(org) != digest)


def parse_overlay(text: str, name: str = OVERLAY_NAME) -> Overlay:
    """Reads an overlay file; raises ``DirectoryError`` with every line-precise problem."""
    try:
        data, root = read_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise DirectoryError([f"{name}{line}: not valid YAML ({yaml_problem(exc)})"]) from exc
    if data is None:
        return Overlay()
    if not isinstance(data, dict) or not isinstance(root, yaml.MappingNode):
        raise DirectoryError([f"{name}:1: the overlay must hold 'hidden' and "
                              "'organisations'"])
    nodes = {str(key.value): value for key, value in root.value}

    def line(key: object) -> int:
        node = nodes.get(str(key))
        return node.start_mark.line + 1 if node is not None else 1

    problems = [f"{name}:{line(key)}: unknown key {key!r} (the overlay "
                "holds 'hidden', 'organisations' and 'based_on')" for key in data
                if key not in ("hidden", "organisations", "based_on")]
    hidden = data.get("hidden") or []
    if not isinstance(hidden, list) or not all(isinstance(h, str) for h in hidden):
        problems.append(f"{name}:{line('hidden')}: hidden must be a list "
                        "of organisation ids")
        hidden = []
    entries = data.get("organisations") or []
    organisations: tuple[Organisation, ...] = ()
    if entries and not isinstance(nodes["organisations"], yaml.SequenceNode):
        problems.append(f"{name}:{line('organisations')}: organisations "
                        "must be a list of entries")
    elif entries:
        try:
            organisations = parse_entries(entries, nodes["organisations"], name).organisations
        except DirectoryError as exc:
            problems += exc.problems
    based_on = data.get("based_on") or {}
    if not isinstance(based_on, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in based_on.items()):
        problems.append(f"{name}:{line('based_on')}: based_on must map "
                        "organisation ids to fingerprints")
        based_on = {}
    if problems:
        raise DirectoryError(problems)
    return Overlay(organisations, tuple(dict.fromkeys(hidden)), tuple(based_on.items()))


def render_overlay(overlay: Overlay) -> str:
    body: dict[str, Any] = {
        "hidden": list(overlay.hidden),
        "organisations": [o.model_dump(mode="json") for o in overlay.organisations],
    }
    if overlay.based_on:
        body["based_on"] = dict(overlay.based_on)
    return HEADER + dump_yaml(body)


def load_overlay(data_dir: Path) -> Overlay | None:
    """The operator's overlay, or None when there is none."""
    path = overlay_path(data_dir)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8"
        raise DirectoryError([f"{path}: cannot read ({reason})"]) from exc
    return parse_overlay(text, str(path))


def load_merged(data_dir: Path | None, shipped: Directory | None = None) -> Directory:
    """What the bot serves: the shipped directory with the operator's overlay, if any."""
    base = shipped if shipped is not None else load_directory()
    overlay = load_overlay(data_dir) if data_dir is not None else None
    return base if overlay is None else merge(base, overlay)


def save_overlay(data_dir: Path, overlay: Overlay) -> Path:
    """Writes the overlay atomically, keeping the previous one as the backup.

    What is written is read back and compared before it replaces anything, so a file that
    would not load at the next start is never put in place.
    """
    text = render_overlay(overlay)
    if parse_overlay(text) != overlay:
        raise DirectoryError(["the overlay does not read back as written (a bug): nothing "
                              "was changed"])
    path = overlay_path(data_dir)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.exists():
        _write_atomically(path.parent / BACKUP_NAME, path.read_bytes())
    _write_atomically(path, text.encode("utf-8"))
    return path


def _write_atomically(target: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())  # the bytes are on disk before the name points at them
        Path(tmp).replace(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _sync_directory(target.parent)


def _sync_directory(folder: Path) -> None:
    """Makes the rename itself durable (POSIX: the directory entry is synced apart)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not possible on this platform (Windows): the rename is still atomic
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
