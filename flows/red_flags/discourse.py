"""What kind of message a text is, decided from the whole of it, never from its first word.

Kinds: an ``offer`` (a job offered to the reader), a ``retold_offer`` (someone tells of a
specific offer made to them or to others, or asks whether one they got is safe), a
``question`` (about rules or rights, with no offer in it), a ``warning`` (awareness,
advice or news), ``personal_news`` (someone's own good news) and ``chat``. The catalogue
labels a retold offer by the offer it tells, and questions, warnings and news low with no
flags; an offer under a warning-looking header ("⚠️ ВНИМАНИЕ", "WASPADA PENIPUAN") stays an
offer because it still asks the reader to get in touch.

The cues are concepts of the per-language data (``OFFER_CALL``, ``LAW_QUESTION``,
``ASK_ABOUT_OFFER``, ``TOLD``, ``ADVICE``, ``NEWS``, ``GOOD_NEWS``, ``WARNING``) plus contact
details found in the raw text (phone numbers, e-mail, links, handles). Offer cues inside
quotation marks are what a warning quotes, not what it offers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum

from flows.red_flags.alternatives import Alternatives
from flows.red_flags.lexicon import Occurrence
from flows.red_flags.normalize import Token
from flows.red_flags.rules import Index, Match


class Kind(StrEnum):
    OFFER = "offer"
    RETOLD_OFFER = "retold_offer"
    QUESTION = "question"
    WARNING = "warning"
    PERSONAL_NEWS = "personal_news"
    CHAT = "chat"


# Kinds that offer no job: the catalogue labels them low with no flags.
NO_OFFER = frozenset({Kind.QUESTION, Kind.WARNING, Kind.PERSONAL_NEWS, Kind.CHAT})
# Flags that make good news a retold offer after all ("alhamdulillah, the agency keeps
# my passport only for a year").
_SERIOUS = frozenset({"document_retention", "costs_repaid_from_wages", "advance_to_family_debt",
                      "secrecy_isolation", "minor_targeted", "broker_via_parents",
                      "sexual_service_hint", "upfront_fee", "irregular_route",
                      "abroad_service_job"})

# A phone number, an e-mail address, a link or a handle, the parts searched one by one (the
# same matches as the parts joined by "|", and the two with an "@" only in a text that has
# one). The phone number's (?<![\d.])\+?\d{2,4} is written as its first "+" or digit, then
# the look-behind: a pattern that opens with a look-behind is tried at every position.
_CONTACT = Alternatives(
    r"[+\d](?<![\d.].)(?:(?<=\+)\d{2,4}|(?<=\d)\d{1,3})[\s.-]?\d{3,4}[\s.-]?\d{3,5}\b",
    (r"[\w.+-]+@[\w-]+\.[\w.]+", "@"),
    r"https?://\S+", r"www\.\S+", r"wa\.me/\S+", r"t\.me/\S+",
    (r"@(?<![\w@]@)[A-Za-z_]\w{3,}", "@"))  # (?<![\w@])@…, the "@" first
# An apostrophe quotes only outside a word ("I'm", "can't", "Jum'at" are no quotation).
# The opening marks are written one by one and the apostrophe's look-behind after it, so
# that every alternative starts with its character and the search jumps in C to the marks
# (as "[\"“”«„]|(?<!\w)'" it was tried at every position: a third of a millisecond for
# 2,000 characters); the matches are the same.
_QUOTED = re.compile(r"(?:\"|“|”|«|„|'(?<!\w'))([^\"“”«»„'\n]{3,300})(?:[\"“”»]|'(?!\w))")
_OPENING_TOKENS = 5


# The one-word questions that close a proposal ("…, ok?", "mau?", «согласен?»).
_TAGS = frozenset({"ok", "okay", "oke", "okey", "deal", "mau", "minat",
                   "согласен", "согласна", "согласны", "подходит", "договорились", "идёт",
                   "идет", "го"})


def _ends_with_a_tag(stripped: str, tokens: Sequence[Token]) -> bool:
    """The text's only question mark closes it, after a one-word tag question."""
    return (stripped.count("?") == stripped.endswith("?") and bool(tokens)
            and tokens[-1].norm in _TAGS and (len(tokens) == 1 or tokens[-2].sentence
                                              == tokens[-1].sentence))


