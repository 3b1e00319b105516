"""`erkg evaluate`: leave-one-out scores of the extractor against the curated facts of data/,
with the report written; the targets of the extraction are met."""

from __future__ import annotations

import json

import pytest

from api.cli import main
from kg.evaluate import TARGETS, evaluate, write_report

from .conftest import ROOT


@pytest.fixture(scope="module")
def report():
    return evaluate(ROOT / "data", ROOT / "ontology" / "erkg.ttl")


def test_targets_are_met(report):
    total = report["total"]
    for kind in ("findings", "roles"):
        assert total[kind]["gold"] > 0
        assert total[kind]["recall"] >= 0.9, (kind, total[kind], report["errors"])
        assert total[kind]["precision"] >= 0.8, (kind, total[kind], report["errors"])
    assert report["meets_targets"] is True
    assert TARGETS == {"findings": {"precision": 0.8, "recall": 0.9}, "roles": {"precision": 0.8, "recall": 0.9}}


def test_every_document_is_scored_leave_one_out(report):
    assert report["method"] == "leave-one-out"
    assert set(report["documents"]) == {p.stem for p in (ROOT / "data" / "sources").glob("*.yaml")}
    # the curated findings with a share are the gold standard of findings
    assert report["total"]["findings"]["gold"] == 12
    for scores in report["documents"].values():
        assert set(scores) == {"findings", "roles", "studies", "posts"}
        for s in scores.values():
            assert 0 <= s["precision"] <= 1 and 0 <= s["recall"] <= 1 and 0 <= s["f1"] <= 1


def test_report_is_written(report, tmp_path):
    js, md = write_report(report, tmp_path / "evaluation")
    assert json.loads(js.read_text(encoding="utf-8"))["total"] == report["total"]
    text = md.read_text(encoding="utf-8")
    assert "| findings |" in text and "| roles |" in text and "met: yes" in text
    assert "role mentions: the curation lists no role mentions as such" in text  # the definition


def test_cli(tmp_path, capsys):
    out = tmp_path / "report"
    assert main(["evaluate", "--data", str(ROOT / "data"), "--ontology", str(ROOT / "ontology" / "erkg.ttl"),
                 "--out", str(out)]) == 0
    assert (out / "evaluation.json").exists() and (out / "evaluation.md").exists()
    assert "| roles |" in capsys.readouterr().out
