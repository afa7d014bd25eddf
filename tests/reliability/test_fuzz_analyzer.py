"""Property-based tests of the red-flag analyzer (flows/red_flags) and of its command line
(``main.py analyze --jsonl``), on hostile text.

Properties of ``Analyzer.analyze`` for any text (random Unicode with lone surrogates,
control characters, RTL and zero-width marks, look-alike letters, NFKC-expanding
characters, up to 100,000 characters) and any forced language:
- no exception; the risk is one of the three levels; flags are catalogue ids, each once;
- every evidence span lies inside the text and quotes it exactly (``text[start:end]``), so
  a client can highlight it; the result is the same when the text is analysed again and
  serialises to JSON;
- the time grows with the text, not with its square: a text made of 6,000 amounts takes
  at most ten times as long (plus a second) as an ordinary offer of the same length.
The command line must answer every line of a hostile file with one JSON line and exit 0
(README: "A malformed line gets {"id", "line", "error"}, never a crash").

Runtime: about 5-15 s (200 derandomized examples; the timing test analyses texts of
48,000 characters: 7-12 s more while the analyzer was quadratic; one subprocess).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from flows.red_flags import ALL_FLAGS, Analyzer, Risk
from tests.helpers.reliability_checks import ROOT, hostile_text, long_text

ANALYZER = Analyzer.load()
texts = st.one_of(hostile_text, hostile_text, hostile_text, long_text(1_000, 20_000))


@settings(max_examples=200, deadline=None, derandomize=True, database=None,
          phases=(Phase.explicit, Phase.generate), report_multiple_bugs=False,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.large_base_example])
@example(text="Lowongan kerja ke Malaysia, gaji besar, paspor disimpan agen. " * 1_600,
         lang=None)
@example(text="ﷺ" * 100_000, lang="ru")
@example(text="\ud800Paspor\udfff disimpan \u202eagen\u202c, gaji 20\u200bjuta di Malaysia",
         lang=None)
@example(text="Пaспopт зaбиpaют, paбoтa в Дубae, 3000 $", lang="en")  # Latin look-alikes
@given(text=texts, lang=st.sampled_from((None, "id", "ru", "en", "xx")))
def test_analysis_of_any_text_is_well_formed(text: str, lang: str | None) -> None:
    analysis = ANALYZER.analyze(text, lang=lang)
    assert analysis.risk in (Risk.HIGH, Risk.MEDIUM, Risk.LOW)
    assert set(analysis.flag_ids) <= set(ALL_FLAGS)
    assert len(set(analysis.flag_ids)) == len(analysis.flag_ids)
    assert analysis.language in (None, "id", "ru", "en", "xx")
    for hit in analysis.flags:
        assert 0 <= hit.start < hit.end <= len(text), hit
        assert hit.evidence == text[hit.start:hit.end], hit
        assert hit.reason
    again = ANALYZER.analyze(text, lang=lang)
    assert again == analysis
    json.dumps(analysis.to_json())


def _seconds(text: str) -> float:
    started = time.perf_counter()
    ANALYZER.analyze(text)
    return time.perf_counter() - started


def test_analysis_time_grows_linearly_with_the_text() -> None:
    ordinary = ("Lowongan kerja di Malaysia, gaji besar, paspor disimpan agen. " * 800)[:48_000]
    amounts = ("20 juta " * 6_000)[:48_000]
    ordinary_s = min(_seconds(ordinary) for _ in range(2))
    amounts_s = _seconds(amounts)
    assert amounts_s <= 10 * ordinary_s + 1.0, (
        f"48,000 characters of amounts took {amounts_s:.1f} s, an ordinary offer of the same "
        f"length {ordinary_s:.2f} s")


HOSTILE_LINES = [
    '{"id": 1, "text": "Paspor disimpan agen, gaji 20 juta di Malaysia"}',
    '{"id": "\\ud800", "text": "x"}',  # a lone surrogate, escaped as JSON allows
    '{"id": 3, "text": "Paspor \\udfff disimpan agen, gaji 20 juta di Malaysia"}',
    "[" * 30_000 + "]" * 30_000,  # deep nesting within the 100,000-character line limit
    '{"id": 5, "text": ["not", "a", "string"]}',
    '{"id": 6, "text": 7, "lang": ["id"]}',
    '"just a string"',
    "{not json",
    "",
    '{"id": {"nested": [1, 2, {"x": null}]}, "text": "' + "а" * 99_000 + '"}',
    "x" * 100_001,
    '{"id": 11, "text": "\u202eRTL\u200b zero\u2060width \\u0000 nul"}',
]


def test_the_command_line_answers_every_hostile_line() -> None:
    raw = ("\n".join(HOSTILE_LINES) + "\n").encode() + b'{"id": 13, "text": "\xff\xfe"}\n'
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "analyze", "--jsonl"],
                          input=raw, capture_output=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-1500:]
    answers = done.stdout.decode().splitlines()
    assert len(answers) == len(HOSTILE_LINES) + 1, answers[-3:]
    for line in answers:
        item = json.loads(line)
        assert "risk" in item or "error" in item, item
