"""The referral directory data: valid as committed; a bad file is refused whole, by line."""

from __future__ import annotations

import pytest

from referral_directory import (
    DirectoryError,
    Topic,
    emergency,
    helplines,
    load_directory,
    parse_directory,
)

GOOD = """\
- id: id-test
  names: {local: Tes, en: Test}
  kind: hotline
  operator: government
  country: ID
  places: [national]
  topics: [trafficking]
  contacts:
    - {type: phone, value: "129"}
  sources: [https://example.org/a]
  verified_on: "2026-01-28"
"""


def test_the_committed_directory_is_valid_and_sourced() -> None:
    directory = load_directory()
    assert len(directory) >= 30
    for org in directory:
        assert org.sources and all(s.startswith("http") for s in org.sources)
        assert org.contacts


def test_national_numbers_come_from_the_data() -> None:
    directory = load_directory()
    assert [o.id for o in emergency(directory, "ID")] == ["id-emergency-112", "id-polri-110"]
    top = helplines(directory, "ID", [Topic.TRAFFICKING])
    assert top[0].id == "id-sapa-129"


def test_a_good_entry_parses() -> None:
    assert parse_directory(GOOD).get("id-test") is not None


@pytest.mark.parametrize(("broken", "needle"), [
    (GOOD.replace('value: "129"', 'value: "call us"'), ":9: id-test: contacts.0"),
    (GOOD.replace("sources: [https://example.org/a]", "sources: []"), ":10: id-test: sources"),
    (GOOD.replace("kind: hotline", "kind: club"), ":3: id-test: kind"),
    (GOOD.replace("  operator: government\n", ""), ":1: id-test: operator: Field required"),
    (GOOD.replace("operator: government", "operator: ministry"), ":4: id-test: operator"),
    (GOOD.replace('verified_on: "2026-01-28"', 'verified_on: "last week"'), ":11: id-test"),
    (GOOD.replace('value: "129"}', 'value: "129", source: "https://example.org/b"}'),
     "is not among the sources"),
    (GOOD.replace('value: "129"}', 'value: "129", seen_on: "2026-02"}'),
     "after the entry's verified_on"),
    (GOOD + "  mood: happy\n", "id-test: mood"),
    (GOOD + GOOD, "duplicate id"),
    ("- id: [unclosed", "not valid YAML"),
])
def test_bad_files_are_refused_with_line_precise_messages(broken: str, needle: str) -> None:
    with pytest.raises(DirectoryError) as caught:
        parse_directory(broken)
    assert needle in str(caught.value)
