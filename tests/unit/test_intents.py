"""Short messages that say what they want, as people type them instead of a command, start
that flow through the real engine; an advert that happens to use such words is still
checked, and a report's own answers are never read as a wish."""

from __future__ import annotations

import pytest

from bot.app import build_engine
from flows.engine import Conversation, Engine
from flows.intents import intent_of
from tests.helpers.events import command, find_choice, msgids, press, text
from tests.unit.test_distress import rendered


@pytest.fixture(scope="module")
def engine() -> Engine:
    return build_engine()


@pytest.mark.parametrize(("said", "flow"), [
    ("lapor", "report"), ("mau lapor aja", "report"), ("сообщить", "report"),
    ("sy relawan di kupang, mau lapor aja ttg perekrut", "report"),
    ("saya sudah lapor ke polisi kemarin", None),
    ("i want to report", "report"),
    ("куда звонить?", "contacts"), ("а в милицию можно позвонить?", "contacts"),
    ("nomor kbri brp kak?", "contacts"), ("who can i call", "contacts"),
    ("ok makasih", None), ("gaji berapa?", None), ("laporan keuangan bulanan", None),
    # where a mission is
    ("где консульство Кыргызстана в Москве?", "contacts"), ("alamat kbri riyadh", "contacts"),
    ("kjri hongkong dimana ya kak", "contacts"), ("where is the embassy", "contacts"),
    ("а консульство узбекистана в москве где?", "contacts"),
    ("kedutaan besar itu gedung tinggi", None),
    # a receipt code alone
    ("K7QF-2MXP-9HRT", "status"), ("status k7qf-2mxp-9hrt", "status"),
    ("код K7QF-2MXP-9HRT.", "status"), ("K7QF2MXP9HRT", None), ("TRANSPORTASI", None),
])
def test_the_wish_a_short_text_names(said: str, flow: str | None) -> None:
    assert intent_of(said) == flow


@pytest.mark.parametrize(("lang", "said", "flow"), [
    ("id", "mau lapor aja", "report"),
    ("ru", "куда звонить то?", "contacts"),
    ("ru", "я в Оше живу", "contacts"),
    ("id", "kulo wonten Wonogiri", "contacts"),
    ("en", "what number can i call for labor complaint", "contacts"),
])
def test_a_wish_starts_its_flow(engine: Engine, lang: str, said: str, flow: str) -> None:
    assert engine.handle(Conversation(lang=lang), text(said)).conversation.flow == flow


def test_a_place_said_as_where_one_is_finds_help_there(engine: Engine) -> None:
    result = engine.handle(Conversation(lang="ru"), text("я в Оше живу"))
    assert result.conversation.country == "KG"


def test_an_advert_with_such_words_is_still_checked(engine: Engine) -> None:
    advert = "Lowongan kerja pabrik, gaji 8jt, hubungi siapa saja di 0812xxxx"
    assert engine.handle(Conversation(lang="id"), text(advert)).conversation.flow != "contacts"


def test_a_reports_answers_are_no_wishes(engine: Engine) -> None:
    conv = engine.handle(Conversation(lang="id"), command("report")).conversation
    result = engine.handle(conv, text("lapor ada calo di desa"))
    assert result.conversation.flow == "report"


def test_a_question_typed_in_learn_is_answered_with_a_word_not_the_same_menu(
        engine: Engine) -> None:
    conv = engine.handle(Conversation(lang="ru"), command("learn")).conversation
    result = engine.handle(conv, text("а что такое EPS"))
    said = msgids(result.replies)
    assert said[0].startswith("I cannot answer typed questions here.")
    assert result.conversation.flow == "learn"


def test_a_question_after_a_verdict_is_about_that_offer(engine: Engine) -> None:
    offer = ("kerja cafe di jakarta gaji 6jt, mess gratis, ktp dipegang bos dulu buat "
             "jaminan, jangan bilang ortu ya, umur 16 boleh")
    checked = engine.handle(Conversation(lang="id"), text(offer))
    for question in ("itu aman ga teh?", "trus aku harus gimana",
                     "kalo aku udah terima duitnya berarti wajib berangkat ga"):
        said = msgids(engine.handle(checked.conversation, text(question)).replies)
        assert "About the offer I just checked:" in said, question
        assert not any(m.startswith("*I did not find warning signs") for m in said), question


def test_a_fact_added_after_a_verdict_is_checked_with_the_offer(engine: Engine) -> None:
    offer = ("Требуются разнорабочие на стройку в Москве, зарплата 90 тысяч, жильё есть, "
             "оплата каждую неделю. Звоните")
    checked = engine.handle(Conversation(lang="ru", country="KG"), text(offer))
    assert "minor_targeted" not in checked.conversation.data.get("flags", [])
    added = engine.handle(checked.conversation, text("а ему 17 лет, это можно?"))
    assert "minor_targeted" in added.conversation.data["flags"]
    assert "About the offer I just checked:" not in msgids(added.replies)
    # A question that adds nothing gets the verdict again.
    again = engine.handle(added.conversation, text("это нормально?"))
    assert "About the offer I just checked:" in msgids(again.replies)


