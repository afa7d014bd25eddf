"""The report flow through the real engine: every step, skips, limits, the SaveTip effect."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.app import build_deps
from bot.i18n import Translator
from bot.rendering import TextRenderer
from flows.deps import FlowDeps
from flows.engine import Conversation, Engine, Result
from flows.registry import all_flows
from flows.report.effects import SaveTip
from flows.types import Inbound, Kind
from tests.helpers.events import command, find_choice, msgids, press, text
from tests.unit.test_check_flow import all_text


class FixedTokens:
    def draft_id(self) -> str:
        return "draft-0001"

    def receipt(self) -> str:
        return "K7QF-2MXP-9HRT"


@pytest.fixture(scope="module")
def engine() -> Engine:
    deps: FlowDeps = replace(build_deps(), tokens=FixedTokens())
    return Engine(all_flows(), deps)


def walk(engine: Engine, conv: Conversation, *events: object) -> Result:
    result = None
    for event in events:
        if isinstance(event, str) and event.startswith("button:"):
            assert result is not None
            event = press(find_choice(result.replies, event[7:]))
        result = engine.handle(conv, event)  # type: ignore[arg-type]
        conv = result.conversation
    assert result is not None
    return result


# A child's case in Indramayu, urgent, with the recruiter's handle, NGOs only: the answers
# after the tip's text, up to the summary.
TO_SUMMARY = ("button:Sexual exploitation of a child", text("Indramayu"), text("last week"),
              "button:A child under 18", text("@darmo_kerja on Instagram"),
              "button:Only organisations that help (NGOs)")


def test_a_whole_report(engine: Engine) -> None:
    result = walk(
        engine, Conversation(lang="en"), command("report"),
        text("A broker named Pak Darmo from PT Sinar Abadi offers girls work in a restaurant "
             "in Malaysia and keeps their passports. Call him 0812-3456-7890."), *TO_SUMMARY)
    assert result.conversation.state == "confirm"
    said = all_text(result)
    assert "Indramayu, Jawa Barat" in said and "Marked urgent" in said
    assert "The description contains a phone number." in said[:2000] or "phone number" in said
    sent = engine.handle(result.conversation, press(find_choice(result.replies, "Send")))
    assert sent.conversation.idle
    (effect,) = sent.effects
    assert isinstance(effect, SaveTip)
    assert effect.receipt == "K7QF-2MXP-9HRT" and effect.draft_id == "draft-0001"
    assert effect.topic == "child_sexual_exploitation" and effect.urgent and effect.minor
    assert effect.place_id == "city:1643078" and effect.country == "ID"
    assert "document_retention" in effect.flags and effect.risk == "high"
    assert ("phone", "+6281234567890") in effect.marks
    assert ("handle", "darmo_kerja") in effect.marks and ("name", "darmo") in effect.marks
    assert effect.routes and all(reason in ("local", "national", "urgent")
                                 for _, reason in effect.routes)
    assert "K7QF-2MXP-9HRT" in all_text(sent)


def test_every_step_can_be_skipped_but_a_report_needs_words(engine: Engine) -> None:
    result = walk(engine, Conversation(lang="id"), command("report"))
    assert "Skip" not in [c.label.msgid for r in result.replies  # type: ignore[union-attr]
                          for c in r.choices]  # the description is the one thing asked for
    # topic, place, the country question (no place gave one), when, danger, recruiter
    result = walk(engine, result.conversation, text("Ada lowongan aneh di grup WA desa."),
                  "button:Skip", "button:Skip", "button:Skip", "button:Skip", "button:Skip",
                  "button:Skip", "button:Only organisations that help (NGOs)")
    assert result.conversation.state == "confirm"
    said = all_text(result)
    assert said.count("not given") == 3  # where, when, recruiter


def test_cancel_drops_the_draft(engine: Engine) -> None:
    result = walk(engine, Conversation(lang="ru"), command("report"), text("Подозрительная "
                                                                           "вакансия"),
                  command("cancel"))
    assert result.conversation.idle and result.effects == ()
    assert "Cancelled. Nothing was saved." in msgids(result.replies)


def test_too_long_text_is_refused_not_cut(engine: Engine) -> None:
    result = walk(engine, Conversation(lang="id"), command("report"), text("x" * 4001))
    assert result.conversation.state == "what"
    part = result.replies[0].parts[0]
    assert part.params == {"size": 4001, "limit": 4000}  # type: ignore[union-attr]


def test_danger_shows_the_emergency_numbers_first(engine: Engine) -> None:
    result = walk(engine, Conversation(lang="id"), command("report"), text("Ada anak dikurung "
                                                                           "di rumah majikan"),
                  "button:Skip", "button:Skip", "button:Skip", "button:Skip",
                  "button:Someone is in danger now")
    assert msgids(result.replies)[0].startswith("*Emergency:* {numbers}")


def test_photos_join_the_draft(engine: Engine) -> None:
    result = walk(engine, Conversation(lang="id"), command("report"),
                  Inbound(kind=Kind.MEDIA, choice="p" + "a" * 24, text="brosur di pasar"))
    assert result.conversation.data["attachments"] == ["p" + "a" * 24]
    assert result.conversation.data["text"] == "brosur di pasar"


@pytest.mark.parametrize("skips", [0, 1, 2, 3, 4, 5, 6])
def test_a_photo_sent_at_a_later_step_joins_the_draft_and_the_step_is_asked_again(
        engine: Engine, skips: int) -> None:
    # At the topic, the place, the country question, the time, the danger question, the
    # recruiter or the consent: a photo is never dropped.
    asked = walk(engine, Conversation(lang="id"), command("report"),
                 text("Ada lowongan aneh di grup"), *["button:Skip"] * skips)
    state = asked.conversation.state
    token = "p" + "b" * 24
    again = engine.handle(asked.conversation, Inbound(kind=Kind.MEDIA, choice=token,
                                                      text="foto brosur"))
    assert again.conversation.state == state
    assert again.conversation.data["attachments"] == [token]
    assert "foto brosur" in again.conversation.data["text"]
    assert msgids(again.replies)[0] == "{n} photo received: it is added to your report."


def test_forwarded_offer_goes_straight_to_the_topic(engine: Engine) -> None:
    result = walk(engine, Conversation(lang="id"), command("report", "Lowongan pabrik di "
                                                                      "Kamboja gaji 15 juta"))
    assert result.conversation.state == "topic"


def test_status_without_a_code_asks_for_it(engine: Engine) -> None:
    result = walk(engine, Conversation(lang="id"), command("status"))
    assert result.conversation.state == "code"
    looked = engine.handle(result.conversation, text("K7QF-2MXP-9HRT"))
    assert looked.effects and looked.conversation.idle


# -- emergency numbers at once, and consent honoured before "Send" ----------------------------

RENDER = TextRenderer(Translator.load())


def rendered(result: Result, lang: str) -> str:
    return "\n\n".join(RENDER.parts(r.parts, lang) for r in result.replies)


def to_danger(engine: Engine, lang: str, place: str | None, country: str = "") -> Result:
    """A report up to the danger question, with or without a place; without one, the
    country question is answered with ``country`` (a button's label) or skipped."""
    result = walk(engine, Conversation(lang=lang), command("report"),
                  text("Agen menahan paspor dan mengunci kami di asrama"),
                  "button:Trafficking or a suspicious job offer")
    result = walk_on(engine, result, text(place) if place else "button:Skip")
    if result.conversation.state == "country":
        result = walk_on(engine, result, "button:" + (country or "Skip"))
    return walk_on(engine, result, "button:Skip")  # when


def walk_on(engine: Engine, result: Result, *events: object) -> Result:
    for event in events:
        if isinstance(event, str):
            event = press(find_choice(result.replies, event[7:]))
        result = engine.handle(result.conversation, event)  # type: ignore[arg-type]
    return result


@pytest.mark.parametrize(("answer", "lang", "place", "number"), [
    ("Someone is in danger now", "id", None, "112"),
    ("A child under 18", "id", None, "112"),
    ("Both", "en", "Indramayu", "110"),
    ("A child under 18", "ru", "Алматы", "102"),  # the place's country, not the language's
    ("Someone is in danger now", "ru", "Бишкек", "102"),
    # No place, the country question skipped: the numbers of the language's countries
    # (Russia and Central Asia), never Russia's alone.
    ("A child under 18", "ru", None, "112"),
])
def test_danger_or_a_child_shows_the_countrys_emergency_numbers_at_once(
        engine: Engine, answer: str, lang: str, place: str | None, number: str) -> None:
    result = walk_on(engine, to_danger(engine, lang, place), "button:" + answer)
    assert result.conversation.state == "recruiter"
    first_lines = rendered(result, lang).splitlines()[:2]
    assert any(number in line for line in first_lines), first_lines
    said = msgids(result.replies)
    assert said[0].startswith("*Emergency:*")
    assert said.index("What do you know about the recruiter? Names, phone numbers, the agency, "
                      "social media accounts. This describes them, not you.") > 0


def test_kazakhstan_gets_its_own_numbers_not_indonesias(engine: Engine) -> None:
    result = walk_on(engine, to_danger(engine, "id", "Shymkent"), "button:A child under 18")
    head = rendered(result, "id").split("\n\n")[0]
    assert "112" in head and "102" in head and "110" not in head


def test_no_danger_no_numbers(engine: Engine) -> None:
    result = walk_on(engine, to_danger(engine, "id", None), "button:No")
    assert not any(m.startswith("*Emergency:*") for m in msgids(result.replies))


@pytest.mark.parametrize(("typed", "lang", "urgent"), [
    ("да", "ru", True), ("iya ada", "id", True), ("yes", "en", True),
    ("нет", "ru", False), ("gak ada", "id", False), ("anak umur 15", "id", True),
])
def test_a_typed_answer_to_the_danger_question_is_read(engine: Engine, typed: str, lang: str,
                                                       urgent: bool) -> None:
    # People type "да" rather than press a button: the question is not asked again.
    result = walk_on(engine, to_danger(engine, lang, None), text(typed))
    assert result.conversation.state == "recruiter", typed
    shown = any(m.startswith("*Emergency:*") for m in msgids(result.replies))
    assert shown is urgent, typed


def to_confirm(engine: Engine, lang: str, topic: str, place: str) -> Result:
    result = walk(engine, Conversation(lang=lang), command("report"),
                  text("Вербовщик обещает работу в Москве, паспорт заберут"),
                  "button:" + topic)
    return walk_on(engine, result, text(place), "button:Skip", "button:No", "button:Skip",
                   "button:Only organisations that help (NGOs)")


NO_NGO_HERE = ("With “NGOs only”, no organisation in the directory will receive this report "
               "here. You can also allow police and government, or send it anyway: the team "
               "will then pass it on by hand.")
NOBODY = ("No organisation in the directory covers this place and topic yet. If you send it, "
          "the team will pass it on by hand.")


def test_the_summary_warns_when_no_ngo_serves_the_place_and_offers_to_widen(
        engine: Engine) -> None:
    # Kyrgyzstan: the only trafficking line is the state migration service's 189 (mixed), so
    # "NGOs only" reaches nobody; the reporter is told so before sending.
    result = to_confirm(engine, "ru", "Trafficking or a suspicious job offer", "Бишкек")
    assert result.conversation.state == "confirm"
    assert NO_NGO_HERE in msgids(result.replies)
    assert "ни одна организация из справочника не получит" in rendered(result, "ru")
    sent_anyway = engine.handle(result.conversation,
                                press(find_choice(result.replies, "Send")))
    (tip,) = sent_anyway.effects
    assert isinstance(tip, SaveTip) and tip.routes == () and tip.consent == "ngo"
    assert "No organisation in the directory covers this yet; the team will pass it on by " \
           "hand." in msgids(sent_anyway.replies)

    widened = walk_on(engine, result, "button:Also police and government")
    assert widened.conversation.state == "confirm"
    assert NO_NGO_HERE not in msgids(widened.replies)
    assert "Also police and government" in all_text(widened)  # the "Sent to" line
    sent = engine.handle(widened.conversation, press(find_choice(widened.replies, "Send")))
    (tip,) = sent.effects
    assert isinstance(tip, SaveTip) and tip.consent == "ngo_and_authorities"
    assert ("kg-migrant-hotline-189", "national") in tip.routes


def test_the_summary_says_when_nobody_at_all_covers_it(engine: Engine) -> None:
    result = to_confirm(engine, "en", "Violence against a woman or a child", "Dushanbe")
    said = msgids(result.replies)
    assert NOBODY in said and NO_NGO_HERE not in said
    labels = [c.label.msgid for r in result.replies for c in r.choices]  # type: ignore[union-attr]
    assert "Also police and government" not in labels  # widening would not help


def test_no_warning_where_an_ngo_takes_the_tip(engine: Engine) -> None:
    result = to_confirm(engine, "id", "A migrant worker abroad", "Indramayu")
    said = msgids(result.replies)
    assert NO_NGO_HERE not in said and NOBODY not in said


def test_an_unfound_place_offers_the_nearest_names_and_skip(engine: Engine) -> None:
    result = walk(engine, Conversation(lang="id"), command("report"),
                  text("Agen menahan paspor dan mengunci kami di asrama"),
                  "button:Trafficking or a suspicious job offer", text("Wnsobo"))
    assert result.conversation.state == "where"
    labels = [c.label.text for r in result.replies for c in r.choices  # type: ignore[union-attr]
              if hasattr(c.label, "text")]
    assert any("Wonosobo" in label for label in labels)
    chosen = walk_on(engine, result, "button:" + next(x for x in labels if "Wonosobo" in x))
    assert chosen.conversation.state == "when"
    assert chosen.conversation.data["place_label"].startswith("Wonosobo")


# -- the person's country: asked once where it first matters, never guessed ------------------

QUESTION = ("One question, so that numbers and advice fit where you are: which country are you "
            "in now? (You can skip it.)")
UNKNOWN_COUNTRY = ("I do not know which country this happened in, so I cannot choose who "
                   "receives the report. Name the place or the country, or send it anyway: the "
                   "team will then pass it on by hand.")
# The countries offered, by language, as CLDR names them in that language.
OFFERED = {"ru": ["Россия", "Казахстан", "Киргизия", "Узбекистан", "Таджикистан"],
           "id": ["Indonesia", "Malaysia", "Hong Kong", "Taiwan", "Arab Saudi",
                  "Korea Selatan"],
           "en": ["Indonesia", "Malaysia", "Hong Kong", "Singapore", "Saudi Arabia", "Russia",
                  "Kyrgyzstan", "Uzbekistan"]}
# Where the language is spoken: their emergency numbers while the country is unknown.
SPOKEN = {**OFFERED, "id": ["Indonesia", "Malaysia"],
          "en": ["Malaysia", "Singapore", "Hong Kong", "Saudi Arabia", "United Arab Emirates",
                 "Qatar", "Indonesia", "Russia"]}
KYRGYZSTAN = {"ru": "Киргизия", "id": "Kirgizstan", "en": "Kyrgyzstan"}
# Tips that name no place and read as no distress, so that only the flow speaks.
TIP = {"ru": "Вербовщик обещает работу за границей, просит деньги вперёд",
       "id": "Ada lowongan aneh di grup WA desa, minta uang pendaftaran",
       "en": "A recruiter promises work abroad and asks for money up front"}
CRY = {"ru": "помогите, меня заперли", "id": "tolong saya dikurung majikan",
       "en": "help me, they locked me in and took my passport"}


def to_where(engine: Engine, lang: str, conv: Conversation | None = None) -> Result:
    return walk(engine, conv or Conversation(lang=lang), command("report"), text(TIP[lang]),
                "button:Trafficking or a suspicious job offer")


def count_questions(*results: Result) -> int:
    return sum(msgids(r.replies).count(QUESTION) for r in results)


def quote_labels(result: Result) -> list[str]:
    return [c.label.text for r in result.replies for c in r.choices  # type: ignore[union-attr]
            if hasattr(c.label, "text")]


@pytest.mark.parametrize("lang", ["ru", "id", "en"])
def test_no_place_asks_the_country_once_with_the_languages_countries(
        engine: Engine, lang: str) -> None:
    where = to_where(engine, lang)
    assert count_questions(where) == 0  # not before it matters
    asked = walk_on(engine, where, "button:Skip")
    assert asked.conversation.state == "country" and count_questions(asked) == 1
    assert quote_labels(asked) == OFFERED[lang]
    labels = [c.label.msgid for r in asked.replies for c in r.choices  # type: ignore[union-attr]
              if hasattr(c.label, "msgid")]
    assert labels == ["Another country", "Skip"]
    assert RENDER.parts(asked.replies[0].parts, lang).count("\n") >= 1  # the why, then it
    # Asked once: unanswered, it is declined, and a second report does not ask again.
    assert asked.conversation.country == "ZZ"
    skipped = walk_on(engine, asked, "button:Skip")
    assert skipped.conversation.state == "when" and skipped.conversation.country == "ZZ"
    again = walk_on(engine, to_where(engine, lang, walk_on(
        engine, skipped, command("cancel")).conversation), "button:Skip")
    assert again.conversation.state == "when" and count_questions(again) == 0


@pytest.mark.parametrize("lang", ["ru", "id", "en"])
def test_a_place_gives_the_country_and_the_question_is_not_put(
        engine: Engine, lang: str) -> None:
    placed = walk_on(engine, to_where(engine, lang), text("Бишкек"))
    assert placed.conversation.state == "when" and count_questions(placed) == 0
    assert placed.conversation.data["country"] == "KG"
    assert placed.conversation.country == ""  # the tip's place is not where the person is


@pytest.mark.parametrize("lang", ["ru", "id", "en"])
def test_answering_kyrgyzstan_routes_the_tip_to_kyrgyz_recipients(
        engine: Engine, lang: str) -> None:
    asked = walk_on(engine, to_where(engine, lang), "button:Skip")
    # Kyrgyzstan is a button where the language is spoken there; an Indonesian types it.
    answer = KYRGYZSTAN[lang]
    answered = walk_on(engine, asked, "button:" + answer if answer in OFFERED[lang] else
                       text(answer))
    assert answered.conversation.country == "KG" and answered.conversation.state == "when"
    assert "Saved: you are in {country}." in msgids(answered.replies)[0]
    summary = walk_on(engine, answered, "button:Skip", "button:No", "button:Skip",
                      "button:Also police and government")
    out = rendered(summary, lang)
    assert KYRGYZSTAN[lang] in out  # "Where:" names the country the tip is filed under
    assert "It will be passed on to {n} organisation:" in msgids(summary.replies)  # before Send
    sent = engine.handle(summary.conversation, press(find_choice(summary.replies, "Send")))
    (tip,) = sent.effects
    assert isinstance(tip, SaveTip) and tip.country == "KG"
    assert tip.routes and all(org.startswith("kg-") for org, _ in tip.routes), tip.routes
    assert ("kg-migrant-hotline-189", "national") in tip.routes


@pytest.mark.parametrize(("lang", "typed"), [("ru", "я в Бишкеке"), ("id", "Kirgizstan"),
                                             ("en", "kg")])
def test_a_typed_answer_is_read_too(engine: Engine, lang: str, typed: str) -> None:
    asked = walk_on(engine, to_where(engine, lang), "button:Skip")
    answered = walk_on(engine, asked, text(typed))
    assert answered.conversation.country == "KG" and answered.conversation.state == "when"


@pytest.mark.parametrize("lang", ["ru", "id", "en"])
def test_an_unknown_country_is_never_russia_or_indonesia(engine: Engine, lang: str) -> None:
    asked = walk_on(engine, to_where(engine, lang), "button:Skip")
    other = walk_on(engine, asked, text("не знаю / tidak tahu / no idea"))  # goes on
    assert other.conversation.state == "when" and other.conversation.country == "ZZ"
    urgent = walk_on(engine, other, "button:Skip", "button:Someone is in danger now")
    head = rendered(urgent, lang).split("\n\n")[0]
    # The emergency numbers of the language's countries, each named, not one country's.
    assert all(f"{name}: " in head for name in SPOKEN[lang]), head
    for consent in ("Only organisations that help (NGOs)", "Also police and government"):
        summary = walk_on(engine, urgent, "button:Skip", "button:" + consent)
        said = msgids(summary.replies)
        assert UNKNOWN_COUNTRY in said and NOBODY not in said and NO_NGO_HERE not in said
        assert "It will be passed on to {n} organisation:" not in said
        sent = engine.handle(summary.conversation, press(find_choice(summary.replies, "Send")))
        (tip,) = sent.effects
        assert isinstance(tip, SaveTip) and tip.country is None and tip.routes == ()


@pytest.mark.parametrize("lang", ["ru", "id", "en"])
def test_with_no_country_the_summary_offers_to_name_the_place(
        engine: Engine, lang: str) -> None:
    summary = walk_on(engine, to_where(engine, lang), "button:Skip", "button:Skip",
                      "button:Skip", "button:No", "button:Skip",
                      "button:Also police and government")
    assert UNKNOWN_COUNTRY in msgids(summary.replies)
    where = walk_on(engine, summary, "button:Name the place or country")
    assert where.conversation.state == "where" and count_questions(where) == 0
    back = walk_on(engine, where, text("Кыргызстан"))  # a country is a place here
    assert back.conversation.state == "confirm"  # straight back to the summary
    assert UNKNOWN_COUNTRY not in msgids(back.replies)
    sent = engine.handle(back.conversation, press(find_choice(back.replies, "Send")))
    (tip,) = sent.effects
    assert isinstance(tip, SaveTip) and tip.country == "KG"
    assert ("kg-migrant-hotline-189", "national") in tip.routes


@pytest.mark.parametrize("lang", ["ru", "id", "en"])
def test_distress_during_the_question_gets_the_emergency_answer_first(
        engine: Engine, lang: str) -> None:
    from flows.distress.answer import first_line_has_number
    asked = walk_on(engine, to_where(engine, lang), "button:Skip")
    cried = walk_on(engine, asked, text(CRY[lang]))
    first, *rest = cried.replies
    assert first_line_has_number(first)  # the emergency numbers, before anything else
    assert rest and cried.conversation.state == "when"  # then the report goes on
    assert count_questions(cried) == 0  # the question is not put a second time
    # A cry that names the place sets the country; the question never overwrites it.
    named = walk_on(engine, to_where(engine, "ru"), "button:Skip",
                    text("помогите, меня заперли, я в Бишкеке"))
    assert first_line_has_number(named.replies[0]) and named.conversation.country == "KG"


def test_a_cry_typed_at_the_place_step_is_no_place(engine: Engine) -> None:
    # "sama" is also Zama in Japan: a cry at "where did it happen?" had become the tip's
    # place and the report moved on. It joins the description, marks the report urgent, and
    # the place is asked again; the numbers come first.
    from flows.distress.answer import first_line_has_number
    asked = to_where(engine, "id")
    cried = walk_on(engine, asked, text("tolong aku dikunci sama majikan"))
    assert first_line_has_number(cried.replies[0])
    assert cried.conversation.state == "where"
    draft = cried.conversation.data
    assert draft["place_id"] == "" and draft["danger_now"] is True
    assert "tolong aku dikunci sama majikan" in draft["text"]
    assert "I added this to your report and marked it urgent." in msgids(cried.replies)
    placed = walk_on(engine, cried, text("Kupang"))
    assert placed.conversation.state == "when"
    assert placed.conversation.data["place_id"].startswith(("city:", "regency:"))


@pytest.mark.parametrize("lang", ["ru", "id", "en"])
def test_another_country_points_to_the_command_and_goes_on(engine: Engine, lang: str) -> None:
    asked = walk_on(engine, to_where(engine, lang), "button:Skip")
    other = walk_on(engine, asked, "button:Another country")
    said = msgids(other.replies)
    assert said[0].startswith("Tell me your country any time with /country")
    assert other.conversation.state == "when" and other.conversation.country == "ZZ"
    assert "/country" in rendered(other, lang)


def test_send_never_reaches_anyone_the_summary_did_not_show(engine: Engine) -> None:
    # The summary showed nobody (no place, no country); the reporter then says /country KG
    # and presses the old "Send": consent is to the organisations shown, so the summary
    # comes again, with Kyrgyzstan's recipients, and nothing is sent yet.
    asked = walk_on(engine, to_where(engine, "en"), "button:Skip")
    summary = walk_on(engine, asked, "button:Skip", "button:Skip", "button:No",
                      "button:Skip", "button:Also police and government")
    assert not summary.conversation.data["shown"]
    moved = engine.handle(summary.conversation, command("country", "KG"))
    again = engine.handle(moved.conversation, press(find_choice(summary.replies, "Send")))
    assert not again.effects
    assert "Who receives the report has changed since you saw it. Please check it again." \
        in msgids(again.replies)
    sent = engine.handle(again.conversation, press(find_choice(again.replies, "Send")))
    (tip,) = sent.effects
    assert isinstance(tip, SaveTip) and tip.routes
    assert all(org.startswith("kg-") for org, _ in tip.routes)


def test_every_country_question_fits_a_whatsapp_list() -> None:
    # WhatsApp lists hold ten rows: the countries, "Another country" and "Skip".
    from flows.countries import MAX_QUESTION_COUNTRIES, QUESTION_COUNTRIES
    assert all(len(codes) <= MAX_QUESTION_COUNTRIES for codes in QUESTION_COUNTRIES.values())
    assert MAX_QUESTION_COUNTRIES + 2 <= 10


def test_the_consent_question_names_everyone_the_first_choice_reaches(engine: Engine) -> None:
    """'NGOs only' also reaches IOM (routing.yaml): the question says so, so the reporter's
    consent is given to what really happens."""
    from referral_directory.routing import Consent, RoutingRules

    reached = RoutingRules.load().consent[Consent.NGO]
    asked = walk(engine, Conversation(lang="en"), command("report"),
                 text("A broker keeps the passports of the girls he sends to Malaysia."),
                 "button:Trafficking or a suspicious job offer", text("Indramayu"),
                 text("last week"), "button:No", text("no idea"))
    question = next(m for m in msgids(asked.replies) if m.startswith("Who may receive"))
    named = {"ngo": "non-governmental organisations", "intergovernmental": "IOM"}
    assert {str(op) for op in reached} <= set(named), reached
    assert all(named[str(op)] in question for op in reached)
    assert "never to police or a government office" in question


def test_a_language_changed_in_the_middle_of_a_report_keeps_the_draft(engine: Engine) -> None:
    told = walk(engine, Conversation(lang="id"), command("report"),
                text("Agen PT Maju Jaya minta uang 20jt ke calon TKW ke Taiwan"))
    assert told.conversation.state == "topic"
    switched = engine.handle(told.conversation, command("lang", "en"))
    assert switched.conversation.lang == "en"
    assert (switched.conversation.flow, switched.conversation.state) == ("report", "topic")
    assert "We are still on the question above" in " ".join(msgids(switched.replies))


@pytest.mark.parametrize(("typed", "sent"), [("ya kirim", True), ("kirim", True),
                                             ("да, отправить", True), ("send", True),
                                             ("hmm", False)])
def test_a_typed_send_at_the_summary_sends_and_anything_else_says_nothing_is_sent(
        engine: Engine, typed: str, sent: bool) -> None:
    summary = walk(
        engine, Conversation(lang="en"), command("report"),
        text("A broker named Pak Darmo offers girls work in a restaurant in Malaysia and "
             "keeps their passports."), *TO_SUMMARY)
    assert summary.conversation.state == "confirm"
    result = engine.handle(summary.conversation, text(typed))
    if sent:
        assert result.conversation.idle and any(isinstance(e, SaveTip) for e in result.effects)
    else:
        assert result.conversation.state == "confirm" and not result.effects
        assert msgids(result.replies)[0].startswith("Nothing has been sent yet.")


def test_a_typed_answer_that_is_no_choice_is_told_so(engine: Engine) -> None:
    tip = text("A broker offers girls restaurant work in Malaysia and keeps their passports.")
    at_topic = walk(engine, Conversation(lang="en"), command("report"), tip)
    assert at_topic.conversation.state == "topic"
    wrong = engine.handle(at_topic.conversation, text("7"))
    said = msgids(wrong.replies)
    assert wrong.conversation.state == "topic"
    assert said[0].startswith("Please choose one of the answers below")
    assert "What is it about?" in said
    pressed = engine.handle(at_topic.conversation, press(find_choice(
        at_topic.replies, "Sexual exploitation of a child")))
    assert not any(m.startswith("Please choose one") for m in msgids(pressed.replies))


DRAFT = "Calo bernama Budi di Indramayu membawa anak perempuan ke Malaysia."


def test_a_report_left_for_another_command_is_kept_and_comes_back(engine: Engine) -> None:
    # /contacts in the middle of a report had dropped the tip typed so far without a word
    left = walk(engine, Conversation(lang="en"), command("report"), text(DRAFT),
                "button:Trafficking or a suspicious job offer", command("contacts"))
    assert left.conversation.flow != "report"
    assert any(m.startswith("Your report is not sent, and I kept it")
               for m in msgids(left.replies))
    elsewhere = walk(engine, left.conversation, text("Indramayu"))
    back = walk(engine, elsewhere.conversation, command("report"))
    assert back.conversation.flow == "report" and back.conversation.state == "where"
    assert "Your report is back, not sent yet: {text}" in msgids(back.replies)
    assert DRAFT in all_text(back)
    done = walk(engine, back.conversation, *TO_SUMMARY[1:], "button:Send")
    (effect,) = done.effects
    assert isinstance(effect, SaveTip) and DRAFT in effect.text
    again = walk(engine, done.conversation, command("report"))  # sent: nothing kept
    assert again.conversation.state == "what" and DRAFT not in all_text(again)


def test_report_typed_again_in_the_middle_of_a_report_keeps_it(engine: Engine) -> None:
    result = walk(engine, Conversation(lang="en"), command("report"), text(DRAFT),
                  command("report"))
    assert result.conversation.state == "topic" and DRAFT in all_text(result)


def test_cancel_drops_a_kept_report(engine: Engine) -> None:
    left = walk(engine, Conversation(lang="en"), command("report"), text(DRAFT),
                command("learn"))
    cancelled = walk(engine, left.conversation, command("cancel"))
    assert "Cancelled. Nothing was saved." in msgids(cancelled.replies)
    fresh = walk(engine, cancelled.conversation, command("report"))
    assert fresh.conversation.state == "what" and DRAFT not in all_text(fresh)


def test_a_report_with_nothing_written_is_not_kept(engine: Engine) -> None:
    left = walk(engine, Conversation(lang="en"), command("report"), command("contacts"))
    assert not any(m.startswith("Your report is not sent") for m in msgids(left.replies))


def test_the_reporters_own_name_and_number_are_taken_out_in_place(engine: Engine) -> None:
    # "Меня зовут Гульнара" had stayed in the tip (and become a recruiter "name" mark); the
    # only way out offered was /cancel and the whole report again
    result = walk(engine, Conversation(lang="ru"), command("report"), text(
        "Вербовщик Азамат в Оше ищет девушек в Дубай. Меня зовут Гульнара, мой номер "
        "0700987654"), *TO_SUMMARY)
    assert any(m.startswith("The description seems to give your own name")
               for m in msgids(result.replies))
    taken = engine.handle(result.conversation, press(find_choice(result.replies, "Take it out")))
    assert "Taken out of the description." in msgids(taken.replies)
    assert "Гульнара" not in all_text(taken) and "0700987654" not in all_text(taken)
    sent = engine.handle(taken.conversation, press(find_choice(taken.replies, "Send")))
    (effect,) = sent.effects
    assert isinstance(effect, SaveTip)
    assert "Гульнара" not in effect.text and effect.text.startswith("Вербовщик Азамат")
    assert not any(v in ("гульнара", "+996700987654") for _, v in effect.marks)


def test_marks_never_carry_the_reporters_own_name(engine: Engine) -> None:
    result = walk(engine, Conversation(lang="ru"), command("report"), text(
        "Вербовщик Азамат в Оше ищет девушек в Дубай. Меня зовут Гульнара"), *TO_SUMMARY,
        "button:Send")
    (effect,) = result.effects
    assert isinstance(effect, SaveTip) and "Гульнара" in effect.text  # sent as she chose
    assert ("name", "гульнара") not in effect.marks


def test_phone_numbers_can_be_removed_from_the_summary(engine: Engine) -> None:
    result = walk(engine, Conversation(lang="id"), command("report"), text(
        "Ada calo bawa anak ke Malaysia, nomornya 0812-3456-7890."), *TO_SUMMARY)
    removed = engine.handle(result.conversation,
                            press(find_choice(result.replies, "Remove phone numbers")))
    assert "0812" not in all_text(removed)
    assert "The phone numbers are taken out of the description." in msgids(removed.replies)


def test_an_advert_pasted_at_when_joins_the_description(engine: Engine) -> None:
    ad = ("Here is his ad: Dicari pelayan restoran di Malaysia, gaji 8 juta, tanpa pengalaman, "
          "umur 16-25, paspor diurus agen, berangkat minggu depan, hubungi Pak Darmo di WA, "
          "biaya keberangkatan dipotong gaji tiga bulan pertama")
    result = walk(engine, Conversation(lang="en", country="ID"), command("report"),
                  text(DRAFT), "button:Trafficking or a suspicious job offer",
                  text("Indramayu"), text(ad))
    assert result.conversation.state == "when"
    assert "I added this to the description." in msgids(result.replies)
    assert ad in result.conversation.data["text"] and not result.conversation.data["when_text"]


def test_a_bare_number_is_no_recruiter(engine: Engine) -> None:
    result = walk(engine, Conversation(lang="en", country="ID"), command("report"),
                  text(DRAFT), "button:Trafficking or a suspicious job offer",
                  text("Indramayu"), text("last week"), "button:No", text("5"))
    assert result.conversation.state == "recruiter"
    assert not result.conversation.data["recruiter"]
