"""The red-flag analyzer: a text in, the risk level and the flags with their evidence out.

Pipeline: normalise and tokenise (``normalize``), find concepts (``lexicon``), evaluate
the data rules (``rules``), then the checks that need structure: pay against the going
rate at the destination (``money``), ages (``ages``), a named employer (``employer``),
destinations against the legal routes. Last, the discourse step (``discourse``) decides
from the whole text what kind of message it is: a question, a warning or personal news
offers no job and keeps no flag. Good signs are reported and never cancel a flag.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flows.red_flags.ages import find_ages
from flows.red_flags.catalogue import ALL_FLAGS, CRITICAL, Risk, risk_of
from flows.red_flags.detect import detect_from_words, function_word_share, reads_uzbek
from flows.red_flags.discourse import NO_OFFER, Kind, asks_about_a_specific_offer, described
from flows.red_flags.discourse import read as read_discourse
from flows.red_flags.employer import named_employer
from flows.red_flags.latin_russian import read_latin_russian
from flows.red_flags.lexicon import DATA_DIR, Lexicon, Occurrence, occurrence
from flows.red_flags.money import Amount, find_amounts, per_month
from flows.red_flags.normalize import Token, Tokenizer, join_teens
from flows.red_flags.reasons import REASONS
from flows.red_flags.rules import Index, Match, Rule, evaluate, load_rules
from flows.red_flags.spans import Nearby, TokenSpans
from flows.yaml_data import load_yaml

_HOME = {"id": "ID", "en": "ID", "ru": "RU"}
_CURRENCY_HOME = {"IDR": "ID", "RUB": "RU", "MYR": "MY", "SGD": "SG", "TWD": "TW", "HKD": "HK",
                  "JPY": "JP", "KRW": "KR", "SAR": "SA", "AED": "AE", "QAR": "QA", "GBP": "GB"}
_DEFAULT_CURRENCY = {"id": "IDR", "ru": "RUB"}
# The currencies of the Central Asian countries whose people also read Russian.
_LOCAL_CURRENCY = {"KGS": "KG", "KZT": "KZ", "UZS": "UZ", "TJS": "TJ"}


# Words that say a place is the writer's own: «у нас в Бишкеке», "here in Almaty".
_HERE = (("у", "нас", "в"), ("здесь", "в"), ("тут", "в"), ("here", "in"))
# Words of coming from elsewhere: "приезжай" to Almaty, a ticket, a visa, a border.
_COMING = re.compile(r"приезж|приед|переезж|билет|перел[её]т|виз[аыу]|границ|дорог[аиу]\b",
                     re.IGNORECASE)


def _local_home(occurrences: list[Occurrence], amounts: list[Amount],
                text: str, tokens: list[Token]) -> str | None:
    """With no country given, a job whose every place is in one Central Asian country and
    whose pay is in that country's money is an advert for people there («официантка в
    Бишкеке, 30000 сом», «няня в Алматы, 250 000 тг»): that country is home, so the job is
    not "abroad" (Russian text had made Russia home, and Bishkek abroad). Not when the
    reader is to come there («приезжай», a ticket, a visa). Dirhams in Dubai or roubles in
    Moscow change nothing."""
    dests = [o for o in occurrences if o.concept.startswith("DEST_")]
    places = {o.concept[5:] for o in dests}
    if len(places) != 1:
        return None
    (place,) = places
    if any(tuple(t.norm for t in tokens[max(0, o.start - 3):o.start])[-len(here):] == here
           for o in dests for here in _HERE):
        return place  # «официанткой в кафе у нас в Бишкеке», "here in Almaty"
    paid_there = any(a.explicit and _LOCAL_CURRENCY.get(a.currency or "") == place
                     for a in amounts)
    return place if paid_there and not _COMING.search(text) else None
# Establishment nouns after which capitalised words are a business name.
_ESTABLISHMENTS = frozenset({"ESTABLISHMENT"})
# Words that make a text about a job (rules use them as JOB_CONTEXT).
_JOB_CONCEPTS = frozenset({"WORK", "OFFER_WORDS", "OFFER", "VAGUE_JOB", "SERVICE_JOB", "SALARY",
                           "MODEL", "DANCER", "ENTERTAINER", "MASSAGE",
                           "SEX_JOB", "NIGHT_VENUE", "FEE", "DOMESTIC_WORK", "DESTINATION",
                           "ABROAD_WORD", "AMOUNT", "TOURIST_VISA"})
# At most this many tokens between a job word and its place abroad are quoted together;
# further apart, the job word alone.
_QUOTED_SPAN = 30
# How many tokens away a pay or fee word still tells what an amount is.
_PAY_REACH = 6
# Flags whose costs fall on the worker: with one of them, "free" is not a good sign.
_COSTS_TO_WORKER = frozenset({"upfront_fee", "costs_repaid_from_wages", "advance_to_family_debt"})
# One phrase that does carry two flags: money to the parents is the broker's approach.
_TWO_MEANINGS = frozenset({frozenset({"advance_to_family_debt", "broker_via_parents"}),
                           frozenset({"abroad_service_job", "vague_job_lure"}),
                           # housework in a country under the moratorium: both
                           frozenset({"abroad_service_job", "irregular_route"})})
_JOB_CONTEXT = frozenset({"JOB_CONTEXT"})
# The job concepts that are words of work, not only a place abroad, or the papers for
# going there ("we can fix your age on the passport, we'll cross via Thailand").
_JOB_WORDS = _JOB_CONCEPTS - {"DESTINATION", "ABROAD_WORD"} | {"DOC"}
_TOURISM = frozenset({"TOURISM"})
# What tells a job: the work, the workplace, the place, the pay.
_DETAILS = frozenset({"VAGUE_JOB", "SERVICE_JOB", "DOMESTIC_WORK", "SALARY", "AMOUNT",
                      "DESTINATION", "PLACE", "ESTABLISHMENT", "MODEL", "DANCER",
                      "ENTERTAINER", "MASSAGE", "SEX_JOB", "NIGHT_VENUE", "HIGH_PAY"})
_UNLICENSED = frozenset({"UNLICENSED"})
_HIRING = frozenset({"WORK", "OFFER_WORDS", "SALARY", "VAGUE_JOB", "DOMESTIC_WORK"})
_FAMILY = frozenset({"FAMILY", "PARENTS", "CHILD", "CHILD_OF_ADDRESSEE"})
# Concepts next to which a small number is a count ("tinggal 5 slot", "2 places left"); the
# numbers are marked as COUNT only in texts that have one of them.
_COUNTED = frozenset({"SCARCE_UNIT", "LEFT_OVER"})
_MAX_COUNT = 99
_GENERIC_PLACES = frozenset({"kota", "city", "город", "gorod"})
# Above this share of Indonesian or English function words a text is not Russian in Latin.
_LATIN_RUSSIAN_SHARE = 0.2
# Analyses kept for texts seen again (forwards of one offer).
# A sum "per person" is what something costs each buyer, not what a job pays.
_PER_PERSON = re.compile(r"\s*(?:/|per|a|each|на|за|untuk|per)?\s*(?:person|pax|head|orang|"
                         r"человека|чел\.?|персону|взрослого)\b", re.IGNORECASE)
_RECENT_TEXTS = 2048
# A phrase of fewer tokens than this that raises two flags keeps one.
_PHRASE_TOKENS = 4
# A longer quote is shortened to its first and last words.
_EVIDENCE_CHARS = 60
_EVIDENCE_WORDS = 3


@dataclass(frozen=True, slots=True)
class FlagHit:
    """One flag with the text that raised it (character span in the original) and why."""

    flag: str
    start: int
    end: int
    evidence: str
    reason: str


@dataclass(frozen=True, slots=True)
class Analysis:
    risk: Risk
    flags: tuple[FlagHit, ...]
    good_signs: tuple[str, ...]
    language: str | None
    destinations: tuple[str, ...] = ()
    kind: Kind = Kind.OFFER
    advertises: bool = False  # hires, pays or gives a contact to apply
    # Says what the work is, where, or what it pays ("ada tawaran buat putune kulo" does not).
    details: bool = True
    # The signs a question, a warning or news speaks of without offering a job ("if an agent
    # asks to keep my passport is that legal?"): what the answer may explain. Not in to_json.
    mentioned: tuple[str, ...] = ()

    @property
    def flag_ids(self) -> tuple[str, ...]:
        return tuple(h.flag for h in self.flags)

    def to_json(self) -> dict[str, Any]:
        return {
            "risk": str(self.risk),
            "flags": list(self.flag_ids),
            "evidence": [
                {"flag": h.flag, "text": h.evidence, "start": h.start, "end": h.end,
                 "reason": h.reason}
                for h in self.flags
            ],
            "good_signs": list(self.good_signs),
            "language": self.language,
            "kind": str(self.kind),
        }


@dataclass
class _Text:
    """Everything known about one text while it is analysed."""

    raw: str
    lang: str | None
    tokens: list[Token]
    occurrences: list[Occurrence]
    index: Index
    amounts: list[Amount] = field(default_factory=list)
    destinations: list[tuple[str, Occurrence]] = field(default_factory=list)
    spans: TokenSpans | None = None
    nearby: dict[frozenset[str], Nearby] = field(default_factory=dict)

    def token_span(self, start: int, end: int) -> tuple[int, int] | None:
        if self.spans is None:
            self.spans = TokenSpans(self.tokens)
        return self.spans.covering(start, end)

    def near(self, concepts: frozenset[str]) -> Nearby:
        """The occurrences of ``concepts``, built once per text (the index is final by
        the time amounts are judged)."""
        if concepts not in self.nearby:
            self.nearby[concepts] = Nearby(self.index.find(concepts))
        return self.nearby[concepts]


# The concept sets the checks below ask the index about, made once (a frozenset(...) in
# a function is built again at every call).
_ABROAD = frozenset({"DESTINATION", "ABROAD_WORD"})
_VAGUE_JOB = frozenset({"VAGUE_JOB"})
_SERVICE_JOB = frozenset({"SERVICE_JOB"})
_DANCER = frozenset({"DANCER"})
_ENTERTAINER = frozenset({"ENTERTAINER"})
_AGE_OK = frozenset({"AGE_OK"})
_YOUTH_PROGRAMME = frozenset({"YOUTH_PROGRAMME"})
_DOMESTIC_WORK = frozenset({"DOMESTIC_WORK"})
_COST = frozenset({"COST"})
_SKILLED_JOB = frozenset({"SKILLED_JOB"})
_QUALIFICATION = frozenset({"QUALIFICATION"})
_UNSKILLED_JOBS = frozenset({"VAGUE_JOB", "SERVICE_JOB", "DOMESTIC_WORK", "SEX_JOB"})
_PAY_WORDS = frozenset({"SALARY", "HIGH_PAY"})
_FEE_WORDS = frozenset({"FEE", "COST", "MONEY", "GIVE", "DEBT"})
_PAY_VERB = frozenset({"PAY_VERB"})
_COST_WORDS = frozenset({"COST", "UPFRONT", "NO_FEE", "PENALTY"})
_CHARGE_WORDS = frozenset({"FEE", "MONEY", "GIVE", "DEBT"})
_ADDRESS = frozenset({"ADDRESS"})
_LICENCE = frozenset({"LICENCE"})
_CONTRACT = frozenset({"CONTRACT"})
_BEFORE_DEPARTURE = frozenset({"BEFORE_DEPARTURE"})
_FEE = frozenset({"FEE"})
_NO_FEE = frozenset({"NO_FEE"})
_OFFICIAL = frozenset({"OFFICIAL"})
_MARKET_PAY = frozenset({"MARKET_PAY"})
_BROKER_ACTORS = frozenset({"BROKER", "APPROACH", "TOLD", "OFFER"})


# This year and the span of time it lasts (local time, as date.today() reads it): the
# clock is read once per message, the calendar once per year.
_YEAR: list[float] = [0, 0.0, 0.0]


def _this_year() -> int:
    """``date.today().year``, without making a date for every message."""
    now = time.time()
    year, since, until = _YEAR
    if since <= now < until:
        return int(year)
    current = date.fromtimestamp(now).year
    _YEAR[:] = [current, datetime(current, 1, 1).timestamp(),
                datetime(current + 1, 1, 1).timestamp()]
    return current


class Analyzer:
    # The year a text is read in, for ages given as years of birth ("kelahiran 2009");
    # this year unless set (the tests set it, so that no figure moves with the calendar).
    year: int | None = None

    def __init__(self, lexicon: Lexicon, rules: Sequence[Rule], wages: Mapping[str, Any],
                 routes: Mapping[str, Any], abbreviations: Mapping[str, str]) -> None:
        self._lexicon = lexicon
        self._rules = list(rules)
        self._wages = wages
        self._routes = routes
        self._abbreviations = dict(abbreviations)
        self._tokenize = Tokenizer(self._abbreviations)
        self._not_placement = frozenset(routes["id_not_placement_countries"]["codes"])
        self._moratorium = frozenset(routes["id_domestic_work_moratorium"]["codes"])
        self._recent: dict[tuple[str, str | None, str | None], Analysis] = {}
        # Rules by the concepts of their first group: a text tries, in their order, only
        # the rules whose first group it has (no other rule can hold).
        self._by_first: dict[str, list[int]] = {}
        for number, rule in enumerate(self._rules):
            for concept in rule.all[0] if rule.all else ():
                self._by_first.setdefault(concept, []).append(number)
        self._ungated = [n for n, rule in enumerate(self._rules) if not rule.all]

    def _candidates(self, present: frozenset[str]) -> list[Rule]:
        # The rules of the present concepts, gathered and ordered in C.
        numbers = set(self._ungated).union(*filter(None, map(self._by_first.get, present)))
        return list(map(self._rules.__getitem__, sorted(numbers)))

    @classmethod
    def load(cls, data_dir: Path = DATA_DIR) -> Analyzer:
        def read(name: str) -> Any:
            with (data_dir / name).open(encoding="utf-8") as fh:
                return load_yaml(fh)

        concepts: dict[str, list[str]] = {}
        for lang in ("id", "ru", "en"):
            for concept, entries in read(f"concepts_{lang}.yaml").items():
                concepts.setdefault(concept, []).extend(str(e) for e in entries or ())
        for code, names in read("destinations.yaml").items():
            concepts[f"DEST_{code}"] = [str(n) for n in names]
        abbreviations: dict[str, str] = {}
        for table in read("abbreviations.yaml").values():
            abbreviations.update({str(k): str(v) for k, v in table.items()})
        return cls(Lexicon(concepts), load_rules(data_dir / "rules.yaml"),
                   read("wages.yaml"), read("routes.yaml"), abbreviations)

    # -- the pipeline ----------------------------------------------------------------------

    def analyze(self, text: str, lang: str | None = None,
                country: str | None = None) -> Analysis:
        """``country``: where the reader is, when known; "abroad" is judged from it (a cook's
        job in Bishkek is at home for a mother in Bishkek), else from the text's language.

        Forwarded offers repeat word for word, so answers are kept for the last texts seen
        (in memory only, like the checked text itself; an Analysis is immutable)."""
        key = (text, lang, country)
        cached = self._recent.get(key)
        if cached is not None:
            return cached
        analysis = self._analyze(text, lang, country)
        if len(self._recent) >= _RECENT_TEXTS:
            self._recent.pop(next(iter(self._recent)), None)
        self._recent[key] = analysis
        return analysis

    def _analyze(self, text: str, lang: str | None, country: str | None) -> Analysis:
        tokens = join_teens(self._tokenize(text))
        words = [tok.norm for tok in tokens if not tok.number]
        given = lang
        lang = lang or detect_from_words(words)
        # (a chat "u" is expanded to "you", an English function word; in Russian typed in
        # Latin letters it is «у»: "pasport ostanetsya u rabotodatelya")
        if lang != "ru" and function_word_share(
                [tok.norm for tok in tokens if not tok.number and not (
                    tok.norm == "you" and tok.end - tok.start == 1)]) <= _LATIN_RUSSIAN_SHARE:
            russian = read_latin_russian(tokens, text)
            if russian is not None:
                tokens = [self._expand(tok) for tok in russian]
                tokens = [tok for group in tokens for tok in group]
                lang = "ru"
        occurrences = self._lexicon.annotate(tokens)
        t = _Text(text, lang, tokens, occurrences, Index.build(tokens, ()))
        t.amounts = find_amounts(text, _DEFAULT_CURRENCY.get(lang or ""))
        occurrences.extend(self._amount_occurrences(t))
        home = (country or _local_home(occurrences, t.amounts, text, tokens)
                or _HOME.get(lang or "", "ID"))
        derived: list[Occurrence] = []
        counts: list[Occurrence] | None = None
        for occ in occurrences:
            concept = occ.concept
            if concept.startswith("DEST_"):
                t.destinations.append((concept[5:], occ))
                if tokens[occ.start].norm not in _GENERIC_PLACES:  # "di kota" names no place
                    derived.append(occurrence("PLACE", occ.start, occ.end))
                if concept[5:] != home:
                    derived.append(occurrence("DESTINATION", occ.start, occ.end))
                    derived.append(occurrence("JOB_CONTEXT", occ.start, occ.end))
            elif concept in _JOB_CONCEPTS:
                derived.append(occurrence("JOB_CONTEXT", occ.start, occ.end))
            elif concept in _COUNTED and counts is None:
                counts = _counts(tokens)
        occurrences.extend(derived)
        if counts:
            occurrences.extend(counts)
        docs = {o.start for o in occurrences if o.concept == "DOC"}
        if docs:
            # «паспорт отдашь спонсору»: giving a document is handing it over, not paying
            # back a debt (the verb is the same).
            occurrences = [o for o in occurrences if o.concept != "REPAY_VERB"
                           or not ({o.start - 1, o.start + 1} & docs)]
        t.index = Index.build(tokens, occurrences)
        if t.amounts and t.index.has(_FAMILY):
            # Money handed to a family is a sum that is not pay: "дочке… зп 2000$" names
            # the daughter's wage, not an advance to the parents.
            t.index.by_concept["SUM_NOT_PAY"] = [
                occurrence("SUM_NOT_PAY", *span) for amount in t.amounts if amount.explicit
                and (span := t.token_span(amount.start, amount.end)) is not None
                and not self._is_pay(t, span, amount)]

        hits: dict[str, Match] = {}
        present = frozenset(t.index.by_concept)
        for rule in self._candidates(present):
            if rule.flag not in hits and all(not group.isdisjoint(present) for group in rule.all):
                match = evaluate(rule, t.index)
                if match is not None:
                    hits[rule.flag] = match
        employer = named_employer(text, tokens, occurrences, _ESTABLISHMENTS)
        self._structural(t, hits, employer, home)
        hits = _broker_in_words(_same_money(_one_flag_per_phrase(hits)), t.index)
        kind, advertises = read_discourse(text, tokens, t.index, hits)
        if kind is Kind.QUESTION and set(CRITICAL) & set(hits) and asks_about_a_specific_offer(
                text, t.index):
            # "Dapat tawaran kerja di Malaysia, paspor dipegang agen, aman gak?" asks about
            # an offer in hand: labelled by it.
            kind = Kind.RETOLD_OFFER
        if kind is Kind.WARNING and hits:
            # A warning that describes a specific offer is labelled by that offer.
            kept = described(text, tokens, t.index, hits)
            if kept:
                hits = kept
                kind = Kind.OFFER if advertises else Kind.RETOLD_OFFER
        mentioned: tuple[str, ...] = ()
        if kind in NO_OFFER:
            mentioned = tuple(flag for flag in ALL_FLAGS if flag in hits)
            hits = {}
        return Analysis(
            risk=risk_of(hits),
            flags=tuple(self._hit(t, flag, hits[flag]) for flag in ALL_FLAGS if flag in hits),
            good_signs=tuple(self._good_signs(t, employer, hits)),
            # Uzbek typed in Latin letters is answered in Russian, as Central Asians read the
            # bot ("Opa, Dubayda … ayol kerak"), whatever it was read as.
            language="ru" if not given and lang != "ru" and reads_uzbek(words) else lang,
            destinations=tuple(dict.fromkeys(c for c, _ in t.destinations if c != home)),
            kind=kind,
            advertises=advertises,
            details=t.index.has(_DETAILS),
            mentioned=mentioned,
        )

    def _expand(self, token: Token) -> list[Token]:
        """A token read anew (Russian in Latin letters) with its chat abbreviation expanded."""
        expansion = self._abbreviations.get(token.norm)
        if not expansion:
            return [token]
        return [token._replace(norm=part) for part in expansion.split()]

    # -- structure beyond co-occurrence ----------------------------------------------------

    def _structural(self, t: _Text, hits: dict[str, Match], employer: tuple[int, int] | None,
                    home: str) -> None:
        index = t.index
        abroad = [o for o in index.find(_ABROAD)]
        foreign = [(code, occ) for code, occ in t.destinations if code != home]
        # A holiday package ("paket tour Thailand 4D3N", "holiday tour … incl hotel") sells a
        # trip, not a job: its destination and price make no job, its hotel no hotel work.
        # "bukan kerja kok", «работать не собираюсь»: the work a holiday says it is not.
        tourism = index.find(_TOURISM)
        holiday = bool(tourism) and not any(
            not any(t_.start <= o.start and o.end <= t_.end for t_ in tourism)
            for o in index.find(_HIRING))
        job_context = index.has(_JOB_CONTEXT) and not holiday
        if holiday:
            # "bebas visa" in a tour package is the traveller's visa, not work on one.
            hits.pop("irregular_route", None)

        vague = index.find(_VAGUE_JOB)
        if vague and employer is None and "vague_job_lure" not in hits:
            longest = max(vague, key=lambda o: (o.end - o.start, -o.start))
            hits["vague_job_lure"] = Match("vague_job_lure", longest.start, longest.end)

        service = index.find(_SERVICE_JOB)
        if service and abroad and not holiday and "abroad_service_job" not in hits:
            # The place nearest the job word: "Almaty rescued 11 women who were promised
            # waitress jobs in Dubai" quotes "waitress jobs in Dubai", not from Almaty on.
            near = min(abroad, key=lambda o: abs(o.start - service[0].start))
            first = min((service[0], near), key=lambda o: o.start)
            last = max((service[0], near), key=lambda o: o.end)
            if last.end - first.start <= _QUOTED_SPAN:
                hits["abroad_service_job"] = Match("abroad_service_job", first.start, last.end)
            else:
                hits["abroad_service_job"] = Match("abroad_service_job", service[0].start,
                                                   service[0].end)

        if "sexual_service_hint" not in hits and employer is None:
            dancer = index.find(_DANCER)
            entertainer = index.find(_ENTERTAINER)
            if dancer:
                hits["sexual_service_hint"] = Match("sexual_service_hint", dancer[0].start,
                                                    dancer[0].end)
                if abroad:  # a dancer's job abroad is also a service job (the catalogue)
                    hits.setdefault("abroad_service_job", Match(
                        "abroad_service_job", dancer[0].start, dancer[0].end))
            elif entertainer and abroad:
                hits["sexual_service_hint"] = Match("sexual_service_hint",
                                                    entertainer[0].start, entertainer[0].end)
                # The catalogue: a singer, dancer or animator job abroad is also a service
                # job that recruiters abuse.
                hits.setdefault("abroad_service_job", Match(
                    "abroad_service_job", entertainer[0].start, entertainer[0].end))

        ages = find_ages(t.tokens, t.raw, self.year or _this_year())
        if "minor_targeted" in hits and ages and min(a.value for a in ages) >= 18:
            # "Usia 21-40 th, lulusan SD/SMP boleh": a school level beside an adult age
            # asked for is the workers' schooling, not a child.
            del hits["minor_targeted"]
        elif "minor_targeted" not in hits:
            minors = [a for a in ages if a.value < 18]
            # Without a job in the text, an age still counts when it is said to be no
            # obstacle ("adekmu umur 14 juga gpp").
            age_ok = index.find(_AGE_OK)
            minors = [a for a in minors if job_context or any(
                0 <= o.start - a.end <= 3 for o in age_ok)]
            # An apprenticeship for 16-18 year olds or a summer job through the employment
            # centre is the lawful work of the young, named by its programme.
            if minors and index.has(_YOUTH_PROGRAMME):
                minors = []
            if minors:
                hits["minor_targeted"] = Match("minor_targeted", minors[0].start, minors[0].end)

        # (a place alone is no job: "temenku bilang di kamboja banyak yg disekap" is gossip)
        if "irregular_route" not in hits and job_context and t.lang in ("id", "en", None) and (
                index.has(_JOB_WORDS)):
            for code, occ in foreign:
                if code in self._not_placement:
                    hits["irregular_route"] = Match("irregular_route", occ.start, occ.end)
                    break
                domestic = index.find(_DOMESTIC_WORK)
                if code in self._moratorium and domestic:
                    near = min(domestic, key=lambda o: abs(o.start - occ.start))
                    hits["irregular_route"] = Match("irregular_route", min(near.start, occ.start),
                                                    max(near.end, occ.end))
                    break

        if "unrealistic_pay" not in hits:
            pay = self._unrealistic_pay(t, foreign, home,
                                        low_bar="no_requirements" in hits
                                        or t.index.has(frozenset({"SCHOOL_LEVEL"})))
            if pay is not None:
                hits["unrealistic_pay"] = pay

        repaid = hits.get("costs_repaid_from_wages")
        if "advance_to_family_debt" in hits and repaid is not None and not any(
                repaid.start <= o.start and o.end <= repaid.end
                for o in index.find(_COST)):
            # The money handed to the family is what comes back from wages: one flag.
            del hits["costs_repaid_from_wages"]

        if "advance_to_family_debt" in hits and "broker_via_parents" not in hits:
            # Money handed to the family to be repaid with the child's work is how the
            # sources describe brokers persuading parents: the one implies the other.
            advance = hits["advance_to_family_debt"]
            hits["broker_via_parents"] = Match("broker_via_parents", advance.start, advance.end)

    def _amount_occurrences(self, t: _Text) -> list[Occurrence]:
        found = []
        for amount in t.amounts:
            if not amount.explicit:
                continue
            span = t.token_span(amount.start, amount.end)
            if span is not None:
                # "biaya pelatihan 0 rupiah": nothing to pay is no fee's sum but a free one.
                found.append(occurrence("AMOUNT" if amount.value else "NO_FEE", *span))
        return found

    def _unrealistic_pay(self, t: _Text, foreign: list[tuple[str, Occurrence]],
                         home: str, low_bar: bool = False) -> Match | None:
        """Pay above ``factor`` times the going rate; for a job that asks for nothing
        (``low_bar``: no experience, no schooling, primary school enough) above the smaller
        ``factor_no_requirements``: too good for what it asks."""
        wages = self._wages
        factor = wages["factor_no_requirements"] if low_bar else wages["factor"]
        rates: Mapping[str, float] = wages["usd_per_unit"]
        refs: Mapping[str, Mapping[str, Any]] = wages["reference_usd_per_month"]
        # A skilled job raises the going rate, unless an unskilled job is what is offered
        # ("the manager keeps your passport" names a manager, not the job). A qualification
        # asked for (a licence, a certificate of competency, a diploma) makes the job
        # skilled whatever it is called (a 6G welder at a "kilang"), unless it is waived
        # ("no diploma needed", «без диплома»).
        qualified = not low_bar and any(not t.index.negated(occ)
                                        for occ in t.index.find(_QUALIFICATION))
        skilled = qualified or (t.index.has(_SKILLED_JOB) and not t.index.has(
            _UNSKILLED_JOBS))
        domestic = t.index.has(_DOMESTIC_WORK)
        for amount in t.amounts:
            if amount.currency is None or amount.currency not in rates:
                continue
            span = t.token_span(amount.start, amount.end)
            if span is None or not self._is_pay(t, span, amount):
                continue
            if _PER_PERSON.match(t.raw, amount.end):
                continue  # "$650 per person incl hotel", «95 000 ₽ на человека»: a price
            usd = per_month(amount, wages["days_per_month"], wages["weeks_per_month"],
                            wages["hours_per_month"]) * rates[amount.currency]
            if foreign:
                code = foreign[0][0]
                reference = refs.get(code, {}).get("usd", wages["default_abroad_usd"])
            else:
                code = _CURRENCY_HOME.get(amount.currency, home)
                reference = refs.get(code, {}).get("usd", wages["default_abroad_usd"])
            if skilled:
                reference *= wages["skilled_factor"]
            elif domestic:
                reference = wages["domestic_reference_usd_per_month"].get(code, {}).get(
                    "usd", reference)
            if usd > factor * reference:
                return Match("unrealistic_pay", *span)
        return None

    def _is_pay(self, t: _Text, span: tuple[int, int], amount: Amount) -> bool:
        """An amount is pay when a pay word is nearer than any fee or money-given word."""
        start, end = span
        sentence = t.tokens[start].sentence

        clause = t.tokens[start].clause

        def distance(concepts: frozenset[str], own_clause: bool = False) -> int | None:
            best = None
            for occ in t.near(concepts).around(start, end, _PAY_REACH):
                if t.tokens[occ.start].sentence != sentence:
                    continue
                if own_clause and t.tokens[occ.start].clause != clause:
                    continue
                gap = start - occ.end if occ.end < start else occ.start - end
                if 0 <= gap <= _PAY_REACH or (occ.start <= start <= occ.end):
                    gap = max(gap, 0)
                    best = gap if best is None else min(best, gap)
            return best

        # "pay HK$ 18,000 placement fee": a fee named right after the sum is what it is.
        if any(end < occ.start <= end + 2 and t.tokens[occ.start].clause == clause
               for occ in t.index.find(_FEE_WORDS)):
            return False
        pay = distance(_PAY_WORDS)
        fee = distance(_FEE_WORDS)
        verb = distance(_PAY_VERB)
        if (pay is not None and distance(_PAY_WORDS, own_clause=True) is not None
                and distance(_FEE_WORDS, own_clause=True) is None
                and distance(_PAY_VERB, own_clause=True) is None):
            # "зп от 2500$, билет и виза за счёт компании": the pay word in the sum's own
            # clause names it; the ticket after the comma is another matter.
            return amount.explicit or amount.value >= 1000
        if amount.period is None and verb is not None and (fee is None or verb < fee):
            fee = verb  # "внести 300 долларов": a payment the applicant makes
        if pay is not None and (fee is None or pay <= fee):
            return amount.explicit or amount.value >= 1000
        # "Оплата 5000 долларов в месяц": a sum per month is pay unless a fee is named, or
        # a cost stands right beside it ("жильё 5000 в месяц"); a cost further off in the
        # sentence ("3000$ в месяц, билеты за наш счёт") is another matter.
        if not amount.explicit:
            # «ГРУЗЧИКИ 25 000 В ДЕНЬ»: a bare sum per day or month in a job's text, with no
            # fee, cost or payment near it, is what the job pays.
            return (amount.period is not None and amount.value >= 1000 and fee is None
                    and verb is None and t.index.has(_JOB_CONTEXT)
                    and distance(frozenset({"COST", "UPFRONT", "NO_FEE", "PENALTY"})) is None)
        if amount.period is None:
            # "хостес, 5000$ + чаевые": in a job's description a sum in a currency that no
            # fee, cost, payment or money word stands near is what the job pays.
            # Its own clause decides: "waitress in Istanbul cafe, 1500 usd, agency pays
            # ticket" names the pay, then who pays the ticket.
            return (distance(_FEE_WORDS, own_clause=True) is None
                    and distance(_PAY_VERB, own_clause=True) is None
                    and t.index.has(_JOB_CONTEXT)
                    and distance(_COST_WORDS, own_clause=True) is None)
        if fee is None:
            return True
        charge = distance(_CHARGE_WORDS)
        cost = distance(_COST)
        return charge is None and (cost is None or cost > 2)

    def _good_signs(self, t: _Text, employer: tuple[int, int] | None,
                    hits: Mapping[str, Match]) -> Iterable[str]:
        index = t.index
        if employer is not None:
            yield "named_employer"
        for occ in index.find(_ADDRESS):
            nxt = occ.end + 1
            if nxt < len(t.tokens) and (t.tokens[nxt].capitalised or t.tokens[nxt].number):
                yield "address"
                break
        if index.has(_LICENCE) and not index.has(_UNLICENSED):
            yield "licence"  # not for «лицензии нет», "no licence"
        for occ in index.find(_CONTRACT):
            if any(abs(b.start - occ.start) <= 8 for b in index.find(
                    _BEFORE_DEPARTURE)):
                yield "contract_before_departure"
                break
        fees = [o for o in index.find(_FEE) if index.negated(o)]
        # Free meals or a "free" ticket that come back from wages are not "no fees".
        if (index.has(_NO_FEE) or fees) and not _COSTS_TO_WORKER & hits.keys():
            yield "no_fees"
        if index.has(_OFFICIAL):
            yield "official_programme"
        if index.has(_MARKET_PAY) and "unrealistic_pay" not in hits:
            yield "market_pay"

    # -- evidence ---------------------------------------------------------------------------

    @staticmethod
    def _hit(t: _Text, flag: str, match: Match) -> FlagHit:
        start = t.tokens[match.start].start
        end = t.tokens[match.end].end
        evidence = t.raw[start:end]
        if len(evidence) > _EVIDENCE_CHARS and match.end - match.start >= 2 * _EVIDENCE_WORDS:
            # The words that raised the flag are at the two ends of a long match; quote
            # those, in their own spelling, not the unrelated words between them.
            head_end = t.tokens[match.start + _EVIDENCE_WORDS - 1].end
            tail_start = t.tokens[match.end - _EVIDENCE_WORDS + 1].start
            evidence = f"{t.raw[start:head_end]} … {t.raw[tail_start:end]}"
        return FlagHit(flag=flag, start=start, end=end, evidence=evidence,
                       reason=REASONS[flag])


def _counts(tokens: Sequence[Token]) -> list[Occurrence]:
    """Small whole numbers as COUNT: "5" in "kuota tinggal 5", not "4jt" or "2026"."""
    return [occurrence("COUNT", i, i) for i, tok in enumerate(tokens)
            if tok.number and tok.norm.isdigit() and int(tok.norm) <= _MAX_COUNT]


def _same_money(hits: dict[str, Match]) -> dict[str, Match]:
    """Money handed to the family and taken back from the child's pay is the advance to the
    family; the wider "costs repaid" reading of the same words is not a second flag."""
    family = hits.get("advance_to_family_debt")
    costs = hits.get("costs_repaid_from_wages")
    gift = hits.get("gifts_grooming")
    if family is not None and gift is not None and _overlap(family, gift):
        # Money given to the family to be paid back is the advance, not also a gift.
        hits = {flag: match for flag, match in hits.items() if flag != "gifts_grooming"}
    if family is None or costs is None:
        return hits
    if costs.start <= family.start and family.end <= costs.end:
        return {flag: match for flag, match in hits.items() if flag != "costs_repaid_from_wages"}
    return hits


def _broker_in_words(hits: dict[str, Match], index: Index) -> dict[str, Match]:
    """"Ortu dikasih uang 3jt" is money to the family (the advance); it is a broker who
    works on the parents only when someone is said to come, talk, offer or persuade: a
    broker flag read from the advance's own words, with no such actor elsewhere in the
    text, is dropped."""
    family = hits.get("advance_to_family_debt")
    broker = hits.get("broker_via_parents")
    if family is None or broker is None or not _overlap(family, broker):
        return hits
    actors = index.find(_BROKER_ACTORS)
    if any(not family.start <= o.start <= family.end for o in actors):
        return hits
    return {flag: match for flag, match in hits.items() if flag != "broker_via_parents"}


def _overlap(a: Match, b: Match) -> bool:
    return a.start <= b.end and b.start <= a.end


def _one_flag_per_phrase(hits: dict[str, Match]) -> dict[str, Match]:
    """One phrase raises one flag ("tanpa paspor" is a border crossing, not also "no
    requirements"): of flags quoting exactly the same words, the most serious stays, except
    the pairs that truly carry two meanings."""
    by_span: dict[tuple[int, int], list[str]] = {}
    for flag, match in hits.items():
        by_span.setdefault((match.start, match.end), []).append(flag)
    kept = dict(hits)
    for (start, end), flags in by_span.items():
        if len(flags) < 2 or end - start >= _PHRASE_TOKENS or frozenset(flags) in _TWO_MEANINGS:
            continue
        best = min(flags, key=lambda f: (f not in CRITICAL, ALL_FLAGS.index(f)))
        for flag in flags:
            if flag != best:
                kept.pop(flag, None)
    return kept
