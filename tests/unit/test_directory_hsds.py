"""HSDS 3.0: every exported organisation validates against Open Referral's own schema
(../shared/hsds, read by the tests only), and export -> import loses nothing."""

from __future__ import annotations

import contextlib
import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from referral_directory import Directory, DirectoryError, Operator, load_directory
from referral_directory.formats import BY_NAME
from referral_directory.hsds import NAMESPACE, from_hsds, hsds_id, to_hsds
from referral_directory.schema import DirectoryEntry

SCHEMAS = Path(__file__).resolve().parents[3] / "shared" / "hsds"
SHIPPED = load_directory()


@pytest.fixture(scope="module")
def validator() -> Any:
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is a dev dependency")
    path = SCHEMAS / "organization.json"
    if not path.exists():
        pytest.skip(f"the HSDS schemas are not beside the project ({path} is absent)")
    schema = json.loads(path.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _errors(validator: Any, item: dict[str, Any]) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(item)]


def test_every_shipped_organisation_validates(validator: Any) -> None:
    exported = to_hsds(SHIPPED)
    assert len(exported) == len(SHIPPED)
    problems = {o["organization_identifiers"][0]["identifier"]: _errors(validator, o)
                for o in exported}
    assert {k: v for k, v in problems.items() if v} == {}


def test_the_validator_does_catch_a_broken_export(validator: Any) -> None:
    """So that the test above can fail: formats (uuid, uri, email) are checked too."""
    good = to_hsds(SHIPPED)[3]  # KPAI: phones, an e-mail and a website
    for path, value in [(("id",), "id-kpai"), (("website",), "not a uri"),
                        (("email",), "nobody"), (("services", 0, "status"), "open")]:
        broken = json.loads(json.dumps(good))
        target = broken
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        assert _errors(validator, broken), path
    broken = json.loads(json.dumps(good))
    del broken["description"]
    assert _errors(validator, broken)


def test_export_import_export_is_stable_and_loses_nothing() -> None:
    first = BY_NAME["hsds"].write(SHIPPED)
    back = BY_NAME["hsds"].read(first, "d.json")
    assert back == SHIPPED  # every field of every entry, contacts in their order
    assert BY_NAME["hsds"].write(back) == first


def test_ids_are_uuid5_of_ours_and_stable() -> None:
    org = to_hsds(SHIPPED)[0]
    assert org["id"] == str(uuid.uuid5(NAMESPACE, "id-sapa-129"))
    assert uuid.UUID(org["id"]).version == 5
    assert org["services"][0]["phones"][0]["id"] == hsds_id("id-sapa-129", "contact", "0")
    ids = [o["id"] for o in to_hsds(SHIPPED)]
    assert len(set(ids)) == len(ids)


def test_what_we_hold_sits_in_hsds_fields() -> None:
    by_id = {o["organization_identifiers"][0]["identifier"]: o for o in to_hsds(SHIPPED)}
    kpai = by_id["id-kpai"]
    service = kpai["services"][0]
    assert service["assured_date"] == "2022"
    assert [m["replacement_value"] for m in kpai["metadata"]] == list(
        SHIPPED.get("id-kpai").sources)  # type: ignore[union-attr]
    assert "Not seen recently" in service["alert"]
    assert {a["taxonomy_term"]["taxonomy"]: a["value"] for a in kpai["attributes"]} == {
        "safe-work-bot:kind": "government", "safe-work-bot:operator": "government",
        "safe-work-bot:country": "ID", "safe-work-bot:operator_confirmed": "true"}
    assert [p["type"] for p in service["phones"]] == ["text", "voice"]  # WhatsApp, phone
    assert service["contacts"][0]["email"] == "pengaduan@kpai.go.id"
    assert kpai["locations"][0]["url"] == "https://www.kpai.go.id/formulir-pengaduan/"
    assert [area["name"] for area in service["service_areas"]] == ["national"]
    assert service["languages"] == [{"id": hsds_id("id-kpai", "language", "0"),
                                     "service_id": service["id"], "code": "id",
                                     "name": "Indonesian"}]
    # a contact's own source and date
    hk = by_id["id-kjri-hong-kong"]["services"][0]["phones"][1]["metadata"][0]
    org = SHIPPED.get("id-kjri-hong-kong")
    assert (hk["last_action_date"], hk["replacement_value"]) == (
        org.contacts[1].seen_on, org.contacts[1].source)  # type: ignore[union-attr]
    # a record kept only so that nobody re-adds it is not offered as active
    assert by_id["kz-trafficking-hotline-11616"]["services"][0]["status"] == "inactive"
    hours = by_id["id-emergency-112"]["services"][0].get("schedules")
    assert hours is None or hours[0]["description"] == SHIPPED.get(
        "id-emergency-112").hours  # type: ignore[union-attr]


def _entry(org_id: str, operator: str, confirmed: bool, **extra: Any) -> DirectoryEntry:
    return DirectoryEntry.model_validate({
        "id": org_id, "names": {"local": "Тест", "en": "Test"}, "kind": "ngo",
        "operator": operator, "operator_confirmed": confirmed, "country": "KG",
        "places": ["Бишкек"], "topics": ["trafficking"],
        "contacts": [{"type": "telegram", "value": "@test_bot"},
                     {"type": "phone", "value": "+996 312 00 00 00", "note": "Часы: 9–18"},
                     {"type": "website", "value": "example.kg/help"},
                     {"type": "email", "value": "help@example.kg", "note": "Жалобы"},
                     {"type": "whatsapp", "value": "0555 00 00 00",
                      "source": "https://example.kg/b", "seen_on": "2025-01"}],
        "sources": ["https://example.kg/a", "https://example.kg/b"], **extra})