def test_a_greeting_that_tells_no_language_does_not_fix_one(engine: Engine) -> None:
    # "salam" is everyone's: answered in the default, the next real message decides.
    greeted = engine.handle(Conversation(), text("salam"))
    assert greeted.conversation.lang == "" and greeted.lang == "id"
    then = engine.handle(greeted.conversation, text(
        "ya v koree rabotayu na zavode, priehal po turisticheskoi vize, ne oformlen"))
    assert then.conversation.lang == "ru"
    started = engine.handle(Conversation(), command("start"))
    assert engine.handle(started.conversation, text("привет")).conversation.lang == "ru"


def test_a_nationality_or_a_mission_is_not_where_one_is(engine: Engine) -> None:
    at_sea = engine.handle(Conversation(lang="id"), text(
        "tolong sy abk di kapal ikan taiwan, skrg di laut dekat somalia"))
    said = engine.handle(at_sea.conversation, text("kami 6 org indonesia di kapal ini"))
    assert said.conversation.known_country != "ID"
    dubai = engine.handle(Conversation(lang="ru"), text(
        "помогите пожалуйста я в Дубае работаю уборщицей, спонсор забрал паспорт"))
    assert dubai.conversation.country == "AE"
    asked = engine.handle(dubai.conversation, text("а консульство узбекистана есть?"))
    assert asked.conversation.country == "AE"


def test_chat_names_of_countries_say_where_one_is(engine: Engine) -> None:
    result = engine.handle(Conversation(lang="id"), text(
        "kak aku bmi di hk, paspor aku dipegang agensi, gaji dipotong 7 bulan, tolong"))
    assert result.conversation.country == "HK"
    assert "999" in rendered(result, "id")[0]


@pytest.mark.parametrize(("lang", "thanks"), [("ru", "спасибо"), ("en", "thank you sir"),
                                              ("id", "hatur nuhun teh"), ("id", "matur suwun")])
def test_thanks_are_answered_kindly_not_i_did_not_understand(engine: Engine, lang: str,
                                                             thanks: str) -> None:
    said = msgids(engine.handle(Conversation(lang=lang), text(thanks)).replies)
    assert said[0] == "You are welcome. If you need anything else, write here at any time."


def test_a_child_who_already_sent_photos_gets_the_emergency_answer(engine: Engine) -> None:
    result = engine.handle(Conversation(lang="id"), text("kalo foto udh kukirim gimana kak 😭"))
    assert msgids(result.replies)[0].startswith("*Emergency:*")


@pytest.mark.parametrize(("lang", "said"), [("id", "kak mau nanya dong"),
                                            ("id", "punten teh, abdi mau nanya"),
                                            ("ru", "можно спросить?"),
                                            ("en", "can i ask something")])
def test_a_question_announced_gets_an_invitation(engine: Engine, lang: str, said: str) -> None:
    replies = msgids(engine.handle(Conversation(lang=lang), text(said)).replies)
    assert replies[0] == "Of course. Write your question, or paste the offer you want me to check."


def test_a_reports_place_may_be_a_country_without_places(engine: Engine) -> None:
    conv = engine.handle(Conversation(lang="id"), command("report")).conversation
    told = engine.handle(conv, text("kapten tahan paspor kami, gaji 8 bulan tidak dibayar di "
                                    "kapal ikan"))
    topic = engine.handle(told.conversation, press(find_choice(told.replies,
                                                                "A migrant worker abroad")))
    assert topic.conversation.state == "where"
    after = engine.handle(topic.conversation, text("somalia"))
    assert after.conversation.state != "where"  # no loop: the country routes the tip


def test_whom_to_call_typed_in_find_help_is_no_place(engine: Engine) -> None:
    conv = engine.handle(Conversation(lang="ru", country="TR"), command("contacts")).conversation
    result = engine.handle(conv, text("а теперь куда звонить?"))
    assert not any(m.startswith("I could not find the place") for m in msgids(result.replies))
    assert result.conversation.state == "topic"


def test_an_indonesian_whose_place_is_unknown_gets_the_line_for_citizens_abroad(
        engine: Engine) -> None:
    result = engine.handle(Conversation(lang="id"), text(
        "tolong sy abk di kapal ikan taiwan, skrg di laut dekat somalia"))
    assert "+62 812 90070027" in rendered(result, "id")[0]  # Kemlu PWNI, from the directory


def test_who_cannot_call_is_told_how_to_write_numbers_still_first(engine: Engine) -> None:
    cry = engine.handle(Conversation(lang="id"), text("tolong sy dikurung majikan"))
    result = engine.handle(cry.conversation,
                           text("sy ga bisa nelpon, cuma bisa wa kalo ada sinyal"))
    said = msgids(result.replies)
    assert said[0].startswith("*Emergency:*")
    assert said[1].startswith("If you cannot call, write instead")