def read(raw: str, tokens: Sequence[Token], index: Index,
         flags: Iterable[str]) -> tuple[Kind, bool]:
    """The kind of message, and whether it advertises a job (hires, pays or gives a contact
    to apply, outside quotation marks)."""
    quoted = [m.span(1) for m in _QUOTED.finditer(raw)]

    def outside(occurrences: Iterable[Occurrence]) -> bool:
        for occ in occurrences:
            start = tokens[occ.start].start
            if not any(a <= start < b for a, b in quoted):
                return True
        return False

    # One concept at a time, straight from the index (``index.has`` and ``index.find`` of a
    # one-concept set, without building the set at every question).
    by_concept = index.by_concept

    def has(concept: str) -> bool:
        return bool(by_concept.get(concept))

    def found(concept: str) -> Sequence[Occurrence]:
        return by_concept.get(concept, ())

    # A number, an address or a link outside quotation marks.
    contact = any(not any(a <= m.start() < b for a, b in quoted)
                  for m in _CONTACT.finditer(raw))
    # "contact your embassy or a labour NGO" advises; "contact us" calls to apply.
    # «куда обращаться?», "where to apply?" ask where to go: no call to apply either.
    advising_at = {o.start for o in found("ADVICE_CUE")} | {
        o.end + 1 for o in found("QUESTION_WORD")}
    call = outside(o for o in found("OFFER_CALL") if o.start not in advising_at) or contact
    hiring = outside(found("OFFER_WORDS"))
    pay = (outside(found("AMOUNT")) and has("SALARY")) or outside(found("HIGH_PAY"))
    opens_with_warning = any(occ.start < _OPENING_TOKENS and tokens[occ.start].sentence == 0
                             for occ in found("WARNING"))
    # Talk of the rules themselves ("moratorium … masih berlaku") with no offer made to
    # anyone and no sum is advice or news, not an advert.
    advice = has("ADVICE") or has("NEWS") or (
        has("RULE_TALK") and not has("OFFER") and not has("AMOUNT"))
    told = has("TOLD")
    asks_about_offer = has("ASK_ABOUT_OFFER")
    stripped = raw.strip()
    # A question mark mid-text asks only when no sum follows ("Training free? No, pay
    # 5000 roubles first" is an offer with a rhetorical question).
    asks = (stripped.endswith("?") or ("?" in stripped and not has("AMOUNT"))
            or any(o.start == 0 for o in found("QUESTION_WORD")))
    if asks and _ends_with_a_tag(stripped, tokens) and has("JOB_CONTEXT"):
        # "job in Kazan, you give passport to manager, ok?", "mau gak?", «согласен?»: the
        # recruiter asks for a yes to the offer just made, the text asks nothing about one.
        asks = False
        call = True
    job = has("JOB_CONTEXT")
    advertises = call or hiring or pay

    if has("NO_OFFER_YET") and not call:
        return Kind.QUESTION, advertises
    if asks and not (call or hiring or pay or told) and not index.has(_SPECIFIC) and len(
            {t.sentence for t in tokens}) <= 2 and any(
            t.norm in _CONDITIONALS for t in tokens[:-1]) and not _judges_own_case(
            tokens, has("RETELL")):
        # "what should i do if my employer takes my passport?", «что делать, если заберут
        # паспорт?», "kalau paspor saya ditahan nanti gimana?": a case supposed, with no
        # offer in hand (no place, sum, moment or contact of one).
        return Kind.QUESTION, advertises
    if asks_about_offer:
        return Kind.RETOLD_OFFER, advertises
    if has("LAW_QUESTION") and not call and not pay:
        return Kind.QUESTION, advertises
    if opens_with_warning or advice:
        # Advice words turn up in real ads too ("make sure you bring your ID"): an ad still
        # hires or pays and gives a contact; a warning header over a contact is an ad. Advice
        # names whom to contact too ("contact the school"), so with advice words only a real
        # contact (a number, an address, a link) makes it an advert.
        if (contact or (call and not advice)) and (hiring or pay or not advice):
            return Kind.OFFER, advertises
        # A warning or a retold offer: the analyzer keeps the flags of the sentences that
        # describe one (``described``), and makes it a retold offer if any remain.
        return Kind.WARNING, advertises
    if asks and not told and not call and not hiring and len({t.sentence for t in tokens}) <= 2:
        return Kind.QUESTION, advertises
    if has("EMPLOYED_NOW") and not call and not hiring:
        # Someone already at work there tells of it ("anak sy skrg udah 2 th kerja di
        # Taiwan", «сын работает на заводе», "I work in a hotel laundry"): news of a job
        # held, unless it tells of a serious sign.
        return (Kind.RETOLD_OFFER if _SERIOUS & set(flags) else Kind.PERSONAL_NEWS), advertises
    if has("OWN_WISH") and not (call or hiring or pay) and not has("BROKER") and not has(
            "APPROACH") and not _SERIOUS & set(flags) - {"minor_targeted", "vague_job_lure"}:
        # "anak sy 17 th pengen ikut magang ke Jepang, bisa gk?", «хочу поехать в Корею»:
        # someone's own wish to work, which nobody has offered: a question or news.
        return (Kind.QUESTION if asks else Kind.PERSONAL_NEWS), advertises
    if told and job:
        return Kind.RETOLD_OFFER, advertises
    if has("GOOD_NEWS") and not call and not hiring:
        return (Kind.RETOLD_OFFER if _SERIOUS & set(flags) else Kind.PERSONAL_NEWS), advertises
    if not job and not set(flags):
        return Kind.CHAT, advertises
    return Kind.OFFER, advertises