@pytest.mark.parametrize("operator", [o.value for o in Operator])
@pytest.mark.parametrize("confirmed", [True, False])
def test_consent_routing_fields_round_trip(operator: str, confirmed: bool,
                                           validator: Any) -> None:
    """Who runs a service decides which tips may reach it: it must survive the trip."""
    directory = Directory((_entry("kg-test", operator, confirmed, verified_on="2025-02",
                                  notes=None, hours="24h"),))
    exported = to_hsds(directory)
    assert _errors(validator, exported[0]) == []
    back = from_hsds(json.dumps(exported))
    assert back == directory
    org = back.get("kg-test")
    assert org.operator is Operator(operator) and org.operator_confirmed is confirmed  # type: ignore[union-attr]


def test_notes_and_the_summary_are_told_apart() -> None:
    plain = Directory((_entry("kg-a", "ngo", True),))
    assert from_hsds(json.dumps(to_hsds(plain))).get("kg-a").notes is None  # type: ignore[union-attr]
    noted = Directory((_entry("kg-b", "ngo", True, notes="Call after 10."),))
    exported = to_hsds(noted)
    assert exported[0]["description"] == "Call after 10."
    assert from_hsds(json.dumps(exported)) == noted


def test_contacts_another_tool_added_follow_ours() -> None:
    exported = to_hsds(Directory((_entry("kg-c", "ngo", True),)))
    exported[0]["services"][0]["phones"].insert(0, {"id": str(uuid.uuid4()),
                                                    "number": "+996 555 11 11 11"})
    org = from_hsds(json.dumps(exported)).get("kg-c")
    assert [c.type.value for c in org.contacts] == [  # type: ignore[union-attr]
        "telegram", "phone", "website", "email", "whatsapp", "phone"]
    assert org.contacts[-1].value == "+996 555 11 11 11"  # type: ignore[union-attr]


def test_an_organisation_from_another_directory_is_refused_with_what_it_lacks() -> None:
    foreign = [{"id": str(uuid.uuid4()), "name": "Some Org", "description": "x",
                "services": [{"id": str(uuid.uuid4()), "name": "Help", "status": "active"}]},
               {"id": str(uuid.uuid4()), "name": "No description"},
               {"id": "x", "name": "Bad status", "description": "",
                "services": [{"id": "y", "name": "s", "status": "open"}]}]
    with pytest.raises(DirectoryError) as caught:
        from_hsds(json.dumps(foreign), "other.json")
    text = str(caught.value)
    assert "other.json: organization 1 (Some Org): no identifier of scheme 'safe-work-bot'" in text
    assert "organization 2: description: required by HSDS" in text
    assert "organization 3: services.0.status: one of active, inactive" in text


def test_an_edited_export_is_validated_like_any_import() -> None:
    exported = to_hsds(SHIPPED)
    exported[0]["services"][0]["phones"][0]["number"] = "call us"
    del exported[1]["attributes"][1]  # the operator of id-emergency-112
    with pytest.raises(DirectoryError) as caught:
        from_hsds(json.dumps(exported), "edited.json")
    text = str(caught.value)
    assert "organization 1 (id-sapa-129): contacts.0: Value error, not a phone number" in text
    assert "organization 2 (id-emergency-112): operator: Field required" in text
    with pytest.raises(DirectoryError, match=r"edited.json:1: not valid JSON"):
        from_hsds("[{", "edited.json")


def test_the_product_never_reads_the_shared_schemas() -> None:
    """What the product needs from the schema is written into referral_directory/hsds."""
    project = Path(__file__).resolve().parents[2]
    for package in ("referral_directory", "bot"):
        for path in (project / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert "shared/hsds" not in text and '"shared"' not in text, path


def test_a_mangled_file_is_refused_never_a_crash() -> None:
    """Values of the wrong type anywhere in an export (400 files, fixed seed): each is read
    or refused with DirectoryError, never another exception (a traceback for the operator)."""
    import copy
    import random

    base = to_hsds(SHIPPED)
    rng = random.Random(17)
    junk: list[Any] = [None, 5, 1.5, True, "", "x", [], {}, ["a"], {"a": 1}, [{}]]

    def paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        found = [path]
        if isinstance(node, dict):
            for key, value in node.items():
                found += paths(value, (*path, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                found += paths(value, (*path, index))
        return found

    every = [p for p in paths(base) if p]
    for _ in range(400):
        doc = copy.deepcopy(base)
        for path in rng.sample(every, 3):
            target: Any = doc
            try:
                for key in path[:-1]:
                    target = target[key]
                target[path[-1]] = rng.choice(junk)
            except (KeyError, IndexError, TypeError):
                continue  # an earlier change replaced a container on this path
        with contextlib.suppress(DirectoryError):
            from_hsds(json.dumps(doc))


def test_the_command_writes_a_valid_file_of_the_merged_directory(
        tmp_path: Path, data_dir: Path, validator: Any) -> None:
    """`directory export --format hsds` on a directory the operator changed: the overlay's
    entries are in the file, and the file is valid."""
    from bot.commands import directory as cli

    added = _entry("kg-operator-own", "mixed", False, verified_on="2025-02")
    wanted = Directory((*SHIPPED.organisations, added))
    source = tmp_path / "mine.json"
    source.write_text(json.dumps(to_hsds(wanted)), encoding="utf-8")
    assert cli.import_file(source, data_dir) == 0
    target = tmp_path / "out.hsds"
    assert cli.export_file(target, data_dir, "hsds") == 0
    written = json.loads(target.read_text(encoding="utf-8"))
    assert len(written) == len(SHIPPED) + 1
    assert [_errors(validator, o) for o in written] == [[]] * len(written)
    assert from_hsds(target.read_text(encoding="utf-8")) == wanted