def test_a_mistyped_answer_after_a_verdict_keeps_its_buttons(engine: Engine) -> None:
    checked = engine.handle(Conversation(lang="id"), text(
        "Lowongan operator produksi PT Sinar Abadi, Jl. Industri Raya 3 Bekasi, gaji UMK, "
        "BPJS, lamaran ke HRD"))
    typo = engine.handle(checked.conversation, text("4"))
    assert typo.conversation.state == checked.conversation.state == "result"
    pressed = engine.handle(typo.conversation, press(find_choice(typo.replies, "Report it")))
    assert pressed.conversation.flow == "report"  # the button shown is not "an earlier one"


def test_a_job_at_home_gets_no_line_for_citizens_abroad(engine: Engine) -> None:
    at_home = rendered(engine.handle(Conversation(lang="id", country="ID"), text(
        "kerja cafe di jakarta gaji 6jt, mess gratis, ktp dipegang bos dulu buat jaminan")),
        "id")[0]
    assert "PWNI" not in at_home
    abroad = rendered(engine.handle(Conversation(lang="id", country="ID"), text(
        "kerja cafe di malaysia gaji 6jt, mess gratis, paspor dipegang bos dulu buat jaminan")),
        "id")[0]
    assert "SAPA" in abroad


@pytest.mark.parametrize(("lang", "said"), [("en", "is this job safe?"), ("id", "aman gak ya?"),
                                            ("id", "kak tolong cek loker dong"),
                                            ("ru", "это не развод?"),
                                            ("ru", "проверьте вакансию пожалуйста")])
def test_asking_whether_an_offer_is_safe_asks_for_it_then_checks_it(
        engine: Engine, lang: str, said: str) -> None:
    asked = engine.handle(Conversation(lang=lang, country="ID"), text(said))
    assert msgids(asked.replies)[0].startswith("Paste the job offer here"), said
    offer = ("Dicari pelayan cafe di Batam, umur 15 tahun boleh, gaji 8jt, paspor dipegang agen"
             if lang == "id" else "Waitress in Dubai, 3000 USD a month, no experience, the "
             "agency keeps your passport" if lang == "en" else
             "Официантки в Дубай, 3000$ в месяц, опыт не нужен, паспорт хранится у агента")
    checked = engine.handle(asked.conversation, text(offer))
    assert "document_retention" in checked.conversation.data["flags"], said


def test_a_report_asked_for_with_what_happened_keeps_it_as_the_tip(engine: Engine) -> None:
    told = engine.handle(Conversation(lang="id"), text(
        "sy relawan di kupang, mau lapor aja ttg perekrut"))
    assert told.conversation.flow == "report"
    assert "perekrut" in told.conversation.data["text"]
    bare = engine.handle(Conversation(lang="id"), text("mau lapor aja"))
    assert bare.conversation.flow == "report" and not bare.conversation.data.get("text")


@pytest.mark.parametrize(("said", "lang", "country"), [
    ("куда звонить в Корее?", "ru", "KR"), ("я учусь в Сеуле, куда звонить если что", "ru", "KR"),
])
def test_whom_to_call_in_a_place_named_goes_to_that_place(
        engine: Engine, said: str, lang: str, country: str) -> None:
    result = engine.handle(Conversation(), text(said))
    assert result.conversation.lang == lang
    assert result.conversation.flow == "contacts"
    assert result.conversation.data.get("country") == country, result.conversation.data


def test_whom_to_call_with_no_place_asks_where_in_the_language_typed(engine: Engine) -> None:
    result = engine.handle(Conversation(), text("who can i call"))
    assert result.conversation.lang == "en" and result.conversation.flow == "contacts"
    assert msgids(result.replies)[0].startswith("Where are you?")


def test_the_verdict_again_gives_the_same_advice_and_contacts_as_the_first(
        engine: Engine) -> None:
    offer = ("Dicari ART untuk majikan di Dubai, gaji 8jt, paspor dipegang agen, berangkat "
             "minggu depan")
    first = engine.handle(Conversation(lang="id", country="ID"), text(offer))
    again = engine.handle(first.conversation, text("itu aman ga?"))
    said_first, said_again = rendered(first, "id")[0], rendered(again, "id")[0]
    assert "Uni Emirat Arab" in said_first  # the route fact of the job's country
    tail = said_first[said_first.index("Yang perlu dilakukan sekarang"):]
    assert tail in said_again


def test_a_mission_asked_for_in_a_place_is_answered_with_the_help_there(engine: Engine) -> None:
    # The place and the topic are both said: no topic question, the mission itself.
    asked = engine.handle(Conversation(lang="id"), text("alamat kbri riyadh"))
    out = rendered(asked, "id")[0]
    assert "KBRI Riyadh" in out and "Tentang apa?" not in out
    assert asked.conversation.country == "SA" and asked.conversation.idle
