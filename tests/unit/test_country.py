"""The person's country: set with /country, learnt from the place they are in, kept with
the conversation (SQLite), and followed by every answer that names numbers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.app import build_engine
from bot.i18n import Translator
from bot.rendering import TextRenderer
from bot.storage import SqlConversationStore, open_database
from flows.countries import DECLINED, resolve_country
from flows.engine import Conversation, Engine, Result
from tests.helpers.events import command, find_choice, msgids, press, text

RENDER = TextRenderer(Translator.load())
OFFER_RU = ("Требуются официантки в кафе, зарплата 90000, жильё бесплатно, паспорт "
            "хранится у работодателя, выезд завтра")


@pytest.fixture(scope="module")
def engine() -> Engine:
    return build_engine()


def said(result: Result, lang: str) -> str:
    return "\n".join(RENDER.parts(r.parts, lang) for r in result.replies)


@pytest.mark.parametrize(("typed", "code"), [
    ("KG", "KG"), ("kg", "KG"), ("Кыргызстан", "KG"), ("Киргизия", "KG"), ("Kyrgyzstan", "KG"),
    ("Indonesia", "ID"), ("Россия", "RU"), ("РФ", "RU"), ("Казахстан", "KZ"),
    ("Tojikiston", "TJ"), ("Malaysia", "MY"), ("Narnia", None), ("xx", None),
    # CLDR's codes for no place one can be in ("zz" had saved "Unknown Region")
    ("zz", None), ("ZZ", None), ("EU", None), ("Unknown Region", None), ("UN", None),
    # where migrants are, as they name it
    ("kirgizia", "KG"), ("Kirghizia", "KG"),
    ("Hongkong", "HK"), ("Hong Kong", "HK"), ("Saudi", "SA"), ("Korea", "KR"), ("Korsel", "KR"),
    ("UEA", "AE"), ("Эмираты", "AE"), ("Южная Корея", "KR"), ("Корея", "KR"),
])
def test_country_names_as_people_type_them(typed: str, code: str | None) -> None:
    assert resolve_country(typed) == code


def test_the_country_command_sets_it_and_numbers_follow(engine: Engine) -> None:
    set_ = engine.handle(Conversation(lang="ru"), command("country", "Кыргызстан"))
    assert set_.conversation.country == "KG"
    assert "102" in said(set_, "ru")  # Kyrgyzstan's police, from the directory
    checked = engine.handle(set_.conversation, text(OFFER_RU))
    out = said(checked, "ru")
    assert "189" in out  # Kyrgyzstan's migrant line
    assert "8-800" not in out and "пребывание в России" not in out  # not Russia's
    unknown = engine.handle(engine.handle(Conversation(lang="ru"),
                                          command("country", "Narnia")).conversation,
                            command("country"))
    assert unknown.conversation.country == ""


def test_an_unknown_country_is_asked_not_guessed(engine: Engine) -> None:
    checked = engine.handle(Conversation(lang="en"), text(
        "Waitress job in Dubai, salary 3000 USD, the agency keeps your passport, leave "
        "tomorrow, no experience needed"))
    out = said(checked, "en")
    # Asked once, with buttons (the "/country" line is not repeated above the question).
    assert "which country are you in now?" in out and "SAPA" not in out  # no Indonesian
    assert out.count("/country") <= 1  # hotline for an unknown country
    assert "Saudi Arabia: 911" in out and "Indonesia: 112" in out  # the language's countries


def test_where_you_are_is_remembered(engine: Engine) -> None:
    asked = engine.handle(Conversation(lang="ru"), command("contacts"))
    answered = engine.handle(asked.conversation, text("я из Оша"))
    assert answered.conversation.country == "KG"


def test_a_distress_message_naming_a_city_sets_the_country(engine: Engine) -> None:
    result = engine.handle(Conversation(lang="ru"),
                           text("помогите, меня заперли, я в Алматы"))
    assert result.conversation.country == "KZ"


async def test_the_country_is_kept_with_the_conversation(tmp_path: Path) -> None:
    db = await open_database(f"sqlite+aiosqlite:///{tmp_path / 'c.sqlite3'}")
    await SqlConversationStore(db).save("k" * 64, Conversation(lang="ru", country="KG",
                                                               flow="check", state="text"))
    assert (await SqlConversationStore(db).load("k" * 64)).country == "KG"
    await db.dispose()


def test_a_report_button_after_a_check_keeps_the_country(engine: Engine) -> None:
    conv = Conversation(lang="ru", country="KG")
    checked = engine.handle(conv, text(OFFER_RU))
    report = engine.handle(checked.conversation, press(find_choice(checked.replies,
                                                                   "Report it")))
    assert report.conversation.country == "KG" and report.conversation.flow == "report"


COOK_BISHKEK = ("Требуется повар в кафе в Бишкеке, зарплата 40000 сом, официальное "
                "оформление, опыт от 1 года")


def test_abroad_is_judged_from_where_the_person_is() -> None:
    from flows.red_flags import Analyzer
    analyzer = Analyzer.load()
    # Russia assumed from the language, unless the pay is in the place's own money
    assert "abroad_service_job" in analyzer.analyze(COOK_BISHKEK.replace(" сом", "")).flag_ids
    assert "abroad_service_job" not in analyzer.analyze(COOK_BISHKEK).flag_ids
    assert "abroad_service_job" not in analyzer.analyze(COOK_BISHKEK, country="KG").flag_ids
    dubai = analyzer.analyze("Требуются официантки в Дубай, зарплата 3000$", country="KG")
    assert "abroad_service_job" in dubai.flag_ids  # Dubai is abroad from Bishkek too


def test_a_check_in_kyrgyzstan_knows_bishkek_is_home(engine: Engine) -> None:
    checked = engine.handle(Conversation(lang="ru", country="KG"), text(COOK_BISHKEK))
    assert "abroad_service_job" not in checked.conversation.data["flags"]


def test_analyze_jsonl_takes_the_country(tmp_path: Path) -> None:
    import json
    import subprocess
    import sys
    root = Path(__file__).resolve().parents[2]
    lines = tmp_path / "in.jsonl"
    lines.write_text(json.dumps({"id": "a", "text": COOK_BISHKEK}, ensure_ascii=False) + "\n",
                     encoding="utf-8")
    run = [sys.executable, str(root / "main.py"), "analyze", "--jsonl", str(lines)]
    home = subprocess.run([*run, "--country", "Кыргызстан"], capture_output=True, text=True,
                          check=True, cwd=tmp_path)
    assert "abroad_service_job" not in json.loads(home.stdout)["flags"]
    unknown = subprocess.run([*run, "--country", "Narnia"], capture_output=True, text=True,
                             check=False, cwd=tmp_path)
    assert unknown.returncode == 1 and "Narnia" in unknown.stderr


def test_analyze_gives_the_route_facts_the_chat_gives(tmp_path: Path) -> None:
    import subprocess
    import sys
    root = Path(__file__).resolve().parents[2]
    offer = ("Требуются разнорабочие на стройку в Москве, зарплата 120000 в месяц, паспорт "
             "отдать бригадиру, без патента можно")
    shown = subprocess.run([sys.executable, str(root / "main.py"), "analyze", "--country",
                            "UZ", offer], capture_output=True, text=True, check=True,
                           cwd=tmp_path, env={**os.environ, "DATA_DIR": str(tmp_path)}).stdout
    assert "нужен патент" in shown  # Russia's patent rule, for a job in Moscow
    assert "xususiy bandlik agentligi" in shown  # Uzbekistan's licensed agencies
    asked = subprocess.run([sys.executable, str(root / "main.py"), "analyze",
                            "что делать, если заберут паспорт?"], capture_output=True,
                           text=True, check=True, cwd=tmp_path,
                           env={**os.environ, "DATA_DIR": str(tmp_path)}).stdout
    assert "risk: low" in asked and "вопрос" in asked  # a question gets the checklist


# -- the one light question -------------------------------------------------------------------

def labels(result: Result, lang: str) -> list[str]:
    return [RENDER.parts((c.label,), lang) for r in result.replies for c in r.choices]


def test_the_first_check_answers_first_then_asks_the_country_once_with_buttons(
        engine: Engine) -> None:
    checked = engine.handle(Conversation(lang="ru"), text(OFFER_RU))
    *answer, question = checked.replies
    assert answer and any("Осторожно" in RENDER.parts(r.parts, "ru")
                          or "Высокий риск" in RENDER.parts(r.parts, "ru") for r in answer)
    buttons = [RENDER.parts((c.label,), "ru") for c in question.choices]
    assert buttons[:5] == ["Россия", "Казахстан", "Киргизия", "Узбекистан", "Таджикистан"]
    assert len(buttons) == 6  # and "another country"
    assert checked.conversation.country == "ZZ" and checked.conversation.known_country == ""
    # Pressed: saved, with that country's numbers.
    kyrgyz = next(c for c in question.choices if RENDER.parts((c.label,), "ru") == "Киргизия")
    saved = engine.handle(checked.conversation, press(kyrgyz.payload))
    assert saved.conversation.country == "KG" and "102" in said(saved, "ru")
    again = engine.handle(saved.conversation, text(OFFER_RU))
    assert not [r for r in again.replies if r.choices and "Киргизия" in labels(again, "ru")]


def test_a_question_left_unanswered_is_never_asked_again(engine: Engine) -> None:
    first = engine.handle(Conversation(lang="id"), command("check"))
    assert "Malaysia" in labels(first, "id") and "Indonesia" in labels(first, "id")
    assert first.conversation.country == "ZZ"
    idle = engine.handle(first.conversation, command("cancel")).conversation
    second = engine.handle(idle, text("Dicari pelayan restoran di Malaysia, gaji 8 juta, "
                                      "paspor disimpan agen, berangkat besok tanpa biaya"))
    assert "Malaysia" not in labels(second, "id")
    assert second.conversation.country == "ZZ"
    # Declined reads as unknown: the language's numbers, never a made-up country's.
    assert "SISKOP2MI" in said(second, "id") or "112" in said(second, "id")


def test_another_country_asks_its_name_and_a_known_country_is_not_asked(
        engine: Engine) -> None:
    checked = engine.handle(Conversation(lang="en"), text(
        "Waitress job in Dubai, salary 3000 USD, the agency keeps your passport, leave "
        "tomorrow, no experience needed"))
    other = next(c for r in checked.replies for c in r.choices
                 if RENDER.parts((c.label,), "en") == "Another country")
    told = engine.handle(checked.conversation, press(other.payload))
    assert "Write the name of the country" in said(told, "en")
    assert "/country" in said(told, "en") and told.conversation.country == "ZZ"
    # The name typed next is the answer, not "paste the whole offer".
    typed = engine.handle(told.conversation, text("Turkey"))
    assert typed.conversation.country == "TR" and "Saved: you are in" in said(typed, "en")
    known = engine.handle(Conversation(lang="en", country="KZ"), command("check"))
    assert "Another country" not in labels(known, "en")


async def test_a_declined_question_is_kept_with_the_conversation(tmp_path: Path) -> None:
    db = await open_database(f"sqlite+aiosqlite:///{tmp_path / 'd.sqlite3'}")
    engine = build_engine()
    asked = engine.handle(Conversation(lang="ru"), command("check")).conversation
    await SqlConversationStore(db).save("d" * 64, asked)
    loaded = await SqlConversationStore(db).load("d" * 64)
    assert loaded.country == "ZZ" and loaded.known_country == ""
    again = engine.handle(engine.handle(loaded, command("cancel")).conversation,
                          command("check"))
    assert "Киргизия" not in labels(again, "ru")
    await db.dispose()


def test_contacts_without_a_place_never_pick_a_country_by_the_language(engine: Engine) -> None:
    asked = engine.handle(Conversation(lang="ru"), command("contacts"))
    urgent = engine.handle(asked.conversation, press(find_choice(asked.replies,
                                                                 "Emergency now")))
    out = said(urgent, "ru")
    assert "8-800" not in out  # not Russia's hotlines for a guess
    assert "102" in out and ("Кыргызстан" in out or "Киргизия" in out)  # the region's numbers
    assert "в какой вы сейчас стране?" in out  # then the one-time question
    question = engine.handle(asked.conversation, press(find_choice(
        asked.replies, "Skip: national numbers")))
    topic = engine.handle(question.conversation, press(find_choice(question.replies, "Skip")))
    chosen = engine.handle(topic.conversation, press(find_choice(
        topic.replies, "Forced work or unpaid wages")))
    assert "8-800" not in said(chosen, "ru") and "/country" in said(chosen, "ru")
    known = engine.handle(Conversation(lang="ru", country="RU"), command("contacts"))
    russia = engine.handle(known.conversation, press(find_choice(known.replies,
                                                                 "Emergency now")))
    assert "112" in said(russia, "ru") and "/country" not in said(russia, "ru")


# -- asked once across check, report and contacts ---------------------------------------------

QUESTION = ("One question, so that numbers and advice fit where you are: which country are you "
            "in now? (You can skip it.)")
OFFERS = {"ru": OFFER_RU,
          "id": "Dicari pelayan restoran di Malaysia, gaji 8 juta, paspor disimpan agen, "
                "berangkat besok tanpa biaya",
          "en": "Waitress job in Dubai, salary 3000 USD, the agency keeps your passport, leave "
                "tomorrow, no experience needed"}
TIPS = {"ru": "Вербовщик обещает работу за границей, просит деньги вперёд",
        "id": "Ada lowongan aneh di grup WA desa, minta uang pendaftaran",
        "en": "A recruiter promises work abroad and asks for money up front"}


def asked_in(result: Result) -> int:
    return sum(1 for r in result.replies for p in r.parts
               if getattr(p, "msgid", None) == QUESTION)


def press_label(engine: Engine, result: Result, label: str) -> Result:
    return engine.handle(result.conversation, press(find_choice(result.replies, label)))


def check(engine: Engine, conv: Conversation, lang: str) -> list[Result]:
    return [engine.handle(conv, text(OFFERS[lang]))]


def report(engine: Engine, conv: Conversation, lang: str) -> list[Result]:
    """A report without a place, up to the step after the place (and the question, if any,
    left unanswered by typing on)."""
    steps = [engine.handle(conv, command("report"))]
    steps.append(engine.handle(steps[-1].conversation, text(TIPS[lang])))
    steps.append(press_label(engine, steps[-1], "Trafficking or a suspicious job offer"))
    steps.append(press_label(engine, steps[-1], "Skip"))  # the place
    if steps[-1].conversation.state == "country":
        steps.append(press_label(engine, steps[-1], "Skip"))
    return steps


def contacts(engine: Engine, conv: Conversation, lang: str) -> list[Result]:
    steps = [engine.handle(conv, command("contacts"))]
    steps.append(press_label(engine, steps[-1], "Skip: national numbers"))
    if steps[-1].conversation.state == "country":
        steps.append(press_label(engine, steps[-1], "Skip"))
    return steps


FLOWS = {"check": check, "report": report, "contacts": contacts}
ORDERS = [("check", "report", "contacts"), ("report", "contacts", "check"),
          ("contacts", "check", "report"), ("report", "check", "contacts")]


@pytest.mark.parametrize("lang", ["ru", "id", "en"])
@pytest.mark.parametrize("order", ORDERS, ids="-".join)
def test_the_question_comes_once_and_only_once_across_the_flows(
        engine: Engine, lang: str, order: tuple[str, ...]) -> None:
    conv = Conversation(lang=lang)
    counts = []
    for name in order:
        steps = FLOWS[name](engine, conv, lang)
        counts.append(sum(asked_in(r) for r in steps))
        conv = engine.handle(steps[-1].conversation, command("cancel")).conversation
    assert counts == [1, 0, 0], (order, counts)  # where it first mattered, then never
    assert conv.country == "ZZ"


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_a_country_answered_in_find_help_serves_the_report_and_the_check(
        engine: Engine, lang: str) -> None:
    steps = [engine.handle(Conversation(lang=lang), command("contacts"))]
    steps.append(press_label(engine, steps[-1], "Skip: national numbers"))
    kyrgyz = {"ru": "Киргизия", "en": "Kyrgyzstan"}[lang]
    steps.append(press_label(engine, steps[-1], kyrgyz))
    conv = engine.handle(steps[-1].conversation, command("cancel")).conversation
    assert conv.country == "KG"
    tip = report(engine, conv, lang)
    assert sum(asked_in(r) for r in tip) == 0 and tip[-1].conversation.state == "when"
    checked = engine.handle(engine.handle(tip[-1].conversation, command("cancel")).conversation,
                            text(OFFERS[lang]))
    assert asked_in(checked) == 0 and "189" in said(checked, lang)  # Kyrgyzstan's line


@pytest.mark.parametrize(("answer", "code"), [
    ("no", None), ("no!", None), ("ga", None), ("ne", None), ("KG", "KG"),
    ("di Cina", "CN"), ("in China", "CN"), ("in North Korea", "KP"),
    ("я в Кении", "KE"), ("я в Новой Зеландии", "NZ"), ("я в Бишкеке", "KG"),
])
def test_a_typed_answer_names_the_country_it_means(answer: str, code: str | None) -> None:
    # Ordinary two-letter words are no country codes ("no" is not Norway, "ga" not Gabon),
    # and a country's name wins over a place of the same name elsewhere (Cina in Sulawesi).
    from flows.countries import country_in_answer
    from referral_directory.gazetteer import Gazetteer

    assert country_in_answer(answer, Gazetteer.load()) == code


def test_an_indonesian_abroad_names_the_country_and_gets_its_mission(engine: Engine) -> None:
    # The question offers where Indonesian migrant workers are placed, and a country typed
    # as the answer ("hongkong", without pressing a button) is saved; the check then names
    # Indonesia's consulate there, which serves the city-state, not Indonesia's 112.
    first = engine.handle(Conversation(lang="id"), text(
        "Dicari pelayan restoran di Hong Kong gaji 20 juta, tanpa pengalaman, berangkat "
        "cepat, biaya dipotong gaji"))
    buttons = labels(first, "id")
    assert {"Indonesia", "Malaysia", "Taiwan", "Arab Saudi", "Korea Selatan"} <= set(buttons)
    typed = engine.handle(first.conversation, text("hongkong"))
    assert typed.conversation.country == "HK"
    checked = engine.handle(engine.handle(typed.conversation, command("cancel")).conversation,
                            text("Dicari pelayan restoran, gaji 20 juta, tanpa pengalaman, "
                                 "biaya dipotong gaji, paspor disimpan agen"))
    out = said(checked, "id")
    assert "+852 6773 0466" in out and "KJRI" in out
    assert "112" not in out and "SAPA" not in out  # Indonesia's lines do not reach Hong Kong
    found = engine.handle(typed.conversation, command("contacts"))
    skip = engine.handle(found.conversation, press(find_choice(found.replies,
                                                               "Skip: national numbers")))
    topic = engine.handle(skip.conversation, press(find_choice(skip.replies,
                                                               "A migrant worker abroad")))
    assert "KJRI" in said(topic, "id")


def test_the_country_command_refuses_a_code_that_is_no_country(engine: Engine) -> None:
    typed = engine.handle(Conversation(lang="id"), command("country", "zz"))
    assert typed.conversation.country == ""
    assert "I do not know the country" in msgids(typed.replies)[0]


def test_a_greeting_after_the_question_was_skipped_is_no_country(engine: Engine) -> None:
    # "Salam" is also a place in Oman: a greeting is never the answer to "where are you?".
    skipped = Conversation(lang="id", country=DECLINED)
    greeted = engine.handle(skipped, text("Salam aleikum"))
    assert greeted.conversation.country == DECLINED
    assert not any("Saved: you are in" in m for m in msgids(greeted.replies))


def test_a_short_text_is_read_as_a_country_only_after_the_question(engine: Engine) -> None:
    # Never asked: "Malaysia" alone is no answer to anything, so nothing is saved.
    idle = engine.handle(Conversation(lang="id"), text("Malaysia"))
    assert idle.conversation.country == ""


def test_a_place_typed_at_the_question_is_kept_as_the_place_too(engine: Engine) -> None:
    # Find help: "я в Бишкеке" gives Kyrgyzstan and Bishkek, so the help is the nearest.
    asked = engine.handle(Conversation(lang="ru"), command("contacts"))
    skipped = engine.handle(asked.conversation, press(find_choice(asked.replies,
                                                                  "Skip: national numbers")))
    typed = engine.handle(skipped.conversation, text("я в Бишкеке"))
    assert typed.conversation.country == "KG"
    assert typed.conversation.data["place"].startswith("city:")
    # The report: the tip is filed under the place typed at the question.
    from tests.unit.test_report_flow import to_where, walk_on

    asked = walk_on(engine, to_where(engine, "id"), "button:Skip")
    assert asked.conversation.state == "country"
    answered = walk_on(engine, asked, text("saya di Wonosobo"))
    assert answered.conversation.country == "ID"
    assert "Wonosobo" in answered.conversation.data["place_label"]


@pytest.mark.parametrize(("told", "lang", "first"), [
    ("я из Оша, дочке 16, предлагают официанткой в Москву, говорят паспорт у них будет",
     "ru", "Киргизия"),
    ("я родом из Ташкента, сыну предлагают стройку в Москве, билет в долг, паспорт отдать "
     "бригадиру", "ru", "Узбекистан"),
    ("I'm from Osh. My son is offered work in Korea, the agent asks 2000 USD before he "
     "leaves", "en", "Kyrgyzstan"),
    ("ya s Osha, synu 17, zovut na stroyku v Ekaterinburg, zarplata 150 tysyach", "ru",
     "Киргизия"),
])
def test_the_country_she_says_she_is_from_is_offered_first_never_saved_unasked(
        engine: Engine, told: str, lang: str, first: str) -> None:
    checked = engine.handle(Conversation(lang=lang), text(told))
    question = checked.replies[-1]
    buttons = [RENDER.parts((c.label,), lang) for c in question.choices]
    assert buttons[0] == first
    assert checked.conversation.known_country == ""  # a migrant in Moscow says it too


def test_a_place_someone_comes_from_is_not_offered_as_hers(engine: Engine) -> None:
    checked = engine.handle(Conversation(lang="ru"), text(
        "Сказали, что из Москвы приедет агент, требуются официантки, зарплата 90000, паспорт "
        "хранится у работодателя"))
    buttons = [RENDER.parts((c.label,), "ru") for c in checked.replies[-1].choices]
    assert buttons[:5] == ["Россия", "Казахстан", "Киргизия", "Узбекистан", "Таджикистан"]


def test_country_after_a_verdict_is_not_told_a_question_waits(engine: Engine) -> None:
    checked = engine.handle(Conversation(lang="ru", country="ZZ"), text(OFFER_RU))
    assert checked.conversation.flow == "check"
    moved = engine.handle(checked.conversation, command("country", "KG"))
    said = msgids(moved.replies)
    assert moved.conversation.country == "KG"
    assert not any("still on the question above" in m for m in said)


@pytest.mark.parametrize(("said", "code"), [
    ("tolong aku dikunci di mess di phnom penh kamboja", "KH"),  # a city of two words
    ("tolong sy abk di kapal ikan taiwan, skrg di laut dekat somalia", None),  # a boat's flag
])
def test_the_country_after_a_two_word_city_is_where_one_is(said: str, code: str | None) -> None:
    from flows.countries import country_where
    assert country_where(said) == code


def test_the_emergency_line_puts_the_country_she_is_from_first(engine: Engine) -> None:
    # "I'm from Bishkek…" had got Malaysia … Russia's numbers and none of Kyrgyzstan's
    checked = engine.handle(Conversation(lang="en"), text(
        "I'm from Bishkek, my friend offers me a job in Korea at a factory, 3000 dollars, "
        "tourist visa, pay the ticket later from salary"))
    said = RENDER.parts(checked.replies[0].parts, "en")
    line = next(x for x in said.split("\n") if x.startswith("Emergency"))
    assert line.split(":")[1].strip() == "Kyrgyzstan"
    assert checked.conversation.known_country == ""


def test_country_given_after_a_verdict_checks_the_offer_again_when_it_changes_it(
        engine: Engine) -> None:
    # A cook's job in Bishkek read from Russia is "abroad"; for someone in Kyrgyzstan it is
    # at home: /country KG after the verdict had only said "Saved"
    checked = engine.handle(Conversation(lang="ru"), text(
        "Требуется официантка в Бишкеке, кафе Нават, зарплата 30000, оформление по ТК"))
    assert "abroad_service_job" in checked.conversation.data["flags"]
    moved = engine.handle(checked.conversation, command("country", "KG"))
    assert "Here is the check again for where you are:" in msgids(moved.replies)
    assert "abroad_service_job" not in moved.conversation.data["flags"]
    unchanged = engine.handle(moved.conversation, command("country", "KG"))
    assert "Here is the check again for where you are:" not in msgids(unchanged.replies)


@pytest.mark.parametrize("offer", [
    "Требуется официантка в Бишкеке, кафе Нават, 30000 сом, оформление по ТК",
    "Ищу няню для ребёнка 3 лет в Алматы, 5 дней в неделю, 250 000 тг, рекомендации",
    "Дочке 17 лет, хочет подработать летом официанткой в кафе у нас в Бишкеке"])
def test_a_job_paid_in_the_local_money_or_here_is_not_abroad(engine: Engine,
                                                             offer: str) -> None:
    checked = engine.handle(Conversation(lang="ru"), text(offer))
    assert "abroad_service_job" not in checked.conversation.data.get("flags", [])


@pytest.mark.parametrize(("typed", "code"), [
    ("uzb", "UZ"), ("KSA", "SA"), ("Kazakstan", "KZ"), ("Tadjikistan", "TJ"),
    ("Kyrgyz", "KG"), ("Узбекистон", "UZ"), ("Osh", "KG"), ("Бишкек", "KG")])
def test_country_takes_codes_misspellings_and_places(engine: Engine, typed: str,
                                                     code: str) -> None:
    moved = engine.handle(Conversation(lang="ru"), command("country", typed))
    assert moved.conversation.country == code


def test_country_does_not_guess_from_a_word_that_is_no_country(engine: Engine) -> None:
    moved = engine.handle(Conversation(lang="ru"), command("country", "blah"))
    assert moved.conversation.country == ""


def test_country_after_a_verdict_with_the_same_signs_gives_that_countrys_advice(
        engine: Engine) -> None:
    checked = engine.handle(Conversation(lang="ru"), text(
        "Требуются официантки в Дубай, 3000$, паспорт у работодателя"))
    moved = engine.handle(checked.conversation, command("country", "KG"))
    said = msgids(moved.replies)
    assert "For the offer you checked:" in said
    assert "licensed agencies" in RENDER.parts(moved.replies[0].parts, "en")  # KG's own


def test_the_country_question_fits_a_whatsapp_list_with_the_flows_buttons() -> None:
    # a likely country put first, "another country" and two buttons of find help had made
    # eleven rows (the fuzzed walks found it); WhatsApp shows ten
    from flows.countries import country_question
    from flows.types import Choice, msg
    from flows.whom_to_call import country_name
    extra = (Choice("a", msg("Emergency now")), Choice("b", msg("Skip")))
    for lang in ("ru", "id", "en"):
        question = country_question(lang, 0, "contacts", "country", extra=extra, likely="KG")
        assert len(question.choices) <= 10
        assert RENDER.parts((question.choices[0].label,), lang) == country_name("KG", lang)
