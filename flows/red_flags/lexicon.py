"""Concept lexicons: which words of which language stand for which concept.

Each language file (``data/concepts_<lang>.yaml``) maps a concept name (``DOC``, ``HOLD``…)
to entries: a word, a ``prefix*`` (Russian endings), or several words in a row. All
languages are merged into one lexicon because offers mix languages; the rules that use the
concepts (``data/rules.yaml``) are the same for every language.

A token matches a word pattern when it is equal to it, when it starts with a prefix
pattern, when one of its Indonesian roots is a root pattern (``~simpan`` matches
``disimpan``, ``menyimpannya``; roots are opt-in because stripping affixes also turns
"pengawas", a supervisor, into "awas", beware), or, failing those, when it is a close
misspelling of a pattern (rapidfuzz ratio), so "pengalamn" and "пасспорт" hit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

from rapidfuzz import fuzz, process

from flows import languages
from flows.red_flags.normalize import Token, fold_token
from flows.yaml_data import load_yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
LANGUAGES = ("id", "ru", "en")

# Indonesian affixes, with the consonant that the nasal prefix swallowed ("menyimpan" is
# meN- + "simpan"). Stripping is only a lookup aid: a root counts only if it is in a lexicon.
_ID_PREFIXES: tuple[tuple[str, str], ...] = (
    ("meny", "s"), ("meng", "k"), ("meng", ""), ("mem", "p"), ("mem", ""), ("men", "t"),
    ("men", ""), ("me", ""), ("peny", "s"), ("peng", "k"), ("peng", ""), ("pem", "p"),
    ("pem", ""), ("pen", "t"), ("pen", ""), ("per", ""), ("pe", ""), ("ber", ""), ("be", ""),
    ("ter", ""), ("di", ""), ("ke", ""), ("se", ""),
)
_ID_SUFFIXES: tuple[str, ...] = ("nya", "lah", "kah", "kan", "an", "i", "mu", "ku")
_CACHE_LIMIT = 200_000
# Per word: the patterns it matches, the concepts it stands for alone, the phrases it
# starts by the pattern their second word must match (each phrase as its place among the
# word's phrases, its pattern ids and its concept), and those second patterns.
_Phrase = tuple[int, tuple[int, ...], str]
_Entry = tuple[frozenset[int], tuple[str, ...], dict[int, tuple[_Phrase, ...]], frozenset[int]]


class Occurrence(NamedTuple):
    """A concept found at tokens ``start``..``end`` (inclusive)."""

    concept: str
    start: int
    end: int


_NEW_TUPLE = tuple.__new__
_NORM = attrgetter("norm")


def occurrence(concept: str, start: int, end: int) -> Occurrence:
    """``Occurrence(concept, start, end)`` without the call of its Python ``__new__``."""
    return _NEW_TUPLE(Occurrence, (concept, start, end))


def is_word(norm: str) -> bool:
    """Whether the dictionary of a language written in the token's script knows it."""
    return norm.isalpha() and languages.known(norm)


def indonesian_roots(token: str) -> set[str]:
    """Candidate roots of an affixed Indonesian word (suffixes, then prefixes)."""
    bases = {token}
    if len(token) >= 7 and token.endswith("in") and token.startswith(("di", "ng", "ny")):
        # Chat's "-in" for "-kan"/"-i" on a verb: "diserahin", "dibayarin", "nyimpenin"
        # (only after a verb's prefix: "mesin", "kemarin" keep their ending).
        bases.update((token[:-2], token[:-2] + "kan", token[:-2] + "i"))
    for _ in range(2):  # "simpankannya": two suffixes at most
        for base in list(bases):
            for suffix in _ID_SUFFIXES:
                if base.endswith(suffix) and len(base) - len(suffix) >= 3:
                    bases.add(base[: -len(suffix)])
    roots = set(bases)
    for base in bases:
        for prefix, restored in _ID_PREFIXES:
            if base.startswith(prefix) and len(base) - len(prefix) >= 3:
                roots.add(restored + base[len(prefix):])
    roots.discard(token)
    return roots