# "normal gak sih kalo…", "is it normal if…", «нормально, если…»: a judgement asked of a
# case, where "kalo" means "that".
_JUDGED = frozenset({"normal", "wajar", "нормально", "ok", "okay", "oke"})


def _judges_own_case(tokens: Sequence[Token], own: bool) -> bool:
    """"Kak normal gak sih kalo bos minta HP aku dikumpulin tiap hari…": the writer asks
    whether what happens to her is normal; not a supposed case ("what should I do if…")."""
    if not own:
        return False
    for token in tokens[:-1]:
        if token.norm in _CONDITIONALS:
            return False
        if token.norm in _JUDGED:
            return True
    return False


_ADVICE_CUES = frozenset({"ADVICE_CUE", "ADVICE", "WARNING"})
_REPORTED = frozenset({"TOLD", "RETELL"})
_SPECIFIC = frozenset({"AMOUNT", "PLACE", "TIME_ANCHOR", "OFFER_CALL", "SOCIAL_MEDIA",
                       "LEGIT_CLAIM", "TOLD_ME"})
_NEGATION = frozenset({"NEG"})
_PROMISED = frozenset({"PROMISED"})
_AMOUNT = frozenset({"AMOUNT"})


# A line that opens with a list mark: "1)", "2.", "1️⃣", "-", "•", "✅", "🚫".
_LIST_ITEM = re.compile(r"^\s*(?:\d{1,2}[.)]|\d\ufe0f?\u20e3|[-•*▪►✔✅❌🚫⛔🔴])", re.M)


def _list_of_signs(raw: str, tokens: Sequence[Token], index: Index) -> bool:
    """A warning's list of signs: a heading that warns or advises, then three or more
    listed lines, with no sum, contact or call to apply ("Ciri-ciri loker bodong: 1️⃣ cuma
    lewat medsos 2️⃣ gaji fantastis 3️⃣ visa turis"). An advert under a warning header
    lists its terms too, but with its pay and whom to contact."""
    if len(_LIST_ITEM.findall(raw)) < 3 or _CONTACT.search(raw):
        return False
    if index.has(frozenset({"AMOUNT", "OFFER_CALL"})):
        return False
    return any(tokens[occ.start].sentence == 0 for occ in index.find(_ADVICE_CUES))


