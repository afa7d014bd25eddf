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


def test_a_whole_report(engine: Engine) -> None:
    result = walk(
        engine, Conversation(lang="en"), command("report"),
        text("A broker named Pak Darmo from PT Sinar Abadi offers girls work in a restaurant "
             "in Malaysia and keeps their passports. Call him 0812-3456-7890."),
        "button:Sexual exploitation of a child", text("Indramayu"), text("last week"),
        "button:A child under 18", text("@darmo_kerja on Instagram"),
        "button:Only organisations that help (NGOs)")
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
