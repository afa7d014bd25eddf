"""Errors of the directory.

    DirectoryError      the data cannot be used; ``problems`` lists every line-precise message
"""

from __future__ import annotations


class DirectoryError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems
