"""The check-an-offer and screening flows through the real engine, analyzer and directory."""

from __future__ import annotations

import pytest

from bot.app import build_engine
from flows.engine import Conversation, Engine
from flows.types import Bullets, Inbound, Kind, Msg, Quote
from tests.helpers.events import command, find_choice, msgids, press, text

OFFER = ("Dicari pelayan restoran di Malaysia, gaji 20 juta per bulan, tidak perlu "
         "pengalaman. Paspor disimpan agen.")


@pytest.fixture(scope="module")
def engine() -> Engine:
    return build_engine()


def all_text(result) -> str:  # type: ignore[no-untyped-def]
    """Every msgid and quoted value of a result, to search in."""
    out: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, Msg):
            out.append(value.msgid)
            for param in value.params.values():
                walk(param)
        elif isinstance(value, Quote):
            out.append(value.text)
        elif isinstance(value, Bullets):
            for item in value.items:
                walk(item)
        elif isinstance(value, str):
            out.append(value)

    for reply in result.replies:
        for part in reply.parts:
            walk(part)
    return "\n".join(out)


def test_pasted_offer_is_checked_without_a_command(engine: Engine) -> None:
    result = engine.handle(Conversation(lang="id"), text(OFFER))
    said = all_text(result)
    assert result.conversation.flow == "check"
    assert "Someone else keeps the documents" in said
    assert "Paspor disimpan" in said  # the quoted evidence
    assert "*What to do now:*" in said
    assert "129" in said  # SAPA 129, from the directory
    assert "2026-01-28" in said  # with the date its source was seen
    assert result.conversation.data["flags"] == [
        "document_retention", "vague_job_lure", "abroad_service_job", "unrealistic_pay",
        "no_requirements"]


def test_report_it_hands_the_offer_to_a_report_draft(engine: Engine) -> None:
    checked = engine.handle(Conversation(lang="id"), text(OFFER))
    drafted = engine.handle(checked.conversation, press(find_choice(checked.replies,
                                                                    "Report it")))
    assert drafted.conversation.flow == "report"
    assert drafted.conversation.state == "topic"  # the offer is already the description
    assert drafted.conversation.data["text"] == OFFER


def test_the_offer_text_is_forgotten_when_the_flow_ends(engine: Engine) -> None:
    checked = engine.handle(Conversation(lang="id"), text(OFFER))
    menu = engine.handle(checked.conversation, command("cancel"))
    assert "Paspor" not in str(menu.conversation)


def test_check_command_asks_then_checks(engine: Engine) -> None:
    asked = engine.handle(Conversation(lang="ru"), command("check"))
    assert asked.conversation.state == "text"
    done = engine.handle(asked.conversation, text("Ваш паспорт будет храниться у работодателя."))
    assert "Someone else keeps the documents" in all_text(done)


def test_check_command_with_the_text_as_argument(engine: Engine) -> None:
    done = engine.handle(Conversation(lang="en"), command("check", "Tourist visa, contract "
                                                                  "after arrival."))
    assert "Not the legal route" in all_text(done)


def test_forwarded_message_is_checked(engine: Engine) -> None:
    event = Inbound(kind=Kind.FORWARD, text="Lowongan pabrik, gaji 40 juta, daftar hari ini",
                    forward_origin="channel")
    result = engine.handle(Conversation(lang="id"), event)
    assert result.conversation.flow == "check"


def test_low_risk_offer_still_gets_advice(engine: Engine) -> None:
    result = engine.handle(Conversation(lang="id"), text(
        "Rumah Sakit Harapan, Jl. Pemuda 40, Klaten, membuka lowongan bidan. Syarat: D3."))
    said = all_text(result)
    assert "*I did not find warning signs in this text.*" in said
    assert "Signs in favour of the offer:" in said


def test_screening_after_a_check_skips_what_the_text_showed(engine: Engine) -> None:
    checked = engine.handle(Conversation(lang="id"), text(OFFER))
    started = engine.handle(checked.conversation,
                            press(find_choice(checked.replies, "Answer a few questions")))
    assert started.conversation.flow == "screen"
    asked = [p for p in msgids(started.replies) if p.startswith("Question")]
    assert asked == ["Question {number} of {total}: {question}"]
    conv, replies = started.conversation, started.replies
    answers = ["Yes"] + ["No"] * 20
    while conv.flow == "screen":
        step = engine.handle(conv, press(find_choice(replies, answers.pop(0))))
        conv, replies = step.conversation, step.replies
        # document_retention came from the text: its question is never asked
        assert "Will someone else keep your passport, ID card or diploma?" not in all_text(step)
    said = all_text(step)
    assert "Aimed at someone under 18" in said  # the first answer was yes
    assert "Someone else keeps the documents" in said  # carried over from the text


def test_screening_from_the_menu_with_typed_answers(engine: Engine) -> None:
    conv = engine.handle(Conversation(lang="ru"), command("questions")).conversation
    for answer in ["нет", "да", "не знаю"] + ["нет"] * 7:
        step = engine.handle(conv, text(answer))
        conv = step.conversation
    assert conv.idle
    said = all_text(step)
    assert "Money to the family becomes a debt" in said
    assert "Find out before you agree:" in said


def test_an_unclear_answer_repeats_the_question(engine: Engine) -> None:
    conv = engine.handle(Conversation(lang="id"), command("questions")).conversation
    step = engine.handle(conv, text("hmm"))
    assert step.conversation.data["index"] == conv.data["index"]
    assert "Please answer with the buttons: yes, no or not sure." in msgids(step.replies)


