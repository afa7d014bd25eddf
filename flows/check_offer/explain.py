"""What the bot says about an analysis: risk in plain words, each flag with its evidence and
why it matters, good signs, what to do now and whom to call. Pure: builds message parts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flows.red_flags import Analysis, Risk
from flows.types import Bullets, Msg, Part, Quote, msg, nmsg
from flows.whom_to_call import country_name
from flows.yaml_data import load_yaml

ROUTE_FACTS = Path(__file__).resolve().parent / "data" / "route_facts.yaml"

# Evidence longer than this is shortened in the chat (the CLI keeps it whole).
MAX_EVIDENCE = 140

TITLES: dict[str, Msg] = {
    "broker_via_parents": msg("A broker goes through the parents"),
    "advance_to_family_debt": msg("Money to the family becomes a debt"),
    "costs_repaid_from_wages": msg("Costs taken out of wages"),
    "document_retention": msg("Someone else keeps the documents"),
    "secrecy_isolation": msg("Secrecy or isolation"),
    "minor_targeted": msg("Aimed at someone under 18"),
    "sexual_service_hint": msg("Hints at sexual services"),
    "irregular_route": msg("Not the legal route"),
    "vague_job_lure": msg("Vague job, no employer named"),
    "abroad_service_job": msg("Service job abroad"),
    "unrealistic_pay": msg("Pay that is too good"),
    "no_requirements": msg("No requirements at all"),
    "upfront_fee": msg("You have to pay first"),
    "pressure_urgency": msg("Pressure to decide fast"),
    "gifts_grooming": msg("Gifts that create a debt of gratitude"),
    "romance_recruitment": msg("A partner or online friend offers the job"),
}

WHY: dict[str, Msg] = {
    "broker_via_parents": msg("Traffickers often persuade parents, not the young person, and "
                              "do not say what the work really is."),
    "advance_to_family_debt": msg("Money handed to the family in advance becomes a debt that "
                                  "the young person must work off, often for years."),
    "costs_repaid_from_wages": msg("When travel, visa, fees, food or housing are taken from "
                                   "your wages, the debt can grow faster than you can pay it "
                                   "back. This is debt bondage."),
    "document_retention": msg("Nobody may keep your passport or ID. Without them you cannot "
                              "leave, travel home or ask the police for help."),
    "secrecy_isolation": msg("Being told to keep a job secret, or losing your phone or "
                             "freedom to go out, cuts you off from help."),
    "minor_targeted": msg("A child cannot agree to be exploited. Legal employers do not "
                          "recruit people under 18 for this work or fake their age."),
    "sexual_service_hint": msg("Hostess, companion, massage or \"model\" jobs that ask for "
                               "body photos are often a cover for sexual exploitation."),
    "irregular_route": msg("Working on a tourist visa, without a contract before you leave, "
                           "or through an unlicensed agent leaves you with no protection "
                           "abroad."),
    "vague_job_lure": msg("Restaurant, shop, factory and household jobs with no named "
                          "employer are the most common lure."),
    "abroad_service_job": msg("Traffickers often use waitress, cook, babysitter, caregiver "
                              "and entertainer jobs abroad. Check this one through the "
                              "official route, even if the employer looks real."),
    "unrealistic_pay": msg("Pay far above what this work usually earns is a way to make you "
                           "stop asking questions."),
    "no_requirements": msg("A job that needs no experience, skills or documents at all is "
                           "often not the job you will really do."),
    "upfront_fee": msg("Real employers do not charge you to apply. Fees are a scam or the "
                       "start of a debt."),
    "pressure_urgency": msg("Pushing you to decide or leave at once leaves you no time to "
                            "check the offer."),
    "gifts_grooming": msg("Gifts and paid bills can make you or your family feel you owe "
                          "the person a favour."),
    "romance_recruitment": msg("Traffickers pose as boyfriends, girlfriends or new online "
                               "friends to win trust before offering a job or a trip."),
}

GOOD_SIGNS: dict[str, Msg] = {
    "named_employer": msg("the employer is named"),
    "address": msg("an address is given"),
    "licence": msg("a licence or registration is mentioned"),
    "contract_before_departure": msg("a written contract before departure"),
    "no_fees": msg("no fees for the applicant"),
    "official_programme": msg("an official programme or government channel"),
    "market_pay": msg("pay in line with the legal minimum"),
}


def headline(risk: Risk, count: int) -> Msg:
    if risk is Risk.HIGH:
        return nmsg("*High risk.* I see {n} warning sign that traffickers use. Do not agree, "
                    "do not pay and do not hand over any documents until you have checked "
                    "this offer.",
                    "*High risk.* I see {n} warning signs that traffickers use. Do not agree, "
                    "do not pay and do not hand over any documents until you have checked "
                    "this offer.", count)
    if risk is Risk.MEDIUM:
        return nmsg("*Be careful.* I see {n} warning sign. Check this offer before you agree "
                    "to anything.",
                    "*Be careful.* I see {n} warning signs. Check this offer before you agree "
                    "to anything.", count)
    return msg("*I did not find warning signs in this text.* That does not prove the offer "
               "is safe: check the employer before you agree.")


def flag_parts(analysis: Analysis) -> list[Part]:
    parts: list[Part] = []
    for hit in analysis.flags:
        evidence = " ".join(hit.evidence.split())
        if len(evidence) > MAX_EVIDENCE:
            evidence = evidence[: MAX_EVIDENCE - 1].rstrip() + "…"
        parts.append(msg("*{title}*: “{evidence}”\n{why}", title=TITLES[hit.flag],
                         evidence=Quote(evidence), why=WHY[hit.flag]))
    return parts


def flag_parts_without_evidence(flags: Sequence[str]) -> list[Part]:
    return [msg("*{title}*\n{why}", title=TITLES[f], why=WHY[f]) for f in flags]


def good_sign_parts(signs: Sequence[str], risk: Risk) -> list[Part]:
    if not signs:
        return []
    lead = (msg("Signs in favour of the offer (they do not cancel the warnings above):")
            if risk is not Risk.LOW else msg("Signs in favour of the offer:"))
    return [lead, Bullets(tuple(GOOD_SIGNS[s] for s in signs))]


@dataclass(frozen=True, slots=True)
class RouteFact:
    id: str
    home: frozenset[str]
    to: str | frozenset[str]  # "any", "abroad", or destination codes
    sources: tuple[str, ...]
    seen: str

    def applies(self, home: str, destinations: Sequence[str]) -> bool:
        if home not in self.home:
            return False
        if self.to == "any":
            return True
        if self.to == "abroad":
            return any(d != home for d in destinations)
        return any(d in self.to for d in destinations)


@lru_cache(maxsize=1)
def route_facts() -> tuple[RouteFact, ...]:
    with ROUTE_FACTS.open(encoding="utf-8") as fh:
        rows = (load_yaml(fh) or {}).get("facts") or []
    return tuple(RouteFact(str(r["id"]), frozenset(r["home"]),
                           r["to"] if isinstance(r["to"], str) else frozenset(r["to"]),
                           tuple(r["sources"]), str(r["seen"])) for r in rows)


def _route_message(fact: RouteFact, destination: str, lang: str) -> Msg:
    date = fact.seen
    where = Quote(country_name(destination, lang)) if destination else Quote("")
    if fact.id == "id_siskop2mi":
        return msg("Check the agency and the job order through the official channel: KP2MI "
                   "(SISKOP2MI) or your district manpower office (Disnaker). A licensed P3MI "
                   "must also hold a job order for that country (source seen {date}).",
                   date=date)
    if fact.id == "id_not_placement":
        return msg("Indonesia does not place workers in {country}: a job there is not a legal "
                   "route, whoever offers it (KP2MI, source seen {date}).",
                   country=where, date=date)
    if fact.id == "id_domestic_moratorium":
        return msg("Indonesia sends no household workers to private employers in {country} "
                   "(Kepmenaker 260/2015, still in force; source seen {date}). A maid or "
                   "nanny job there is not a legal route.", country=where, date=date)
    if fact.id == "id_korea_eps":
        return msg("South Korea hires through EPS, government to government: only KP2MI sends "
                   "workers. A course or agency that promises to send you after the EPS-TOPIK "
                   "test is a fraud (source seen {date}).", date=date)
    if fact.id == "ru_patent":
        return msg("To work in Russia you need a work patent: apply within 30 days of entry "
                   "(age 18 or over), and register within 15 days. Work without it is "
                   "illegal and leaves you unprotected (source seen {date}).", date=date)
    if fact.id == "ru_eaeu_no_patent":
        return msg("Citizens of the Eurasian Economic Union (Kyrgyzstan, Kazakhstan) work in "
                   "Russia without a patent; register within 30 days. Anyone who charges you "
                   "for a \"patent\" is cheating you (source seen {date}).", date=date)
    if fact.id == "uz_licensed_agencies":
        return msg("In Uzbekistan, work abroad goes through the Migration Agency's platform "
                   "and licensed private employment agencies, whose name must contain "
                   "\"xususiy bandlik agentligi\" (source seen {date}).", date=date)
    if fact.id == "kg_licensed_agencies":
        return msg("In Kyrgyzstan, check that the agency is on the Ministry of Labour's list of "
                   "licensed agencies and may send people to that country, or ask the state "
                   "Centre for Employment Abroad (source seen {date}).", date=date)
    if fact.id == "tj_organised_recruitment":
        return msg("In Tajikistan, the Ministry of Labour, Migration and Employment runs "
                   "organised recruitment for work abroad: ask it before you go (source seen "
                   "{date}).", date=date)
    if fact.id == "ca_korea_eps":
        return msg("South Korea hires foreign workers through EPS, a programme between "
                   "governments: ask your country's state body for work abroad how to apply. "
                   "A school or broker that promises to \"send\" you is a warning sign (source "
                   "seen {date}).", date=date)
    raise KeyError(fact.id)


def covered_countries() -> frozenset[str]:
    """The countries whose routes we hold checked facts for."""
    return frozenset(c for f in route_facts() for c in f.home)


def route_parts(country: str, destinations: Sequence[str], lang: str) -> list[Msg]:
    """The route facts of the person's country for this offer's destinations: Indonesia's
    placement rules only for people in Indonesia, Russia's patent rules only for Central
    Asians bound for Russia, each country's own channel. None for a country we hold no
    checked facts for (the caller says so)."""
    shown: list[Msg] = []
    for fact in route_facts():
        if not fact.applies(country, destinations):
            continue
        destination = next((d for d in destinations if fact.to in ("any", "abroad")
                            or d in fact.to), "")
        shown.append(_route_message(fact, destination, lang))
    return shown


def advice_parts(risk: Risk, country: str, destinations: Sequence[str] = (),
                 lang: str = "en") -> list[Part]:
    """``country``: where the person is ("" while unknown); ``destinations``: where the
    offer leads (the analysis's codes)."""
    if risk is Risk.LOW:
        return [msg("Before you agree: ask for the employer's full name and address and a "
                    "written contract, and never hand over your passport or pay a fee.")]
    facts = route_parts(country, destinations, lang) if country else []
    # Someone already where the job is (a helper "here in HK" offered work in Hong Kong, a
    # student in Seoul) is not told to check "before you go".
    there = bool(country) and all(d == country for d in destinations)
    verify: list[Msg] = facts or [
        msg("Check the employer and ask for a written contract before you start, and keep "
            "your passport and papers yourself.") if there else
        msg("Check the employer and ask for a written contract and legal work papers "
            "before you go.")]
    if country and country not in covered_countries():
        verify.append(msg("I have no checked facts yet about the legal routes from {country}.",
                          country=Quote(country_name(country, lang))))
    return [msg("*What to do now:*"), Bullets((
        *verify,
        msg("Never hand over your passport, ID card or diploma."),
        msg("Never let anyone pay your parents or family in advance."),
        msg("Talk to someone you trust before you decide."),
    ))]
