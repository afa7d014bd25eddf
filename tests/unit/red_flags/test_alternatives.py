"""The parts searched one by one find exactly what the joined pattern finds."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from flows.red_flags import discourse
from flows.red_flags.alternatives import Alternatives

# The contact pattern as it was written before it was split: the reference.
_JOINED = re.compile(
    r"(?<![\d.])\+?\d{2,4}[\s.-]?\d{3,4}[\s.-]?\d{3,5}\b|[\w.+-]+@[\w-]+\.[\w.]+"
    r"|https?://\S+|www\.\S+|wa\.me/\S+|t\.me/\S+|(?<![\w@])@[A-Za-z_]\w{3,}")
_PIECES = ["+62", "812", "3456", "7890", "08", "-", ".", " ", "  ", "\n", "a", "x@y.co",
           "@", "@kerja_ok", "http://", "https://t.me/x", "www.", "wa.me/628", "t.me/", "1",
           "23", "+", "Hubungi", "email:", "(", ")", "é", "٣", "_", "info@pt-maju.id", "."]
_DATA = Path(__file__).resolve().parents[2] / "data"


def _texts() -> list[str]:
    rng = random.Random(11)
    texts = ["".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 25)))
             for _ in range(20_000)]
    for path in sorted(_DATA.glob("offers_*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines()
                  if line.strip()]
    return texts


def test_the_contact_parts_find_what_the_joined_pattern_found() -> None:
    texts = _texts()
    found = 0
    for text in texts:
        expected = [(m.span(), m.group()) for m in _JOINED.finditer(text)]
        assert [(m.span(), m.group()) for m in discourse._CONTACT.finditer(text)] == expected, text
        assert (discourse._CONTACT.search(text) is None) == (not expected), text
        found += bool(expected)
    assert found > 1000  # the comparison saw many contacts, not only texts without one


def test_an_earlier_part_wins_at_the_same_position_and_the_scan_goes_on_from_its_end() -> None:
    both = Alternatives(r"ab", r"abc", r"bcd", r"d+")
    joined = re.compile(both.pattern)
    for text in ("abcd", "abcdd", "xabcabcdd", "bcdab", "dd abc bcd"):
        assert [m.span() for m in both.finditer(text)] == [
            m.span() for m in joined.finditer(text)], text


def test_a_part_is_skipped_only_when_the_text_lacks_what_it_needs() -> None:
    mail = Alternatives((r"\w+@\w+", "@"), r"\d+")
    assert [m.group() for m in mail.finditer("a@b 12")] == ["a@b", "12"]
    assert [m.group() for m in mail.finditer("ab 12")] == ["12"]
