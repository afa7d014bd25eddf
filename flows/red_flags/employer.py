"""Is the employer named? ("Toko Sinar Jaya", ООО "Волга Пласт", Green Valley Foods Ltd)

The catalogue calls a restaurant, shop or factory job vague only when the employer is not
named; a name without an address is enough. Names show as a legal form (PT, ООО, Ltd), a
quoted name, or capitalised words right after an establishment noun. When a text is
written in capitals or Title Case, capitalisation says nothing and only the first two count.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from flows.red_flags.lexicon import Occurrence
from flows.red_flags.normalize import Token

# The opening marks one by one and the apostrophe's look-behind after it (as
# "[«\"“„]|(?<!\w)'" the pattern was tried at every position); the same matches.
_QUOTED = re.compile(r"(?:«|\"|“|„|'(?<!\w'))\s*[A-ZА-ЯЁ0-9][^«»\"“”„'\n]{1,40}(?:[»\"”]|'(?!\w))")
_NOT_NAMES = frozenset(
    [
        "di",
        "ke",
        "dari",
        "untuk",
        "dan",
        "yang",
        "dengan",
        "di",
        "jl",
        "jalan",
        "в",
        "на",
        "для",
        "и",
        "с",
        "по",
        "in",
        "at",
        "for",
        "and",
        "of",
        "the",
        "to",
        "with",
        "near",
    ]
)


def _mostly_capitalised(tokens: Sequence[Token], text: str) -> bool:
    words = [t for t in tokens if not t.number]
    if not words:
        return False
    # Counted by map and filter, not by a Python loop over every character.
    letters = sum(map(str.isalpha, text))
    upper = sum(map(str.isupper, filter(str.isalpha, text)))
    if letters and upper / letters > 0.6:
        return True
    return sum(1 for t in words if t.capitalised) / len(words) > 0.75


def named_employer(
    text: str,
    tokens: Sequence[Token],
    occurrences: Sequence[Occurrence],
    establishments: frozenset[str],
) -> tuple[int, int] | None:
    """Token span of a named employer, or None.

    :param establishments: concepts whose words are establishment nouns (shop, hotel…).
    """
    # One pass over the occurrences for the three kinds asked about.
    # "restoran Malaysia", "отели Турции": a place after the noun is where, not who.
    places: set[int] = set()
    legal: list[Occurrence] = []
    nouns: list[Occurrence] = []
    for occ in occurrences:
        concept = occ.concept
        if concept.startswith("DEST_"):
            places.update(range(occ.start, occ.end + 1))
        elif concept == "LEGAL_FORM":
            legal.append(occ)
        if concept in establishments:
            nouns.append(occ)
    for occ in legal:
        raw = text[tokens[occ.start].start : tokens[occ.end].end]
        if raw[:1].isupper():
            return occ.start, occ.end
    for match in _QUOTED.finditer(text):
        for i, token in enumerate(tokens):
            if token.start >= match.start():
                return i, i
    if not nouns or _mostly_capitalised(tokens, text):
        return None
    for occ in nouns:
        nxt = occ.end + 1
        if nxt < len(tokens):
            following = tokens[nxt]
            if (
                following.capitalised
                and following.sentence == tokens[occ.end].sentence
                and following.norm not in _NOT_NAMES
                and not following.number
                and nxt not in places
            ):
                return occ.start, nxt
        first = tokens[occ.start]
        previous = tokens[occ.start - 1] if occ.start else None
        if (
            first.capitalised
            and previous is not None
            and previous.sentence == first.sentence
            and previous.capitalised
            and previous.norm not in _NOT_NAMES
        ):
            return occ.start - 1, occ.end  # "Sunrise Restaurant"
        if previous is not None and _brand_before(tokens, occ.start - 1, places, text):
            return occ.start - 1, occ.end  # "the Bosch plant", "Top Glove factory"
    return None


def _brand_before(tokens: Sequence[Token], i: int, places: set[int], text: str) -> bool:
    """A capitalised word inside a sentence, before an establishment noun, that no
    dictionary knows ("Bosch") or that follows another such word ("Top Glove"): a brand,
    not an adjective ("Korean restaurant") nor a place ("Dubai restaurant")."""
    from flows import languages  # the dictionaries are loaded by the analyzer already

    word = tokens[i]
    if (i == 0 or not word.capitalised or word.number or i in places
            or word.norm in _NOT_NAMES or tokens[i - 1].sentence != word.sentence
            or tokens[i + 1].sentence != word.sentence or len(word.norm) < 3):
        return False
    raw = text[word.start:word.end]
    if raw.isupper():
        return False  # an acronym ("SPG toko", "KL cafe") says what, not who
    before = tokens[i - 1]
    if before.capitalised and before.norm not in _NOT_NAMES and i - 1 not in places and (
            i - 2 >= 0 and tokens[i - 2].sentence == word.sentence):
        return True  # two capitalised words inside a sentence
    return not languages.known(word.norm)
