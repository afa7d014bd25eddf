"""Ages in a text: "usia 15-20 tahun", "от 16 лет", "girls aged 15 to 19", "мне 17".

A number is an age when an age word stands just before it, or when a year unit follows it
and a person (a teenager, a girl, "I", "мне") or "from" stands before it. Durations
("pengalaman 2 tahun", "опыт от 3 лет", "работаем 10 лет") are not ages.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress, pairwise
from operator import attrgetter

from flows import languages
from flows.red_flags.normalize import Token

_AGE_WORDS = frozenset(
    [
        "usia",
        "umur",
        "berusia",
        "berumur",
        "usianya",
        "umurnya",
        "age",
        "aged",
        "ages",
        "возраст",
        "возраста",
        "возрасте",
        "возрастом",
        "umurku",
        "usiaku",
        "umurmu",
        "usiamu",
        "umure",
        "umurne",
        "yosh",
        "yoshi",
    ]
)
_YEAR_UNITS = frozenset(
    ["tahun", "thn", "th", "taun", "taon", "лет", "год", "года", "годиков", "годика", "years",
     "year", "yrs", "yo", "y", "yr"]
)
_PERSON = frozenset(
    [
        "anak",
        "anaknya",
        "gadis",
        "remaja",
        "cewek",
        "cowok",
        "putri",
        "putra",
        "adik",
        "adek",
        "adikku",
        "bro",
        "sis",
        "kids",
        "santri",
        "santriwati",
        "adekku",
        "adekmu",
        "adikmu",
        "sepupu",
        "sepupuku",
        "keponakan",
        "ponakan",
        "bocah",
        "bocahe",
        "anake",
        # Sundanese and Javanese: "adi abdi" (my younger sibling), "budak", "adhiku"
        "adi",
        "budak",
        "budakna",
        "adhi",
        "adhiku",
        "adhine",
        "putune",
        "saya",
        "aku",
        "dia",
        "girl",
        "girls",
        "boy",
        "boys",
        "teen",
        "teens",
        "teenager",
        "kid",
        "child",
        "daughter",
        "son",
        "sister",
        "brother",
        "cousin",
        "student",
        "students",
        "pupil",
        "siswa",
        "siswi",
        "murid",
        "her",
        "his",
        "niece",
        "nephew",
        "i",
        "im",
        "me",
        "подросток",
        "подростки",
        "подростков",
        "подростка",
        "девушка",
        "девушки",
        "девушек",
        "девочка",
        "девочки",
        "девочек",
        "парень",
        "парни",
        "парней",
        "мальчик",
        "мальчики",
        "сын",
        "дочь",
        "дочери",
        "ребёнок",
        "ребенок",
        "сестра",
        "сестре",
        "брату",
        "племяннице",
        "племяннику",
        "внучке",
        "внуку",
        "сестрёнка",
        "сестренка",
        "сестрёнке",
        "брат",
        "братишка",
        "племянница",
        "племянник",
        "дочка",
        "дочке",
        "ученик",
        "ученика",
        "ученица",
        "ученицу",
        "школьник",
        "школьника",
        "школьница",
        "школьницу",
        "сыну",
        "мне",
        "я",
        "ей",
        "ему",
        "от",
        "с",
        "from",
        "yang",
    ]
)
_GLUED_AGE = re.compile(r"(1[0-9])(?:yo|yrs|an|thn|tahun|лет)")  # not "15th"
_GLUED_TH = re.compile(r"(1[0-9])th")
_HIRING = frozenset(["берём", "берем", "ищем", "нужны", "требуются", "набираем", "приглашаем",
                     "принимаем", "hiring", "hire", "wanted", "dicari", "butuh", "terima",
                     "menerima"])
_TIME_UNITS = frozenset(["menit", "detik", "jam", "hari", "bulan", "minggu", "minutes", "minute",
                         "min", "mins", "hrs", "hr", "sec", "secs", "мин", "ч",
                         "hours", "days", "weeks", "months", "минут", "часов", "дней", "месяцев",
                         "rb", "ribu", "jt", "juta", "тыс", "k"])
_AFTER_PLUS = frozenset(["ok", "okay", "ок", "окей", "welcome", "bisa", "boleh", "juga", "also",
                         "норм", "можно", "берём", "берем"])
# People wanted, after whom "16+" is an age ("девушки 16+ в массажный салон").
_PEOPLE_WANTED = frozenset(["девушки", "девушек", "девочки", "девочек", "парни", "юноши",
                            "ребята", "ребят", "парней", "юношей", "girls", "boys", "ladies",
                            "guys", "cewek", "cewe", "perempuan", "wanita", "gadis", "cowok",
                            "pria", "remaja", "kids", "teens", "teenagers", "anak",
                            "подростки", "подростков", "дети", "детей", "applicants",
                            "candidates", "pelamar", "kandidat", "кандидаты", "соискатели"])
# Children named right after "N years" ("a 12 yo girl", «12 лет девочка»).
_CHILDREN_AFTER = frozenset(["girl", "boy", "kid", "child", "daughter", "son", "anak", "putri",
                             "putra", "девочка", "мальчик", "дочь", "сын", "ребёнок", "ребенок"])
# Kin and children, after whom a bare number is their age.
_KIN = frozenset(["anakku", "anakmu", "anaknya", "adikku", "adekku", "adiknya", "putriku",
                  "putraku", "daughter", "son", "sister", "brother", "niece", "nephew",
                  "дочке", "дочери", "дочь", "сыну", "сын", "сестре", "брату", "племяннице",
                  "племяннику", "внучке", "внуку", "she", "he", "cousin", "bro", "sis",
                  "sepupuku", "sepupunya", "keponakanku", "девочку", "дочку", "сестрёнку",
                  "сестренку", "братишке", "сестрёнке", "сестренке", "братику", "братишка"])
# A child named right after her years: kin words and the children's own words.
_NAMED_AFTER_YEARS = _KIN | _CHILDREN_AFTER
# Words that join the two ends of a range: "boys 16 to 18", «девушки 16 до 20».
_RANGE_WORDS = frozenset(["to", "sampai", "sampe", "hingga", "до", "по"])
# "The girls are 15 and 16", "Euis karék 15 taun", "ей 13": a person, a copula or "just",
# then a teenage number.
_COPULA = frozenset(["is", "are", "was", "were", "karek", "karék", "lagi", "adalah", "umurnya",
                     "usianya", "umure"])
_DURATION = frozenset(
    [
        "pengalaman",
        "pengalamannya",
        "kerja",
        "bekerja",
        "selama",
        "masa",
        "lama",
        "experience",
        "worked",
        "working",
        "for",
        "опыт",
        "опыта",
        "опытом",
        "стаж",
        "стажа",
        "работаем",
        "работает",
        "работы",
        "работе",
        "уже",
        "более",
        "больше",
        "свыше",
        "течение",
    ]
)
_RANGE = frozenset(["sampai", "hingga", "sd", "s", "to", "до", "and", "dan", "и"])


@dataclass(frozen=True, slots=True)
class Age:
    value: int
    start: int  # token index
    end: int


# The children a job serves, whose ages an ad gives («детей от 6 до 14 лет», "pupils aged
# 10-14"): not the worker's age.
_SERVED = frozenset(["детей", "детям", "детьми", "учеников", "учащихся", "школьников",
                     "воспитанников", "pupils", "students", "murid", "siswa"])
# "care for children aged 0-16", "story time for kids aged 5-12": the ages of those served
# (but "kids 14+ can join our team" hires them).
_SERVED_AGED = frozenset(["children", "kids", "patients"])
# «опыт работы в данной области от 5 лет»: experience named earlier in the clause.
_DURATION_REACH = 6


# Words that make a year a year of birth: "kelahiran 2009", "lahir tahun 2010", "born in
# 2010", «2010 г.р.», «2008 года рождения».
_BIRTH_BEFORE = frozenset(["kelahiran", "lahir", "born", "рождения"])
_BIRTH_AFTER = (("г", "р"), ("года", "рождения"), ("гр",))


_NUMBER = attrgetter("number")


def _number_places(tokens: Sequence[Token]) -> list[int]:
    """The places of the number tokens, found in C: every age has one, and most tokens of
    a long text are words."""
    return list(compress(range(len(tokens)), map(_NUMBER, tokens)))


def _birth_years(tokens: Sequence[Token], year: int) -> list[Age]:
    """Ages told as years of birth, as of ``year`` (the youngest of a range counts)."""
    ages: list[Age] = []
    for i in _number_places(tokens):
        token = tokens[i]
        if not (token.norm.isdigit() and len(token.norm) == 4):
            continue
        born = int(token.norm)
        if not year - 60 <= born <= year:
            continue
        before = {t.norm for t in tokens[max(0, i - 3):i] if t.sentence == token.sentence}
        # the last year of a range "2009-2011" is read with its first one
        nxt = i + 1 if i + 1 < len(tokens) and tokens[i + 1].norm.isdigit() and len(
            tokens[i + 1].norm) == 4 else i
        after = tuple(t.norm for t in tokens[nxt + 1:nxt + 3])
        if before & _BIRTH_BEFORE or any(after[:len(a)] == a for a in _BIRTH_AFTER):
            youngest = max(born, int(tokens[nxt].norm))
            ages.append(Age(year - youngest, max(0, i - 1), nxt))
    return ages


def find_ages(tokens: Sequence[Token], text: str | None = None,
              year: int | None = None) -> list[Age]:
    """Ages in the tokens; ``text``, the original, tells a bracketed age ("Dinda (17)");
    ``year``, the year it is read in, tells ages given as years of birth."""
    ages: list[Age] = _birth_years(tokens, year) if year is not None else []
    joined: set[int] = set()
    for i in _number_places(tokens):
        if i in joined:
            continue
        token = tokens[i]
        glued = _GLUED_AGE.fullmatch(token.norm)
        if glued is None and i and tokens[i - 1].norm in _PERSON | _AGE_WORDS:
            glued = _GLUED_TH.fullmatch(token.norm)  # "anak saya 14th", not "the 15th"
        if glued is not None:
            # "16yo", "15an" (about 15), "17thn": a number with its age unit glued on.
            value = int(glued.group(1))
            if 14 <= value <= 17:
                ages.append(Age(value, i, i))
            continue
        if not token.norm.isdigit():
            continue
        value, last = int(token.norm), i
        if text is not None and _spaced_digits(tokens, i, text):
            # "age 1 5 ok", "u.m.u.r 1.4": digits spaced out to slip past filters.
            value, last = int(token.norm + tokens[i + 1].norm), i + 1
            joined.add(last)
        # Below ten an age is of children a job serves ("up to age 8"), not of workers.
        if not 10 <= value <= 99:
            continue
        # Context stops at a comma: "gak perlu pengalaman, umur 15" is an age.
        before = [t.norm for t in tokens[max(0, i - 3) : i] if t.clause == token.clause]
        after = tokens[last + 1] if last + 1 < len(tokens) else None
        unit_after = (
            after is not None and after.norm in _YEAR_UNITS and (after.sentence == token.sentence)
        )
        age_word_just_before = bool(before) and before[-1] in _AGE_WORDS
        # "17 y.o.", «16-летних»: units that only ages take, whatever stands before.
        age_unit = after is not None and (
            after.norm in ("yo", "yrs old") or after.norm.startswith("летн")
            or (after.norm in ("y", "years", "year") and last + 2 < len(tokens)
                and tokens[last + 2].norm in ("o", "old", "olds")))
        age_word_just_before = age_word_just_before or age_unit
        # "anaknya yang 13 tahun kerja di…": the child who is 13, not 13 years of work.
        whose = (before[-1:] == ["yang"] and len(before) >= 2 and before[-2] in _PERSON) or (
            before[-1:] != [] and before[-1] in _KIN)
        if not age_word_just_before and (any(w in _DURATION for w in before[-2:]) or (
            not whose and
            # "15 years experience"; not "boys 15-17 years for fishing boat crew", where
            # "for" names the job ("worked for 10 years" is told by the word before)
            last + 2 < len(tokens) and tokens[last + 2].norm in _DURATION - {"for"}
            and unit_after and tokens[last + 2].clause == token.clause
        )):
            continue
        if _experience_as(before):
            continue
        clause_before = [t.norm for t in tokens[max(0, i - _DURATION_REACH) : i]
                         if t.clause == token.clause]
        if before[-1:] == ["от"] and any(w in _DURATION for w in clause_before):
            continue
        # «детей от 6 до 14 лет» are the children a job serves; «берём школьников от 14
        # лет» hires them.
        served = any(w in _SERVED for w in clause_before) or any(
            a in _SERVED_AGED and b in ("aged", "ages")
            for a, b in pairwise(clause_before))
        if served and not any(w in _HIRING for w in clause_before):
            continue
        is_age = any(w in _AGE_WORDS for w in before) or _named_with_age(tokens, i, text)
        is_age = is_age or age_unit
        # «девушки от 16», "girls from 16": a person, then "from" and a teenage number.
        if (not is_age and 14 <= value <= 17 and len(before) >= 2
                and before[-1] in ("от", "с", "from", "dari") and before[-2] in _PERSON):
            is_age = True
        if not is_age and unit_after:
            is_age = any(w in _PERSON for w in before) or _after_range(tokens, i) or (
                _person_just_before_the_comma(tokens, i))
            # "16 year olds welcome", "a 15-year-old": the years of a person.
            old_after = tokens[last + 2].norm if last + 2 < len(tokens) else ""
            is_age = is_age or (old_after in ("old", "olds") and value <= 25)
            # "their 12 yo daughter", "anak 13 tahun": the years of the child named after.
            is_age = is_age or (value <= 17 and old_after in _NAMED_AFTER_YEARS)
        if not is_age and (before[-1:] in (["мне"], ["im"], ["am"], ["ей"], ["ему"])
                           or before[-2:] in (["i", "m"], ["she", "s"], ["he", "s"])):
            is_age = True
        # «Дочке 15», "anakku 14", "my son is 16": a child's years right after them.
        if not is_age and value <= 17 and (
                (before[-1:] and before[-1] in _KIN)
                or (len(before) >= 2 and before[-1] in ("is", "was") and before[-2] in _KIN)):
            is_age = True
        # "aku masih 16", "she is only 15": a person, "still"/"only", then a teenage number
        # (not "baru 15 menit").
        if (not is_age and 10 <= value <= 17 and len(before) >= 2
                and before[-1] in ("masih", "baru", "only", "just", "всего", "только", "ещё")
                and before[-2] in _PERSON | {"is", "was"}
                and (after is None or after.norm not in _TIME_UNITS)):
            is_age = True
        # "young girls 14-17", "cewek 16-20": a range of years right after the people
        # wanted is their age (a range needs its dash: "girls 2 orang" is a count).
        # ... also in brackets: "younger applicants (16-17) welcome".
        bracketed = (i > 0 and text is not None and tokens[i - 1].norm in _PEOPLE_WANTED
                     and text[tokens[i - 1].end:token.start].strip() == "(")
        wanted_before = bool(before) and before[-1] in _PEOPLE_WANTED
        if (not is_age and 10 <= value <= 17 and (wanted_before or bracketed)
                and after is not None and text is not None
                and ((after.number and text[token.end:after.start].strip() in (
                    "-", "–", "—", "s/d", "sampai"))
                     or (after.norm in _RANGE_WORDS and last + 2 < len(tokens)
                         and tokens[last + 2].number))):
            is_age = True
        # "The girls are 15 and 16", "Euis karék 15 taun": a person or a name, a copula,
        # then a teenage number that ends its clause or has its years.
        if (not is_age and 10 <= value <= 17 and len(before) >= 2 and before[-1] in _COPULA
                and (before[-2] in _PERSON | _PEOPLE_WANTED | _KIN
                     or (tokens[i - 2].capitalised and tokens[i - 2].norm.isalpha()
                         and tokens[i - 2].norm not in _PERSON))
                and (after is None or after.clause != token.clause or unit_after
                     or after.norm in ("and", "dan", "и", "or", "atau"))):
            is_age = True
        # "16+" is "from 16" (an "18+" is the usual adult line, no sign).
        if (not is_age and 14 <= value <= 17 and text is not None and not unit_after
                and text[token.end:token.end + 1] == "+"
                and (after is None or after.clause != token.clause or after.norm in _AFTER_PLUS
                     or (before and before[-1] in _PEOPLE_WANTED))):
            is_age = True  # not "a team of 15+ people"
        if is_age:
            ages.append(Age(value, max(0, i - len(before)), last + (1 if unit_after else 0)))
            start = _range_start(tokens, i) if last == i else None
            if start is not None and start not in joined:
                ages.append(Age(int(tokens[start].norm), start, i))
    return ages


def _spaced_digits(tokens: Sequence[Token], i: int, text: str) -> bool:
    """Two single digits one space or dot apart, after an age word: "age 1 5", "umur 1.4"."""
    if i + 1 >= len(tokens) or len(tokens[i].norm) != 1:
        return False
    nxt = tokens[i + 1]
    if not (nxt.number and len(nxt.norm) == 1 and nxt.norm.isdigit()):
        return False
    if nxt.start - tokens[i].end != 1 or text[tokens[i].end] not in " .":
        return False
    return i >= 1 and tokens[i - 1].norm in _AGE_WORDS


def _named_with_age(tokens: Sequence[Token], i: int, text: str | None) -> bool:
    """"Adekku (16)", "Sepupuku Dinda (17)": a teenager's age alone in brackets right after
    a person or a name (an address, "ул. Ленина, 10", is not in brackets)."""
    token = tokens[i]
    if not 10 <= int(token.norm) <= 17 or i == 0 or text is None:
        return False
    if text[:token.start].rstrip()[-1:] != "(":
        return False
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    # "(16)" or "(16 лет)"
    with_unit = (nxt is not None and nxt.norm in _YEAR_UNITS
                 and text[nxt.end:].lstrip()[:1] == ")")
    if not with_unit and text[token.end:].lstrip()[:1] != ")":
        return False
    prev = tokens[i - 1]
    if prev.clause == token.clause or prev.sentence != token.sentence or prev.number:
        return False
    if not with_unit and nxt is not None and nxt.clause == token.clause:
        return False
    return prev.norm in _PERSON or (prev.capitalised and prev.norm.isalpha())


def _experience_as(before: list[str]) -> bool:
    """«главным бухгалтером от 5 лет», «администратором от 3 лет»: a role in the
    instrumental case before "от N лет" is years of experience in it, not an age (the
    Russian dictionary tells the case)."""
    if len(before) < 2 or before[-1] != "от":
        return False
    word = before[-2]
    if not word.isalpha() or not any("\u0400" <= ch <= "\u04ff" for ch in word):
        return False
    return languages.RUSSIAN.is_instrumental_noun(word)


def _range_start(tokens: Sequence[Token], i: int) -> int | None:
    """In "15 sampai 20 tahun" or "15-20 лет", the index of the lower bound."""
    if i >= 1 and tokens[i - 1].number and tokens[i - 1].norm.isdigit():
        return i - 1
    if i >= 2 and tokens[i - 1].norm in _RANGE and tokens[i - 2].norm.isdigit():
        return i - 2
    return None


def _after_range(tokens: Sequence[Token], i: int) -> bool:
    start = _range_start(tokens, i)
    if start is None:
        return False
    before = [t.norm for t in tokens[max(0, start - 3) : start]]
    return any(w in _AGE_WORDS or w in _PERSON for w in before)


# Pronouns name no one by themselves: "saya, 25 tahun" is the writer, and "aku, 15 tahun
# pengalaman" is not read by this path anyway.
_PRONOUNS = frozenset({"saya", "aku", "dia", "i", "im", "me", "her", "his"})


def _person_just_before_the_comma(tokens: Sequence[Token], i: int) -> bool:
    """ "Euis (adi abdi, 15 taun)", "my sister, 16 years, …": a person named just before
    the comma that opens the number's clause."""
    clause = tokens[i].clause
    before = tokens[i - 1] if i else None
    if before is None or before.clause != clause - 1 or before.sentence != tokens[i].sentence:
        return False
    words = [t.norm for t in tokens[max(0, i - 2):i] if t.clause == clause - 1]
    return any(w in _PERSON and w not in _PRONOUNS for w in words)