def described(raw: str, tokens: Sequence[Token], index: Index,
              hits: Mapping[str, Match]) -> dict[str, Match]:
    """Of a warning's flags, those raised in sentences that describe rather than advise.

    "Hati-hati, banyak lowongan palsu minta biaya" and "never hand over your passport"
    warn in general; "⚠️ Осторожно! В Телеграме ходят «вакансии» хостес в Дубай с зп
    5000$" describes a specific offer, which the catalogue labels by that offer. A sentence
    with an advice or warning cue of its own is advice, and so is what it quotes; the others
    describe."""
    if index.has(frozenset({"NEWS"})) and index.has(_PROMISED) and index.has(_AMOUNT):
        # "…para korban dijanjikan kerja sebagai operator komputer dengan gaji Rp12 juta
        # tanpa syarat ijazah… visa kunjungan": a report that tells the terms the victims
        # were promised retells that offer, which the catalogue labels by the offer.
        return dict(hits)
    if index.has(frozenset({"NEWS"})) or (index.has(frozenset({"RULE_TALK"})) and not (
            index.has(frozenset({"OFFER", "AMOUNT"})))):
        return {}  # news of a case, or of the rules, is no offer to the reader
    # A specific offer has something of its own: a sum, a place, a moment, a contact, a
    # call to apply or someone it was made to ("hiring" is not enough: «признаки, что
    # вакансия — ловушка»); a list of signs ("1) паспорт забирают…") has none of these.
    if not (index.has(_SPECIFIC) or _CONTACT.search(raw)):
        return {}
    if _list_of_signs(raw, tokens, index):
        return {}
    if index.has(frozenset({"LEGIT_CLAIM"})):
        return dict(hits)  # "WASPADA PENIPUAN! Kami resmi…": the warning heads an advert
    # Clause by clause: chat runs sentences together ("warga hati2, kemarin ada laki2…").
    # A negated cue is an advert's claim ("kami bukan penipu"), not advice.
    # A cue that is itself a negation («не имеет права», "don't") is not negated by the
    # word before it («никакой работодатель не имеет права»).
    negation_occ = index.find(_NEGATION)
    negations = {occ.end for occ in negation_occ}
    negative = {occ.start for occ in negation_occ}
    # A cue in reported speech is the recruiter's, not the writer's advice: "katanya jgn
    # bilang2 sm pak RT", «сказал, не говори никому».
    reported = {occ.end for occ in index.find(_REPORTED)}
    cues = [occ for occ in index.find(_ADVICE_CUES)
            if (occ.start in negative or not {occ.start - 1, occ.start - 2} & negations)
            and not {occ.start - 1, occ.start - 2} & reported]
    advising = {tokens[occ.start].clause for occ in cues}
    # A cue that denies ("a real employer will never", «никакая работа не требует», "no
    # employer may") governs the rest of its sentence: "… ask you to pay, keep your
    # passport, or send you on a tourist visa" lists what it denies.
    denying = [occ for occ in cues
               if any(occ.start <= n.start <= occ.end for n in negation_occ)
               or _opens_a_condition(occ, tokens)]
    starts = {tokens[occ.start].sentence: occ.start for occ in reversed(denying)}
    advising |= {t.clause for i, t in enumerate(tokens)
                 if t.sentence in starts and i > starts[t.sentence]}
    quoted = [m.span(1) for m in _QUOTED.finditer(raw)]

    def inside_quotes(match: Match) -> bool:
        start, end = tokens[match.start].start, tokens[match.end].end
        return any(a <= start and end <= b for a, b in quoted)

    return {flag: match for flag, match in hits.items()
            if not {tokens[i].clause for i in range(match.start, match.end + 1)} & advising
            and not inside_quotes(match)}


# The conditionals that open general advice ("If your employer takes your passport…",
# «Если работодатель «временно» забрал ваш паспорт — это не норма»).
_CONDITIONALS = frozenset({"if", "если", "kalau", "kalo", "jika", "bila", "apabila"})


def _opens_a_condition(occ: Occurrence, tokens: Sequence[Token]) -> bool:
    """A cue that is a conditional opening its sentence: in a warning, what its sentence
    goes on to say is the case it advises on (a quotation mark inside it breaks the clause,
    not the condition)."""
    first = tokens[occ.start]
    return first.norm in _CONDITIONALS and (
        occ.start == 0 or tokens[occ.start - 1].sentence != first.sentence)


# A question about the rules, with no offer in hand, or about one's own plan («мне 17, хочу
# работать в Корее, как законно поехать?»).
_GENERAL_QUESTION = frozenset({"LAW_QUESTION", "NO_OFFER_YET", "ADVICE_CUE", "OWN_WISH"})


def asks_about_a_specific_offer(raw: str, index: Index) -> bool:
    """A question about one offer (a place, a sum, a moment, someone it was made to), not
    about the rules ("can an employer…", "what if…") nor asked with no offer in hand."""
    if index.has(_GENERAL_QUESTION):
        return False
    return index.has(_SPECIFIC) or bool(_CONTACT.search(raw))