class Lexicon:
    """Word patterns and the concepts they stand for, merged over languages."""

    def __init__(self, concepts: Mapping[str, Iterable[str]]) -> None:
        self._pattern_ids: dict[str, int] = {}
        self._exact: dict[str, int] = {}
        self._roots: dict[str, int] = {}
        self._prefixes: dict[str, list[tuple[str, int]]] = defaultdict(list)
        self._single: dict[int, set[str]] = defaultdict(set)
        self._phrases: dict[int, list[tuple[tuple[int, ...], str]]] = defaultdict(list)
        self._entries: dict[str, _Entry] = {}
        for concept, entries in concepts.items():
            for entry in entries:
                self._add(concept, str(entry))
        # Fuzzy candidates by first letter and length: a typo rarely hits the first letter,
        # and a ratio cut-off only admits lengths within one of the token's.
        words: dict[tuple[str, int], list[str]] = defaultdict(list)
        self._fuzzy_ids: dict[str, int] = {}
        for table in (self._exact, self._roots):
            for word, pid in table.items():
                if len(word) >= 6:
                    words[(word[0], len(word))].append(word)
                    self._fuzzy_ids[word] = pid
        self._fuzzy_words = dict(words)
        # The candidates of a first letter and a length (that length and one either side).
        self._pools: dict[tuple[str, int], list[str]] = {}
        stems: dict[tuple[str, int], list[str]] = defaultdict(list)
        self._stem_ids: dict[str, int] = {}
        for group in self._prefixes.values():
            for stem, pid in group:
                if len(stem) >= 5:
                    stems[(stem[0], len(stem))].append(stem)
                    self._stem_ids[stem] = pid
        self._fuzzy_stems = dict(stems)
        # A stem is compared with the token's first letters of its length: at equal lengths
        # the ratio of a non-identical pair is at most 100 * (1 - 1/n), under 85 for n < 7,
        # and an identical one is a prefix match already, so shorter stems never match here.
        self._stem_lengths = sorted({n for _, n in stems if n >= 7})
        self.concepts = frozenset(concepts)

    @classmethod
    def load(cls, data_dir: Path = DATA_DIR, languages: Sequence[str] = LANGUAGES) -> Lexicon:
        merged: dict[str, list[str]] = defaultdict(list)
        for lang in languages:
            with (data_dir / f"concepts_{lang}.yaml").open(encoding="utf-8") as fh:
                data = load_yaml(fh) or {}
            for concept, entries in data.items():
                merged[str(concept)].extend(str(e) for e in entries or ())
        return cls(merged)

    # -- building ------------------------------------------------------------------------

    def _pattern(self, word: str) -> int:
        pid = self._pattern_ids.get(word)
        if pid is None:
            pid = len(self._pattern_ids)
            self._pattern_ids[word] = pid
            if word.endswith("*"):
                stem = word[:-1]
                self._prefixes[stem[:2]].append((stem, pid))
            elif word.startswith("~"):
                self._roots[word[1:]] = pid
            else:
                self._exact[word] = pid
        return pid

    def _add(self, concept: str, entry: str) -> None:
        words = [_fold_pattern(w) for w in entry.replace("-", " ").split()]
        words = [w for w in words if w and w != "*"]
        if not words:
            return
        pids = tuple(self._pattern(w) for w in words)
        if len(pids) == 1:
            self._single[pids[0]].add(concept)
        else:
            self._phrases[pids[0]].append((pids, concept))

    # -- matching ------------------------------------------------------------------------

    def patterns_of(self, norm: str) -> frozenset[int]:
        """Every word pattern a normalised token matches (cached: words repeat a lot)."""
        entry = self._entries.get(norm)
        return (entry or self._entry(norm))[0]

    def _patterns(self, norm: str) -> frozenset[int]:
        found: set[int] = set()
        for table in (self._exact, self._roots):
            pid = table.get(norm)
            if pid is not None:
                found.add(pid)
        for stem, pid in self._prefixes.get(norm[:2], ()):
            if norm.startswith(stem):
                found.add(pid)
        if self._roots and norm.isascii() and norm.isalpha() and len(norm) >= 5:
            for root in indonesian_roots(norm):
                pid = self._roots.get(root)
                if pid is not None:
                    found.add(pid)
        if not found and len(norm) >= 6 and not norm[0].isdigit():
            close = self._fuzzy(norm)
            # Typo tolerance only for what is no word of its language: "finance" is not a
            # misspelt "fiancé", «сопровождение» no misspelt «сопровождающая». Asked only
            # when a close pattern exists, so the dictionaries load only when needed.
            if close and not is_word(norm):
                found.update(close)
        return frozenset(found)

    def _fuzzy(self, norm: str) -> set[int]:
        found: set[int] = set()
        cutoff = 83.0 if len(norm) < 8 else (85.0 if len(norm) < 12 else 80.0)
        first, size = norm[0], len(norm)
        pool = self._pools.get((first, size))
        if pool is None:
            if len(self._pools) >= _CACHE_LIMIT:
                self._pools.clear()
            pool = self._pools[(first, size)] = [
                w for n in (size - 1, size, size + 1)
                for w in self._fuzzy_words.get((first, n), ())]
        if pool:
            best = process.extractOne(norm, pool, scorer=fuzz.ratio, score_cutoff=cutoff)
            if best is not None:
                found.add(self._fuzzy_ids[best[0]])
        for n in self._stem_lengths:
            if n > size:
                break
            candidates = self._fuzzy_stems.get((first, n))
            if candidates:
                best = process.extractOne(norm[:n], candidates, scorer=fuzz.ratio,
                                          score_cutoff=85.0)
                if best is not None:
                    found.add(self._stem_ids[best[0]])
        return found

    def _entry(self, norm: str) -> _Entry:
        """What a word matches, stands for and starts (cached)."""
        pids = self._patterns(norm)
        singles = tuple(sorted({c for pid in pids for c in self._single.get(pid, ())}))
        phrases = [p for pid in pids for p in self._phrases.get(pid, ())]
        by_second: dict[int, list[_Phrase]] = {}
        for place, (phrase, concept) in enumerate(phrases):
            by_second.setdefault(phrase[1], []).append((place, phrase, concept))
        entry = (pids, singles, {second: tuple(found) for second, found in by_second.items()},
                 frozenset(by_second))
        if len(self._entries) >= _CACHE_LIMIT:
            self._entries.clear()
        self._entries[norm] = entry
        return entry

    def annotate(self, tokens: Sequence[Token]) -> list[Occurrence]:
        """Every concept occurrence in the token sequence, single words and phrases."""
        entries = self._entries
        per_token = list(map(entries.get, map(_NORM, tokens)))
        if None in per_token:  # words not seen before
            per_token = [entry or entries.get(token.norm) or self._entry(token.norm)
                         for entry, token in zip(per_token, tokens, strict=True)]
        found: list[Occurrence] = []
        append = found.append
        new = _NEW_TUPLE
        last = len(tokens) - 1
        for i, (_, singles, phrases, seconds) in enumerate(per_token):
            for concept in singles:
                append(new(Occurrence, (concept, i, i)))
            if not phrases or i == last:
                continue
            # Most phrases fail on their second word: one set operation for all, and only
            # the phrases whose second word matched are tried, in their order.
            common = seconds.intersection(per_token[i + 1][0])
            if not common:
                continue
            if len(common) == 1:
                tried = phrases[next(iter(common))]
            else:
                tried = sorted(p for second in common for p in phrases[second])
            for _, phrase, concept in tried:
                end = i + len(phrase) - 1
                if end > last:
                    continue
                if all(phrase[k] in per_token[i + k][0] for k in range(2, len(phrase))):
                    append(new(Occurrence, (concept, i, end)))
        return found


def _fold_pattern(word: str) -> str:
    star = word.endswith("*")
    root = word.startswith("~")
    folded = fold_token(word[int(root): len(word) - int(star)])
    return ("~" if root else "") + folded + ("*" if star else "")
