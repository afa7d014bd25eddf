"""Every setting is documented where an operator looks: the README and .env.example."""

from __future__ import annotations

from pathlib import Path

from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def test_every_setting_is_in_the_readme_and_the_env_example() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    names = [name.upper() for name in Settings.model_fields]
    assert "SMTP_HOST" in names  # the list is real
    assert [n for n in names if f"`{n}`" not in readme and f"`{n}`," not in readme] == []
    assert [n for n in names if n + "=" not in example] == []
