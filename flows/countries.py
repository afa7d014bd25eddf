"""Country names as people type them (/country Кыргызстан, /country kg, "Indonesia"),
resolved to ISO 3166-1 alpha-2 codes with Babel's CLDR names in the languages of our users
and of the countries they live in. A code is a place, not an identifier."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from babel import Locale
from rapidfuzz import fuzz, process

from flows.languages import ENGLISH, RUSSIAN
from flows.languages.translit import transliterations
from flows.payload import Payload
from flows.red_flags.detect import unread_language
from flows.types import (
    Choice,
    ChoiceStyle,
    Inbound,
    Kind,
    Msg,
    Part,
    Quote,
    Reply,
    msg,
    text_reply,
)
from flows.whom_to_call import country_name, iso_countries
from referral_directory.gazetteer import PlaceKind
from referral_directory.names import fold

if TYPE_CHECKING:
    from referral_directory.gazetteer import Gazetteer, Place
    from referral_directory.search import DirectoryIndex

# Stored as the conversation's country once the question was asked and no country given:
# CLDR's code for an unknown region, never a real country.
DECLINED = "ZZ"
# The state of the engine's own question buttons (payloads of flows.payload.GLOBAL_FLOW):
# a press saves the country whatever flow the conversation is in, or none.
QUESTION_STATE = "country"
# The countries offered as buttons, by the person's language: where it is spoken among the
# countries the bot serves, and for Indonesian also where most Indonesian migrant workers are
# placed (Hong Kong, Taiwan, Saudi Arabia, Korea), whose missions' hotlines the directory has.
QUESTION_COUNTRIES: dict[str, tuple[str, ...]] = {
    "id": ("ID", "MY", "HK", "TW", "SA", "KR"),
    "ru": ("RU", "KZ", "KG", "UZ", "TJ"),
    # English: also where English-speaking domestic and migrant workers are (Hong Kong,
    # Singapore, Saudi Arabia). At most eight, so that WhatsApp's list of ten rows also holds
    # "Another country" and "Skip" (the other countries are typed).
    "en": ("ID", "MY", "HK", "SG", "SA", "RU", "KG", "UZ"),
}
_LIST_ROWS = 10
MAX_QUESTION_COUNTRIES = 8

# The bot's languages, and the languages of the countries it serves (Malay, Kyrgyz,
# Kazakh, Uzbek, Tajik), so a person may name their country in their own language.
_LOCALES = ("en", "id", "ru", "ms", "ky", "kk", "uz", "tg")
# Short names CLDR does not list.
_ALIASES = {"рф": "RU", "russia": "RU", "cina": "CN", "tiongkok": "CN", "рк": "KZ", "кр": "KG",
            "ri": "ID", "nkri": "ID",
            "киргизстан": "KG", "kirgizstan": "KG", "kirgiziya": "KG", "kyrgyzstan": "KG",
            "kirgizia": "KG", "kirghizia": "KG", "kyrgyzia": "KG", "kirgiziia": "KG",
            "uzbekistan": "UZ", "tajikistan": "TJ", "kazakhstan": "KZ", "qazaqstan": "KZ",
            "o'zbekiston": "UZ", "ozbekiston": "UZ", "тоҷикистон": "TJ",
            # where migrants go, as they name it ("kerja di Hongkong", «в Корее», "UEA")
            "hong kong": "HK", "hongkong": "HK", "гонконг": "HK", "saudi": "SA",
            "saudi arabia": "SA", "korea": "KR", "korsel": "KR", "south korea": "KR",
            "корея": "KR", "южная корея": "KR", "uea": "AE", "uae": "AE", "emirat arab": "AE",
            "emirates": "AE", "эмираты": "AE", "арабские эмираты": "AE", "dubai": "AE",
            "дубай": "AE",
            # the three-letter codes and short forms people type for the countries of the
            # routes ("/country uzb", "KSA", "Kyrgyz")
            "uzb": "UZ", "kaz": "KZ", "kgz": "KG", "kyr": "KG", "tjk": "TJ", "taj": "TJ",
            "rus": "RU", "idn": "ID", "ina": "ID", "mys": "MY", "sgp": "SG", "hkg": "HK",
            "sau": "SA", "ksa": "SA", "are": "AE", "qat": "QA", "kor": "KR", "tur": "TR",
            "twn": "TW", "jpn": "JP", "kwt": "KW", "omn": "OM", "bhr": "BH", "tha": "TH",
            "khm": "KH", "mmr": "MM", "kyrgyz": "KG", "kazakh": "KZ", "uzbek": "UZ",
            "tajik": "TJ", "узбекистон": "UZ", "кыргызстан": "KG", "казахстан": "KZ",
            "қазақстан": "KZ", "россия": "RU", "rossiya": "RU", "kyrgyz republic": "KG",
            "кыргызская республика": "KG", "indo": "ID", "malay": "MY", "malaysia": "MY",
            "malasya": "MY", "malaysa": "MY", "ош": "KG"}
# A country's name misspelt ("Kazakstan", "Tadjikistan"): the closest name at least this
# similar (rapidfuzz's ratio, 0-100), for words of six letters or more.
_MISSPELT_SCORE = 88


def _is_country(code: str) -> bool:
    # "/country zz" had saved CLDR's "Unknown Region" (the code of a skipped question).
    return code in iso_countries()


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    names: dict[str, str] = {}
    for code in _LOCALES:
        try:
            territories = Locale.parse(code).territories
        except (ValueError, LookupError):
            continue
        for territory, name in territories.items():
            if _is_country(territory):
                names.setdefault(fold(name), territory)
    names.update({fold(k): v for k, v in _ALIASES.items()})
    return names


def resolve_country(text: str) -> str | None:
    """The ISO code for a country code or name, or None."""
    folded = fold(text)
    if len(folded) == 2 and folded.isascii() and folded.isalpha():
        code = folded.upper()
        return code if _is_country(code) else None
    names = _names()
    found = names.get(folded)
    if found is None and len(folded) >= 6:
        best = process.extractOne(folded, names.keys(), scorer=fuzz.ratio,
                                  score_cutoff=_MISSPELT_SCORE)
        found = names[best[0]] if best is not None else None
    return found


OTHER = "other"  # the value of the "another country" button
# Codes that are no word in the bot's languages, so "kg" typed in lower case is Kyrgyzstan
# (while "no", "ga", "my", "in" are words, not Norway, Gabon, Malaysia or India).
_PLAIN_CODES = frozenset({"kg", "kz", "uz", "tj", "ru", "hk"})


def country_question(lang: str, session: int, flow: str, state: str, *,
                     before: tuple[Part, ...] = (), extra: tuple[Choice, ...] = (),
                     likely: str | None = None) -> Reply:
    """The one light question: buttons with the countries of the language's region and
    "another country"; ``likely``, the country the writer said she is from, first. The
    buttons carry the country code; the engine saves it (its own ``QUESTION_STATE``), or
    the flow whose state the buttons name. ``before``: lines above the question; ``extra``:
    buttons after it (a flow's "Skip")."""
    codes = QUESTION_COUNTRIES.get(lang, QUESTION_COUNTRIES["en"])
    if likely is not None and _is_country(likely):
        codes = (likely, *(c for c in codes if c != likely))
    # WhatsApp's list holds ten rows: the countries, "another country" and the flow's own
    # buttons after them ("Skip", "Emergency now" in find help) must fit in it.
    codes = tuple(codes)[:min(MAX_QUESTION_COUNTRIES, _LIST_ROWS - 1 - len(extra))]
    choices = tuple(Choice(Payload(flow, state, session, code).pack(),
                           Quote(country_name(code, lang))) for code in codes)
    choices += (Choice(Payload(flow, state, session, OTHER).pack(),
                       msg("Another country")), *extra)
    question: Msg = msg("One question, so that numbers and advice fit where you are: which "
                        "country are you in now? (You can skip it.)")
    style = ChoiceStyle.BUTTONS if len(choices) <= 3 else ChoiceStyle.LIST
    return text_reply(*before, question, choices=choices, style=style)


def answered_country(event: Inbound, places: DirectoryIndex | None,
                     not_countries: Collection[str]) -> tuple[str | None, Place | None]:
    """The country a person gives at the one-time question, in any flow, and the place
    when the typed answer names one below a country ("я в Бишкеке", "di Wonosobo": the
    answer gives the place as well). A pressed country's button (``not_countries``: the
    flow's other buttons, such as "Skip") or a typed answer read by ``read_answer``;
    (None, None) when they gave none."""
    if event.choice and event.choice not in not_countries:
        return resolve_country(event.choice), None
    if event.kind is Kind.TEXT:
        return read_answer(event.text, places.gazetteer if places is not None else None)
    return None, None


def named_country(text: str) -> str | None:
    """A country a text names by its name ("di Cina", "я в Кении", "in North Korea"),
    longest name first, Russian words also by their lemma; never a two-letter code (in
    running text "no", "ga", "in" are words). None when it names none."""
    from flows import languages  # the dictionaries load only when a text is read

    russian = languages.get("ru")
    words = fold(text[:300]).split()
    lemmas = [russian.lemma(w) if not w.isascii() else w for w in words]
    for seq, names in ((words, _names()), (lemmas, _lemma_names())):
        for size in (3, 2, 1):
            for i in range(len(seq) - size + 1):
                phrase = " ".join(seq[i:i + size])
                if len(phrase) > 2 and phrase in names:
                    return names[phrase]
    return None


@lru_cache(maxsize=1)
def _lemma_names() -> dict[str, str]:
    """Russian country names by the lemmas of their words («Новой Зеландии» is «новый
    зеландия», as «Новая Зеландия» is)."""
    from flows import languages

    russian = languages.get("ru")
    return {" ".join(russian.lemma(w) for w in name.split()): code
            for name, code in _names().items() if not name.isascii()}


_WHERE = re.compile(r"(?<!\w)(?:di|in|at|nang|neng|ning|в|во|v|vo)\s+", re.IGNORECASE)


def _whither(text: str, start: int) -> bool:
    """Whether the name at ``start`` is where someone goes or is taken, not where they are:
    after "ke", "to", "into", or after «в»/«на» in the accusative ("besok dibawa ke
    malaysia", "a man takes me to Malaysia", «отправляет в Дубай»; not «в Дубае»)."""
    word = _word_before(text, start)
    if word in _TOWARDS:
        return True
    if word in ("в", "во", "на"):
        name = text[start:start + 40].split()[:1]
        return bool(name) and _is_cyrillic(name[0]) and RUSSIAN.names_a_direction(
            fold(name[0]).strip(".,:;!?"))
    return False


_TOWARDS = frozenset({"ke", "to", "into", "towards", "menuju", "kearah", "k"})
_WHITHER = re.compile(rf"(?<!\w)(?:{'|'.join(sorted(_TOWARDS))}|в|во|на)\s+", re.IGNORECASE)


def country_where(text: str, *, whither: bool = False) -> str | None:
    """The country a text says someone is in by its name in the two words after "di",
    "in", «в» ("aku di kamboja", "di bangkok thailand", «я в Турции»): for countries the
    gazetteer has no places of. A name elsewhere ("an agent from Malaysia") says nothing
    of where."""
    for match in (_WHITHER if whither else _WHERE).finditer(text[:600]):
        if _whither(text, match.end()) != whither:
            continue  # «везут в Россию»: whither, not where (``whither``: only those)
        words = text[match.end():match.end() + 60].split()[:3]
        if len(words) == 3 and not _two_word_name(words[:2]):
            # "di phnom penh kamboja": the country after a city of two words; but "di kapal
            # ikan taiwan" is on a Taiwanese boat, not in Taiwan
            words = words[:2]
        code = named_country(" ".join(words)) if words else None
        if code is None and words:
            code = _CHAT_NAMES.get(fold(words[0]).strip(".,:;!?"))
        if code is None and words and match.group().strip().lower() in ("v", "vo"):
            # Russian typed in Latin letters: "ya v kambodzhe" is «я в Камбодже»
            word = fold(words[0]).strip(".,:;!?")
            code = next((c for c in map(named_country, transliterations(word)[:2])
                         if c is not None), None) if word.isascii() else None
        if code is not None:
            return code
    return None


# How chat names the countries where migrants work, after "di" or "in" ("bmi di hk",
# "kerja di sg", "TKW di ksa"): short names no dictionary of countries holds.
_CHAT_NAMES = {"hk": "HK", "hkg": "HK", "hongkong": "HK", "sg": "SG", "spore": "SG",
               "sgp": "SG", "tw": "TW", "twn": "TW", "ksa": "SA", "uae": "AE", "msia": "MY",
               "malay": "MY", "korsel": "KR", "jpn": "JP"}


def exact_place(text: str, gazetteer: Gazetteer, *, whither: bool = False) -> Place | None:
    """The place a text names exactly (never a corrected typo: it could be a place in
    another country), or None. In running text a name written as ordinary words of the
    language ("paspor ditahan sama majikan" is not Sama in Japan, "they took us by van" not
    Van in Türkiye, "let me go" not Mego in Sikka) counts only when written as a name or
    after a word such as "di", "in", "near". ``whither``: the place someone goes or is taken
    to ("ke malaysia", «в Дубай») instead of where they are, which it never is."""
    for mention in gazetteer.find_in_text(text, limit=3):
        if mention.score >= 100 and _ordinary_words(text, mention.start, mention.end):
            continue
        if mention.score >= 100 and _cyrillic_word_not_there(text[mention.start:mention.end],
                                                            mention.place.country):
            continue  # «Жардам керек» is no Kerek in East Java, «в бане» no Van in Türkiye
        if mention.score >= 100 and whither != _whither(text, mention.start):
            continue  # a destination is not where one is, nor the reverse
        if mention.score >= 100 and (_origin(text, mention.start)
                                     or _in_company_name(text, mention.start)):
            continue  # "berangkatin dari lombok": where she came from; "PT Sinar Jaya"
        if mention.place.kind is PlaceKind.COUNTRY and _nationality(text, mention.start):
            continue  # "kami 6 org indonesia", «консульство Узбекистана»: whose, not where
        if mention.score >= 100 and mention.place.population == 0 and (
                mention.place.kind is PlaceKind.CITY):
            return _best_known(gazetteer, mention.place)
        return mention.place if mention.score >= 100 else None
    return None


# Words before a place that name where someone comes from, not where they are.
_FROM = frozenset({"dari", "dr", "asal", "from", "из", "с", "со", "saking"})


# Words that open a company's name: the capitalised words after them name the company.
_COMPANY = frozenset({"pt", "cv", "ооо", "ип", "зао", "оао", "тоо", "ltd", "llc", "inc",
                      "sdn", "agensi", "agency", "агентство"})


def _in_company_name(text: str, start: int) -> bool:
    """Whether the name at ``start`` is a word of a company's name ("PT Sinar Jaya Abadi"
    is no Jaya district): after PT, CV, ООО… and only capitalised words between."""
    for word in reversed(text[:start].split()[-4:]):
        if fold(word).strip(".,:;!?\"'«»") in _COMPANY:
            return True
        if not word[:1].isupper():
            return False
    return False


# Words before a country's name that make it a nationality or a country's mission abroad.
_WHOSE = frozenset({"orang", "org", "warga", "wn", "citizen", "citizens", "people",
                    "консульство", "посольство", "консульства", "посольства", "гражданин",
                    "гражданка", "граждане", "embassy", "consulate", "kedutaan", "konsulat",
                    "kbri", "kjri", "kdei"})


def _nationality(text: str, start: int) -> bool:
    return _word_before(text, start) in _WHOSE


# "я в Бишкеке", "aku di Wonosobo", "i'm in Manila": the writer's own place.
_SELF_AT = re.compile(r"(?:^|[^\w])(?:я|мы|aku|saya|sy|kami|i am|i'm|im|we are|we're)"
                      r"(?:\s+(?:живу|сейчас|тут|sekarang|skrg|lagi|tinggal|now|live|living))?"
                      r"\s+(?:в|во|di|in|at)\s*$", re.IGNORECASE)


_LATIN_IN = re.compile(r"(?<!\w)vo?\s+([a-z']{3,})", re.IGNORECASE)


def latin_russian_place(text: str, gazetteer: Gazetteer) -> Place | None:
    """The place named after "v" in Russian typed in Latin letters ("ya v moskve",
    "rabotayu v bishkeke"), read as its Cyrillic spelling («в Москве»), exactly."""
    for match in _LATIN_IN.finditer(text[:600]):
        for cyrillic in transliterations(fold(match.group(1)))[:2]:
            place = exact_place(f"в {cyrillic.capitalize()}", gazetteer)
            if place is not None:
                return place
    return None


def writer_country(text: str, gazetteer: Gazetteer) -> str | None:
    """The country of the place the writer says she is in, named exactly («я в Бишкеке.
    дочь в Дубае заперли…»): the writer's, not the danger's."""
    return _country_named(text, gazetteer,
                          lambda start: bool(_SELF_AT.search(text[:start])))


# "я из Оша", "saya asli wonosobo", "i'm from Osh": where the writer says she comes from.
_SELF_FROM = re.compile(r"(?:^|[^\w])(?:я|мы|aku|saya|sy|gue|gw|kami|i am|i'm|im|we are|we're)"
                        r"(?:\s+(?:сама|сам|родом|orang|asli))?"
                        r"\s+(?:из|с|со|dari|dr|asal|asli|from)\s*$", re.IGNORECASE)


# The country where each language the analyzer does not read is the national one: a text in
# Kyrgyz is most likely written from Kyrgyzstan.
LANGUAGE_HOME = {"kk": "KZ", "ky": "KG", "tg": "TJ", "uz": "UZ"}


def likely_home(text: str, gazetteer: Gazetteer | None) -> str:
    """The country a writer most likely is in, while she has not said: the one she says she
    is from ("I'm from Osh"), else the one whose language she writes (Kyrgyz: Kyrgyzstan);
    "" if neither. Offered first, never saved."""
    home = home_country(text, gazetteer) if gazetteer is not None else None
    return home or LANGUAGE_HOME.get(unread_language(text) or "", "")


def home_country(text: str, gazetteer: Gazetteer) -> str | None:
    """The country of the place the writer says she is from, named exactly («я из Оша,
    дочке 16…», "aku asli wonosobo"): most likely where she is, so the one question offers
    it first; never saved unasked (a migrant in Moscow says it too)."""
    found = _country_named(text, gazetteer,
                           lambda start: bool(_SELF_FROM.search(text[:start])))
    if found is None:
        # "ya s Osha", "ya iz Bishkeka": Russian in Latin letters, read as its Cyrillic
        for match in _LATIN_FROM.finditer(text[:600]):
            if ENGLISH.known(fold(match.group(1))):
                continue  # "ya so cute": English, no place
            for cyrillic in transliterations(fold(match.group(1)))[:2]:
                found = _country_named(f"я из {cyrillic.capitalize()}", gazetteer,
                                       lambda start: start > 0)
                if found is not None:
                    return found
    return found


_LATIN_FROM = re.compile(r"(?<!\w)(?:ya|my)\s+(?:rodom\s+)?(?:iz|s|so)\s+([a-z']{3,})",
                         re.IGNORECASE)


def origin_country(text: str, gazetteer: Gazetteer) -> str | None:
    """The country of the place a text says someone comes from, named exactly ("dibawa
    calo dari wonosobo", «увезли из Оша»): where the writer who tells it most likely is."""
    return _country_named(text, gazetteer, lambda start: _origin(text, start)
                          and not _in_company_name(text, start))


def _country_named(text: str, gazetteer: Gazetteer,
                   said_so: Callable[[int], bool]) -> str | None:
    """The country of the first place named exactly where ``said_so`` holds of its start."""
    for mention in gazetteer.find_in_text(text, limit=5):
        if mention.score >= 100 and said_so(mention.start):
            return mention.place.country
    return None


# Words of Kazakh, Kyrgyz, Uzbek and Tajik in Cyrillic that are no place ("керек", need).
_CENTRAL_ASIAN_WORDS = frozenset({
    "керек", "жардам", "көмек", "комек", "ёрдам", "мага", "маган", "мени", "мен", "бизди",
    "бизге", "бер", "бериңиз", "беріңіз", "беринг", "беринглар", "кутқаринг", "куткаринг",
    "камап", "қамап", "салышты", "салды", "алды", "ман", "маро", "диҳед", "кунед"})
# Countries whose places are named in Cyrillic.
_CYRILLIC_COUNTRIES = frozenset({"RU", "KZ", "KG", "UZ", "TJ", "BY", "UA", "MN", "BG", "RS",
                                 "MK", "ME", "BA"})


def _cyrillic_word_not_there(word: str, country: str) -> bool:
    """Whether a Cyrillic word matched a place abroad only by its letters: a word of a
    Central Asian language, or an ordinary Russian word that is no place name («бане», the
    bathhouse); a Russian exonym («Стамбуле», «Дубае») still names its place."""
    folded = fold(word).strip(".,:;!?")
    if not _is_cyrillic(folded):
        return False
    if folded in _CENTRAL_ASIAN_WORDS:
        return True
    if country in _CYRILLIC_COUNTRIES:
        return False
    return RUSSIAN.known(folded) and RUSSIAN.place_lemma(folded) is None


def _best_known(gazetteer: Gazetteer, place: Place) -> Place:
    """A village of no recorded people named as a great city is the city: "Moskvada" (in
    Moscow, in Uzbek) had matched only Moskva, a village in Tajikistan."""
    for other in gazetteer.resolve(place.name, limit=3):
        if other.score >= 100 and other.place.population > _CITY_PEOPLE:
            return other.place
    return place


_CITY_PEOPLE = 100_000


def _two_word_name(words: Sequence[str]) -> bool:
    """Whether two words are a name no dictionary knows ("phnom penh", "kota kinabalu" is
    known in part: no), not ordinary words ("kapal ikan")."""
    from flows import languages

    known = [any(lang.known(fold(w).strip(".,:;!?")) for lang in languages.by_script(w))
             for w in words]
    return not any(known)


def _origin(text: str, start: int) -> bool:
    return _word_before(text, start) in _FROM


def _word_before(text: str, start: int) -> str:
    """The word right before ``start``, folded and without its punctuation ("" at the
    start): what says whether a name is where one is, whence, or whose."""
    before = text[:start].split()[-1:]
    return fold(before[0]).strip(".,:;!?") if before else ""


# Words after which a place's name is meant as one ("di malang", "in batu", "near solo",
# «в Оше»).
_BEFORE_A_PLACE = frozenset({
    "di", "ke", "dari", "dr", "nang", "neng", "ning", "kota", "kab", "kabupaten", "daerah",
    "sekitar", "dekat", "in", "at", "near", "from", "to", "around", "city", "province",
    "в", "во", "из", "на", "под", "около", "город", "г", "село", "область"})


def _ordinary_words(text: str, start: int, end: int) -> bool:
    """Whether the words at text[start:end] are written as ordinary words of a language
    (lower case, each known to the dictionaries or a regional or chat word the bot reads,
    with no place word before): «моей» is no «МО», «мы 12» no "MY-12", Javanese "kulo" (I)
    no Kulo in Sulawesi, "tulung" (help) no Tulung in Klaten."""
    from flows import languages  # the dictionaries load only when a text is read

    surface = text[start:end]
    if surface != surface.lower():
        return False
    if _word_before(text, start) in _BEFORE_A_PLACE:
        return False
    words = [w for w in fold(surface).replace("-", " ").split() if w.isalpha()]
    regional = _regional_words()
    return bool(words) and all(
        (w in regional or any(lang.known(w) for lang in languages.by_script(w)))
        # «москва», «в бишкеке»: the dictionary's own reading of a Russian word as a place
        and not (_is_cyrillic(w) and languages.RUSSIAN.place_lemma(w) is not None)
        for w in words)


def _is_cyrillic(word: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in word)


@lru_cache(maxsize=1)
def _regional_words() -> frozenset[str]:
    """The chat shortenings and Javanese or Sundanese words the analyzer reads as Indonesian
    ("kulo", "tulung", "skrg"): words of the person's language, not names."""
    from flows.red_flags.lexicon import DATA_DIR
    from flows.yaml_data import load_yaml

    with (DATA_DIR / "abbreviations.yaml").open(encoding="utf-8") as fh:
        tables = load_yaml(fh) or {}
    return frozenset(str(word) for table in tables.values() for word in (table or {}))


def country_in_answer(answer: str, gazetteer: Gazetteer | None) -> str | None:
    """The country a typed answer to the question names (``read_answer``), or None."""
    return read_answer(answer, gazetteer)[0]


def read_answer(answer: str, gazetteer: Gazetteer | None) -> tuple[str | None, Place | None]:
    """The country a typed answer to the question names: a code typed as one ("KG",
    not "no" or "ga", which are words), a country's name ("Кыргызстан", "di Cina"), or a
    place named exactly in it ("я в Бишкеке"), a country's name winning over a place of
    the same name (Cina is also a district in Sulawesi); with the place, when the answer
    names one below a country. Never a corrected typo (it could name another country);
    (None, None) for anything else."""
    answer = answer.strip()[:200]
    if not answer:
        return None, None
    if len(fold(answer)) <= 2:
        typed = answer.strip(".!? ")
        plain = typed.isupper() or typed.lower() in _PLAIN_CODES
        return (resolve_country(typed) if plain else None), None
    code = resolve_country(answer) or named_country(answer)
    if code is not None:
        return code, None
    place = exact_place(answer, gazetteer) if gazetteer is not None else None
    if place is None:
        return None, None
    return place.country, (None if place.kind is PlaceKind.COUNTRY else place)
