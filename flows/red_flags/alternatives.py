"""Several regular expressions searched as one ``a|b|c``, each on its own.

A pattern of alternatives is tried at every position of the text unless each alternative
starts with a literal character, and one that begins with a look-behind or a character
class that most letters belong to makes every position costly: the contact pattern of
``discourse`` took a tenth of a long message's analysis. Searched one by one, most parts
jump in C to the few places they can start, a part that needs a character the text lacks
("@" for an e-mail address) is not searched at all, and the matches are those of the joined
pattern: at the leftmost position where any part matches, the first part (in their order)
that matches there, then on from its end.
"""

from __future__ import annotations

import re
from collections.abc import Iterator


class Alternatives:
    """``re.compile("|".join(parts))``'s ``finditer`` and ``search``, faster.

    Each part is a pattern, or a pattern with a string that every one of its matches
    contains. No part may match the empty string.
    """

    def __init__(self, *parts: str | tuple[str, str], flags: int = 0) -> None:
        self._parts: list[tuple[re.Pattern[str], str]] = []
        for part in parts:
            pattern, needed = (part, "") if isinstance(part, str) else part
            self._parts.append((re.compile(pattern, flags), needed))
        self.pattern = "|".join(p.pattern for p, _ in self._parts)
        self.flags = flags

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        searches = [p.search for p, needed in self._parts if needed in text]
        upcoming = [search(text) for search in searches]  # each part's next match
        pos = 0
        while True:
            best: re.Match[str] | None = None
            for k, match in enumerate(upcoming):
                if match is not None and match.start() < pos:
                    # Began inside the match just given: that part's next one from here
                    # (a look-behind still sees the text before ``pos``).
                    match = upcoming[k] = searches[k](text, pos)
                if match is not None and (best is None or match.start() < best.start()):
                    best = match  # strictly left of it: an earlier part wins a tie
            if best is None:
                return
            yield best
            pos = best.end()

    def search(self, text: str) -> re.Match[str] | None:
        return next(self.finditer(text), None)
