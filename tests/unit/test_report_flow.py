"""The report flow through the real engine: every step, skips, limits, the SaveTip effect."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.app import build_deps
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
    result = walk(engine, result.conversation, text("Ada lowongan aneh di grup WA desa."),
                  "button:Skip", "button:Skip", "button:Skip", "button:Skip", "button:Skip",
                  "button:Only organisations that help (NGOs)")
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
                  "button:Skip", "button:Skip", "button:Skip", "button:Someone is in danger now")
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
