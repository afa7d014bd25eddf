"""A staff chat through the real aiogram client and the stand-in Bot API: /help lists the
staff commands where a chat is registered (and only there), /lang changes the language of
its digests, alerts and answers, and /digest alone tells the schedule and the next run."""

from __future__ import annotations

import dataclasses

from tests.e2e.test_telegram import Driver, telegram, text_of  # noqa: F401
from tests.helpers.fake_telegram import group_text
from tests.unit.test_digest_languages import IDS
from tests.unit.test_tips_store import tip

GROUP = -6001


async def _register(telegram: Driver, org: str) -> None:  # noqa: F811
    code = await telegram.app.orgs.invite(org)
    calls = await telegram.say(group_text(GROUP, 900, f"/register {code}"))
    assert "/help" in text_of(calls)


async def test_help_lists_the_staff_commands_in_a_registered_chat(telegram: Driver) -> None:  # noqa: F811
    calls = await telegram.say(group_text(GROUP, 900, "/help"))
    assert "/claim" not in text_of(calls)  # a group of the public: talk in private
    await _register(telegram, "id-kpai")
    said = text_of(await telegram.say(group_text(GROUP, 900, "/help")))
    for command in ("/claim REF", "/done REF", "/reply REF", "/digest", "/export", "/lang"):
        assert command in said, command
    assert "Perintah di chat lembaga ini" in said  # the organisation's language


async def test_lang_turns_the_chats_digests_and_alerts_to_russian(telegram: Driver) -> None:  # noqa: F811
    await _register(telegram, "id-sapa-129")
    said = text_of(await telegram.say(group_text(GROUP, 900, "/lang")))
    assert "dalam bahasa Indonesia" in said and "/lang ru" in said
    said = text_of(await telegram.say(group_text(GROUP, 900, "/lang ru")))
    assert "теперь на языке: русский" in said

    said = text_of(await telegram.say(group_text(GROUP, 900, "/digest")))
    assert "Сводки приходят каждый день в 08:00 (Asia/Jakarta). Следующая: " in said
    assert "пока в ней 0 новых сообщений" in said

    store = telegram.app.runtime._performer._store  # type: ignore[attr-defined]
    urgent = dataclasses.replace(tip("u", marks=[("phone", "+6281234567890")]), urgent=True,
                                 risk="high", flags=("document_retention",))
    saved = await store.save(urgent, "hu", "k", 9)
    before = len(telegram.api.sent())
    await telegram.app.digests.alert(saved.tip_id)
    alert = text_of(await telegram.api.wait_for(before + 1))
    assert "Торговля людьми или подозрительное предложение" in alert
    assert "высокий риск" in alert and not IDS.search(alert)

    calls = await telegram.say(group_text(GROUP, 900, "/digest now"), replies=2)
    digest = text_of(calls)
    assert "Сводка для" in digest and "Документы забирают" in digest
    assert not IDS.search(digest)
    (chart,) = [c for c in await telegram.api.wait_for(1, "sendPhoto")
                if c.params["chat_id"] == GROUP]
    assert chart.params["caption"] == "Сообщения по неделям и темам за последние 8 недель"
    (document,) = telegram.api.sent("sendDocument")
    assert "Торговля людьми".encode() in document.params["document"]["content"]

    said = text_of(await telegram.say(group_text(GROUP, 900, "/digest sometimes")))
    assert "/digest now" in said  # a polite hint, in Russian
    assert "Напишите" in said
