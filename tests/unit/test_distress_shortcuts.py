"""The distress detector's shortcuts for speed give the answers of the long way: its kept
answers and word forms, and the loop over hits that passes over the concepts none of its
branches acts on (held to the branches by reading the loop's code)."""

from __future__ import annotations

import ast
import inspect
import textwrap
from pathlib import Path

import pytest
import yaml

from flows.distress import DistressDetector
from flows.distress import detector as module

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def detector() -> DistressDetector:
    return DistressDetector.load()


def _texts() -> list[str]:
    texts: list[str] = []
    for name in ("cases", "fresh"):
        with (DATA / f"distress_{name}.yaml").open(encoding="utf-8") as fh:
            texts += [case["text"] for case in yaml.safe_load(fh)]
    return texts


def _hit_loop() -> ast.For:
    source = textwrap.dedent(inspect.getsource(DistressDetector._detect))
    loops = [node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.For)
             and ast.unparse(node.target) == "hit" and ast.unparse(node.iter) == "hits"]
    assert len(loops) == 1
    return loops[0]


def _branch_concept(test: ast.expr) -> str:
    """The concept an ``elif hit.concept == "X" [and ...]`` branch is for."""
    first = test.values[0] if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And) \
        else test
    assert isinstance(first, ast.Compare) and ast.unparse(first.left) == "hit.concept" and (
        isinstance(first.ops[0], ast.Eq) and isinstance(first.comparators[0], ast.Constant)), (
        f"a branch of the loop over hits that is not for one concept: {ast.unparse(test)}")
    return str(first.comparators[0].value)


def test_the_concepts_passed_over_are_those_no_branch_acts_on() -> None:
    body = _hit_loop().body
    gate = body[0]
    assert isinstance(gate, ast.If) and ast.unparse(gate.test) == \
        "hit.concept not in _READ_BELOW" and isinstance(gate.body[0], ast.Continue)
    # The branches: "kind = _SIGNAL.get(hit.concept)" then if kind ... elif hit.concept == X.
    assert ast.unparse(body[-2]) == "kind = _SIGNAL.get(hit.concept)"
    chain = body[-1]
    assert isinstance(chain, ast.If) and ast.unparse(chain.test) == "kind is not None"
    concepts = set(module._SIGNAL)
    branch = chain.orelse
    while branch:
        assert len(branch) == 1 and isinstance(branch[0], ast.If)
        concepts.add(_branch_concept(branch[0].test))
        branch = branch[0].orelse
    assert concepts == set(module._READ_BELOW)
    # Between the gate and the branches, only checks that pass a hit over (or name its
    # sentence): none of them adds to what is found.
    for statement in body[1:-2]:
        assert not any(isinstance(n, ast.Call) and ast.unparse(n.func) == "found.append"
                       for n in ast.walk(statement))


def test_kept_answers_are_the_answers(detector: DistressDetector) -> None:
    texts = _texts()
    detector.forget()
    first = [detector.detect(t) for t in texts]
    assert [detector.detect(t) for t in texts] == first  # from what it keeps
    assert [detector._detect(t) for t in reversed(texts)][::-1] == first  # words kept only
    assert any(first) and not all(first)
    detector.forget()
    assert detector._answers.cache_info().currsize == 0
    assert detector._word_forms.cache_info().currsize == 0
    assert [detector.detect(t) for t in texts] == first


def test_what_it_keeps_is_bounded(detector: DistressDetector) -> None:
    assert detector._answers.cache_info().maxsize == module.TEXT_CACHE
    assert detector._word_forms.cache_info().maxsize == module.WORD_CACHE