@pytest.mark.parametrize(("lang", "message", "lead"), [
    ("en", "Can an employer in Dubai legally keep my passport? I want to know my rights.",
     "This reads as a question"),
    ("ru", "Осторожно! Настоящий работодатель никогда не забирает паспорт и не берёт денег за "
           "трудоустройство. Проверяйте лицензию агентства.", "This reads as a warning"),
    ("id", "Alhamdulillah besok aku terbang ke Taipei lewat P3MI resmi, paspor aku pegang "
           "sendiri. Doain ya!", "This reads as personal news"),
    # An offer announced, not shown: no "no warning signs" about what the text never says.
    ("id", "nuwun sewu mas, niki wonten tawaran saking pak Slamet kangge putune kulo",
     "I see no details of a job in this message yet"),
])
def test_a_message_that_offers_no_job_gets_the_checklist_not_a_verdict(
        engine: Engine, lang: str, message: str, lead: str) -> None:
    said = all_text(engine.handle(Conversation(lang=lang), command("check", message)))
    assert lead in said
    assert "In any offer, these are warning signs" in said
    # no flag, no verdict; a question about a sign is told about that sign
    if "Someone else keeps the documents" in said:
        assert lead == "This reads as a question"
        assert said.index("About what you ask:") < said.index("Someone else keeps the documents")
    assert "warning signs that traffickers use" not in said
    assert "*What to do now:*" not in said


def test_an_offer_under_a_warning_header_is_still_judged(engine: Engine) -> None:
    offer = ("⚠️ WASPADA PENIPUAN ⚠️ Hanya kami agen resmi! Kerja di Arab jadi ART, berangkat "
             "pakai visa ziarah, gaji 8jt. Paspor disimpan agen. Hub 0812-0000-1234")
    said = all_text(engine.handle(Conversation(lang="id"), command("check", offer)))
    assert "Someone else keeps the documents" in said
    assert "This reads as a warning" not in said


def test_someone_already_where_the_job_is_is_not_told_before_you_go() -> None:
    from flows.check_offer.explain import advice_parts
    from flows.red_flags import Risk
    from flows.types import Bullets

    def advice(country: str, destinations: tuple[str, ...]) -> list[str]:
        bullets = [p for p in advice_parts(Risk.HIGH, country, destinations, "en")
                   if isinstance(p, Bullets)]
        return [m.msgid for m in bullets[0].items]
    here = advice("HK", ("HK",))
    assert any("before you start" in m for m in here)
    assert not any("before you go" in m for m in here)
    # From Indonesia to Malaysia the route facts of Indonesia speak; with no country known
    # the general line says "before you go".
    assert any("before you go" in m for m in advice("", ("MY",)))


@pytest.mark.parametrize(("told", "lang", "quoted"), [
    ("дочке 16 лет предлагают работу", "ru", "дочке 16 лет"),
    ("anakku 15 th ditawari kerja", "id", "anakku 15 th"),
    ("my girl is 15, got offered a job", "en", "15"),
])
def test_an_offer_told_in_one_line_is_checked_and_asks_for_the_rest(
        engine: Engine, told: str, lang: str, quoted: str) -> None:
    result = engine.handle(Conversation(lang=lang), text(told))
    said = all_text(result)
    assert "I don't understand." not in " ".join(msgids(result.replies))
    assert quoted in said  # the sign, quoted
    assert "This message gives no details of the job yet" in said


def test_an_offer_with_its_details_is_not_asked_for_more(engine: Engine) -> None:
    said = all_text(engine.handle(Conversation(lang="id"), text(OFFER)))
    assert "warning sign" in said and "This message gives no details of the job yet" not in said


@pytest.mark.parametrize("short", ["ok makasih", "паспорт потеряла где восстановить", "hmm"])
def test_a_short_line_with_no_sign_is_not_checked(engine: Engine, short: str) -> None:
    said = " ".join(msgids(engine.handle(Conversation(lang="ru"), text(short)).replies))
    assert "warning sign" not in said


@pytest.mark.parametrize(("asked", "lang"), [
    ("if an agent asks to keep my passport is that legal?", "en"),
    ("можно ли работодателю хранить мой паспорт?", "ru"),
])
def test_a_question_about_a_sign_gets_what_the_bot_knows_of_it(engine: Engine, asked: str,
                                                              lang: str) -> None:
    said = all_text(engine.handle(Conversation(lang=lang), text(asked)))
    assert "This reads as a question" in said and "About what you ask:" in said
    assert "Nobody may keep your passport or ID." in said  # the sign's own explanation
    assert "warning signs that traffickers use" not in said  # no verdict


def test_a_question_with_no_sign_in_it_gets_the_checklist_alone(engine: Engine) -> None:
    said = all_text(engine.handle(Conversation(lang="en"), text(
        "what documents do I need to work legally in Malaysia?")))
    assert "About what you ask:" not in said


@pytest.mark.parametrize(("typed", "meaning"), [
    ("gk", "n"), ("ngga", "n"), ("ora", "n"), ("net", "n"), ("нету", "n"), ("da", "y"),
    ("iya", "y"), ("хз", "u"), ("gatau", "u"), ("gk tau", "u"), ("good", None)])
def test_the_questionnaire_reads_chat_answers(typed: str, meaning: str | None) -> None:
    from flows.screening.questions import typed_answer
    assert typed_answer(typed) == meaning
