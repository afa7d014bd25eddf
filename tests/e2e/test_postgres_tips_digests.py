"""The tip and digest end-to-end tests on a real PostgreSQL (started by the tests; skipped
where it is not installed): the console's report to receipt and /status in a new process,
a crash between the tip's commit and its reply, the hourly tip limit, and the whole
organisations' loop of tests/e2e/test_org_loop.py (invite, register, urgent alert, digest,
staff reply, missed slot caught up after a restart) run again with DATABASE_URL set."""

from __future__ import annotations

from pathlib import Path

import asyncpg
import pytest

from tests.e2e.test_console import USER, chat
from tests.e2e.test_org_loop import test_the_whole_loop  # noqa: F401  (run here on PostgreSQL)
from tests.e2e.test_telegram import telegram  # noqa: F401  (its fixture)
from tests.e2e.test_tips_console import CODE, STEPS
from tests.helpers.postgres import postgres_url  # noqa: F401  (a fixture)


@pytest.fixture(autouse=True)
def _on_postgres(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    monkeypatch.setenv("DATABASE_URL", postgres_url)  # every Settings() of the test


async def _rows(url: str, query: str) -> list[asyncpg.Record]:
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg", "postgresql"))
    try:
        return list(await conn.fetch(query))
    finally:
        await conn.close()


async def test_console_report_to_receipt_then_status(data_dir: Path,
                                                     postgres_url: str) -> None:  # noqa: F811
    done = chat(data_dir, "\n".join([*STEPS, "Send"]) + "\n", DATABASE_URL=postgres_url)
    assert done.returncode == 0, done.stderr
    match = CODE.search(done.stdout)
    assert match, done.stdout[-2000:]
    code = match.group(1)
    tips = await _rows(postgres_url, "select * from tips")
    assert len(tips) == 1
    assert (tips[0]["topic"], tips[0]["urgent"], tips[0]["place_label"]) == (
        "child_sexual_exploitation", True, "Indramayu, Jawa Barat")
    routed = {r["org_id"] for r in await _rows(postgres_url, "select org_id from tip_routes")}
    assert "id-migrant-care" in routed
    key = (await _rows(postgres_url, "select key from conversations"))[0]["key"]
    assert key not in str(dict(tips[0])) and code.replace("-", "") not in str(dict(tips[0]))
    assert not (data_dir / "bot.sqlite3").exists()  # everything went to PostgreSQL
    assert USER not in str([dict(r) for r in await _rows(postgres_url,
                                                         "select * from conversations")])

    status = chat(data_dir, f"/status {code.lower()}\n", DATABASE_URL=postgres_url)
    assert f"Your report {tips[0]['ref']}" in status.stdout


async def test_a_crash_between_commit_and_reply_loses_nothing(data_dir: Path,
                                                              postgres_url: str) -> None:  # noqa: F811
    done = chat(data_dir, "\n".join([*STEPS, "Send"]) + "\n", DATABASE_URL=postgres_url,
                SAFEWORK_TEST_CRASH_AFTER_COMMIT="1")
    assert done.returncode == 70 and "Your receipt code" not in done.stdout
    assert len(await _rows(postgres_url, "select id from tips")) == 1
    again = chat(data_dir, "Send\nSend\n", DATABASE_URL=postgres_url)
    assert CODE.search(again.stdout)  # the same draft, a fresh code, no second tip
    assert len(await _rows(postgres_url, "select id from tips")) == 1


async def test_too_many_tips_in_an_hour_are_refused_politely(data_dir: Path,
                                                             postgres_url: str) -> None:  # noqa: F811
    session: list[str] = []
    for _ in range(3):
        session += [*STEPS[1:], "Send"]
    done = chat(data_dir, "\n".join(["/lang en", *session]) + "\n", TIPS_PER_HOUR="2",
                DATABASE_URL=postgres_url)
    assert len(CODE.findall(done.stdout)) == 2
    assert "You have sent several reports in the last hour." in done.stdout
    assert len(await _rows(postgres_url, "select id from tips")) == 2
