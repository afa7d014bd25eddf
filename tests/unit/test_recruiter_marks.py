from __future__ import annotations

from flows.report.recruiter import Mark, extract_marks


def test_marks_in_indonesian() -> None:
    text = ("Namanya Pak Darmo, dari PT Sinar Abadi Jaya, WA 0812 3456 7890 atau +62 813-1111-"
            "2222, IG @darmo.kerja, fb.com/darmokerja")
    marks = extract_marks(text, "ID")
    assert Mark("phone", "+6281234567890") in marks
    assert Mark("phone", "+6281311112222") in marks
    assert Mark("handle", "darmo.kerja") in marks and Mark("handle", "darmokerja") in marks
    assert Mark("agency", "sinar abadi jaya") in marks
    assert Mark("name", "darmo") in marks


def test_marks_in_russian() -> None:
    marks = extract_marks("Зовут Алишер, ООО «Северный Путь», тел. 8 (916) 123-45-67", "RU")
    assert Mark("phone", "+79161234567") in marks
    assert Mark("name", "алишер") in marks
    assert Mark("agency", "северный путь") in marks


def test_no_marks_in_plain_text() -> None:
    assert extract_marks("Ada lowongan kerja di pabrik", "ID") == []
