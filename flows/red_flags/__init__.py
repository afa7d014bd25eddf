"""The red-flag analyzer (shared/red_flags.md): pattern data per language plus the matcher."""

from flows.red_flags.analyzer import Analysis, Analyzer, FlagHit
from flows.red_flags.catalogue import ALL_FLAGS, CRITICAL, GOOD_SIGNS, OTHER, Risk, risk_of
from flows.red_flags.detect import detect_language

__all__ = [
    "ALL_FLAGS",
    "CRITICAL",
    "GOOD_SIGNS",
    "OTHER",
    "Analysis",
    "Analyzer",
    "FlagHit",
    "Risk",
    "detect_language",
    "risk_of",
]
