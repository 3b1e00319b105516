"""The committed corpus is well formed, and the validator catches what it must."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.corpus.validate import validate

HERE = Path(__file__).parent


SPLITS = sorted(p.name for p in HERE.iterdir() if p.is_dir() and any(p.glob("*.yaml")))


@pytest.mark.min_cases(11)  # dev, heldout, heldout2 … heldout10
@pytest.mark.parametrize("part", SPLITS)
def test_committed_corpus_is_valid(part: str) -> None:
    assert validate(HERE / part) == []


def _copy_one(tmp_path: Path, article: str = "capgemini-it-trends-2018") -> Path:
    for suffix in (".txt", ".yaml"):
        shutil.copy(HERE / "dev" / f"{article}{suffix}", tmp_path)
    return tmp_path / f"{article}.yaml"


@pytest.mark.parametrize("old, new, expected", [
    ("share: 0.17", "share: 0.18", "does not match the wording"),
    ("form: fraction", "form: fractions", "form 'fractions' not one of"),
    ("group: Teilnehmer", "group: Teilnehmerin", "is not a substring of the quote"),
    ("qualifier: almost", "qualifier: nearly", "qualifier 'nearly' not one of"),
    ("share: 0.5", "share: 1.5", "not a number in [0, 1]"),
    ("language: de", "language: fr", "language must be de or en"),
])
def test_validator_reports_a_broken_field(tmp_path: Path, old: str, new: str, expected: str) -> None:
    y = _copy_one(tmp_path)
    text = y.read_text(encoding="utf-8")
    assert old in text
    y.write_text(text.replace(old, new, 1), encoding="utf-8")
    problems = validate(tmp_path)
    assert any(expected in p for p in problems), problems


def test_validator_requires_a_context_for_a_repeated_quote(tmp_path: Path) -> None:
    y = _copy_one(tmp_path)
    txt = y.with_suffix(".txt")
    txt.write_text(txt.read_text(encoding="utf-8") * 2, encoding="utf-8")
    assert any("occurs 2 times in the text (give a context)" in p for p in validate(tmp_path))


def test_validator_reports_a_missing_yaml(tmp_path: Path) -> None:
    _copy_one(tmp_path).unlink()
    assert validate(tmp_path) == ["capgemini-it-trends-2018.txt: no capgemini-it-trends-2018.yaml beside it",
                                  f"{tmp_path}: no articles"]
