"""Co-occurrence rules over concepts (``data/rules.yaml``), evaluated on one text.

A rule holds when one occurrence of each listed concept lies within ``window`` tokens of
the others (and in one sentence unless ``scope: text``), no counted occurrence is negated,
and no ``unless`` concept stands beside them. The match's tokens are the evidence.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from flows.red_flags.lexicon import DATA_DIR, Occurrence
from flows.red_flags.normalize import Token
from flows.yaml_data import load_yaml

NEGATION_REACH = 3  # tokens before a concept in which "not", "tidak", "не" negate it
# ... and after it, within the match («из зарплаты ничего не удерживается»): a negation
# further on negates something else ("lend you the fee HK$18,000, no need pay now").
_AFTER_REACH = 4
# A rule with more anchors than this sorts its other concepts by sentence first.
_BUCKET_FROM = 2
_SENTENCE, _CLAUSE = Token._fields.index("sentence"), Token._fields.index("clause")
_SPREADS = frozenset({"or", "nor", "atau", "ataupun", "maupun", "или", "ни", "либо",
                      "yang", "yg", "кто", "который", "которые", "которая", "that", "who"})


@dataclass(frozen=True, slots=True)
class Rule:
    flag: str
    all: tuple[frozenset[str], ...]
    window: int = 12
    scope: str = "sentence"
    negate: str | None = None
    # Negated only by a negation before it ("jangan ke LPK yg ga punya izin" advises),
    # never by one after it («без патента не возьмут» still hires without a patent).
    negate_before: str | None = None
    unless: frozenset[str] = frozenset()
    requires: tuple[frozenset[str], ...] = ()
    requires_near: tuple[frozenset[str], ...] = ()
    # The concepts must occur in the listed order ("2 slots left", not "left the place").
    ordered: bool = False
    # Concepts that cancel the rule wherever they stand in the text ("bukan kerja kok"
    # after a tourist visa: the writer says she is not going to work).
    forbids: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Match:
    flag: str
    start: int  # first token
    end: int  # last token


@dataclass
class Index:
    """Occurrences of one text, by concept, with negation already worked out."""

    tokens: Sequence[Token]
    by_concept: dict[str, list[Occurrence]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def build(cls, tokens: Sequence[Token], occurrences: Sequence[Occurrence]) -> Index:
        index = cls(tokens)
        for occ in occurrences:
            index.by_concept[occ.concept].append(occ)
        return index

    def has(self, concepts: frozenset[str]) -> bool:
        return any(map(self.by_concept.get, concepts))  # no generator: called often

    def find(self, concepts: frozenset[str]) -> list[Occurrence]:
        """Occurrences in text order, so that results never depend on set iteration order
        (which changes with PYTHONHASHSEED)."""
        if len(concepts) == 1:
            (concept,) = concepts
            return list(self.by_concept.get(concept, ()))
        found = [o for c in concepts for o in self.by_concept.get(c, ())]
        found.sort(key=lambda o: (o.start, o.end, o.concept))
        return found

    def negated(self, occ: Occurrence, until: int | None = None, *,
                before_only: bool = False) -> bool:
        """Whether a negation governs the occurrence: "not" just before it in its clause,
        a negation after it up to ``until`` (the end of the match) in its clause («из
        зарплаты ничего не удерживается»), or a negating phrase right after it («возвращать
        не надо»)."""
        clause = self.tokens[occ.start].clause
        # "jangan khawatir", "don't worry", «не бойтесь» negate the worry, nothing after it.
        worries = {o.start for o in self.by_concept.get("WORRY", ())}
        for neg in self.by_concept.get("NEG", ()):
            if self.tokens[neg.end].clause != clause or neg.end + 1 in worries:
                continue
            if neg.end < occ.start and occ.start - neg.end <= NEGATION_REACH:
                return True
            # A negation spreads over "or" ("never ask you to pay money or hand over your
            # documents", "not a modelling or hostess job") and over a relative clause
            # ("kami bukan agen yg berangkatin pakai visa kunjungan", «не верьте тем, кто
            # обещает по туристической»).
            if (neg.end < occ.start <= neg.end + NEGATION_REACH + 3
                    and any(self.tokens[k].norm in _SPREADS
                            for k in range(neg.end + 1, occ.start))):
                return True
            if before_only:
                continue
            if until is not None and occ.end < neg.start <= min(until, occ.end + _AFTER_REACH):
                return True
            # «из зарплаты ничего не удерживается»: the negation right after a phrase
            # negates the verb it belongs to.
            if 0 < neg.start - occ.end <= 2:
                return True
        if before_only:
            return False
        for neg in self.by_concept.get("NEG_AFTER", ()):
            if 0 < neg.start - occ.end <= 2 and self.tokens[neg.start].clause == clause:
                return True
        return False


def load_rules(path: Path = DATA_DIR / "rules.yaml") -> list[Rule]:
    with path.open(encoding="utf-8") as fh:
        data: Mapping[str, list[dict[str, object]]] = load_yaml(fh)
    rules: list[Rule] = []
    for flag, items in data.items():
        for item in items:
            rules.append(Rule(
                flag=flag,
                all=tuple(_alternatives(a) for a in item["all"]),  # type: ignore[union-attr]
                window=int(item.get("window", 12)),  # type: ignore[call-overload]
                scope=str(item.get("scope", "sentence")),
                negate=str(item["negate"]) if item.get("negate") else None,
                negate_before=(str(item["negate_before"]) if item.get("negate_before")
                               else None),
                unless=frozenset(item.get("unless", ())),  # type: ignore[arg-type]
                forbids=frozenset(item.get("forbids", ())),  # type: ignore[arg-type]
                requires=tuple(_alternatives(a) for a in item.get("requires", ())),  # type: ignore[union-attr]
                requires_near=tuple(
                    _alternatives(a) for a in item.get("requires_near", ())),  # type: ignore[union-attr]
                ordered=bool(item.get("ordered", False)),
            ))
    return rules


def _alternatives(spec: object) -> frozenset[str]:
    return frozenset(str(spec).split("|"))


def concepts_used(rules: Sequence[Rule]) -> set[str]:
    used: set[str] = {"NEG"}
    for rule in rules:
        for group in (*rule.all, *rule.requires, *rule.requires_near):
            used |= group
        used |= rule.unless | rule.forbids
        used |= {c for c in (rule.negate, rule.negate_before) if c}
    return used


def _unnegated(rule: Rule, group: frozenset[str], index: Index) -> list[Occurrence]:
    """The group's occurrences, without those of the rule's negated concept."""
    found = index.find(group)
    if rule.negate and rule.negate in group:
        found = [o for o in found if o.concept != rule.negate or not index.negated(o)]
    if rule.negate_before and rule.negate_before in group:
        found = [o for o in found if o.concept != rule.negate_before
                 or not index.negated(o, before_only=True)]
    return found


def evaluate(rule: Rule, index: Index) -> Match | None:
    """The first match of the rule in the text, or None."""
    for group in rule.requires:
        found = _unnegated(rule, group, index)
        if not found:
            return None
    if rule.forbids and index.find(rule.forbids):
        return None
    candidates: list[list[Occurrence]] = []
    for group in rule.all:
        found = _unnegated(rule, group, index)
        if not found:
            return None
        candidates.append(found)
    tokens = index.tokens
    anchors = candidates[0]
    # With several anchors, the other groups' occurrences are put by sentence (or clause)
    # once, in their order, instead of filtered again for every anchor.
    buckets: list[dict[int, list[Occurrence]]] | None = None
    part = _SENTENCE
    if rule.scope != "text" and len(anchors) > _BUCKET_FROM:
        part = _CLAUSE if rule.scope == "clause" else _SENTENCE
        buckets = []
        for group in candidates[1:]:
            bucket: dict[int, list[Occurrence]] = {}
            for o in group:
                bucket.setdefault(tokens[o.start][part], []).append(o)
            buckets.append(bucket)
    # Anchor on each occurrence of the first concept and take the nearest occurrence of
    # every other one: linear in the number of occurrences, even for long texts.
    for anchor in anchors:
        sentence = tokens[anchor.start].sentence
        combo = [anchor]
        for number, group in enumerate(candidates[1:]):
            if rule.scope == "text":
                pool = group
            elif buckets is not None:
                pool = buckets[number].get(tokens[anchor.start][part], [])
            elif rule.scope == "clause":
                clause = tokens[anchor.start].clause
                pool = [o for o in group if tokens[o.start].clause == clause]
            else:
                pool = [o for o in group if tokens[o.start].sentence == sentence]
            if rule.ordered:
                pool = [o for o in pool if o.start > combo[-1].end]
            if not pool:
                break
            combo.append(min(pool, key=lambda o, a=anchor: abs(o.start - a.start)))
        else:
            start = min(o.start for o in combo)
            end = max(o.end for o in combo)
            if end - start > rule.window:
                continue
            if rule.negate and any(o.concept == rule.negate and index.negated(o, end)
                                   for o in combo):
                continue
            if rule.unless and _beside(index, rule.unless, start, end, rule):
                continue
            if rule.requires_near and not all(
                _beside(index, group, start, end, rule) for group in rule.requires_near
            ):
                continue
            return Match(rule.flag, start, end)
    return None


def _beside(index: Index, concepts: frozenset[str], start: int, end: int, rule: Rule) -> bool:
    """Whether one of ``concepts`` occurs in the match's sentence (or window, for text scope)."""
    tokens = index.tokens
    sentence = tokens[start].sentence
    for occ in index.find(concepts):
        if rule.scope == "text":
            if occ.end >= start - rule.window and occ.start <= end + rule.window:
                return True
        elif tokens[occ.start].sentence == sentence or tokens[occ.end].sentence == (
                tokens[end].sentence):
            return True
    return False
