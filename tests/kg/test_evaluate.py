"""`erkg evaluate`: the extractor scored on the seeds (leave-one-out) and on the annotated
corpus (tests/corpus), per fact type and per form; the dev targets hold, the held-out split
shows aggregate figures only, and the figures the README states are the measured ones."""

from __future__ import annotations

import json
import re

import pytest

from api.cli import main
from kg.evaluate import CORPUS_TARGETS, POOLED, SEED_TARGETS, corpus_splits, evaluate, write_report

from tests.conftest import ROOT

CORPUS = ROOT / "tests" / "corpus"
# held-out figures as measured (rules were never written from these splits' items); floors, not
# targets. heldout and heldout2: aggregates read while rules were tuned in sessions 8-9; heldout3 to
# heldout6: collected blind in session 10, each measured once after the rounds of rules written
# before it, then kept as floors while later rounds were checked on development batches only;
# heldout7 and heldout8: collected blind in session 11 (by helpers who never read kg/extract/ nor
# ran the extractor) and measured once, after the last round of rules was frozen: the targets hold
# on both (heldout7 posts recall 17/24); heldout9: collected blind in session 12 the same way, after
# the rules were frozen, and measured once: findings P 62/73, posts R 18/26, just under the targets;
# heldout10: the same, after two more rules: findings meet the targets, posts do not (P 16/22, R 17/27).
# (findings P, R, posts P, R, groups P, R) of each held-out split
_FLOORS = {
    "heldout": (0.96, 0.88, 0.75, 0.6, 0.81, 0.79),
    "heldout2": (0.9, 0.9, 1.0, 0.91, 0.76, 0.79),
    "heldout3": (0.84, 0.94, 0.88, 0.77, 0.9, 0.92),
    "heldout4": (0.92, 0.81, 0.93, 0.65, 0.92, 0.83),
    "heldout5": (0.85, 0.89, 0.81, 0.72, 0.91, 0.87),
    "heldout6": (0.94, 0.78, 0.93, 0.76, 0.88, 0.75),
    "heldout7": (0.9, 0.96, 0.85, 0.7, 0.72, 0.78),
    "heldout8": (0.92, 0.97, 0.96, 0.82, 0.88, 0.89),
    "heldout9": (0.84, 0.92, 0.94, 0.69, 0.8, 0.85),
    "heldout10": (0.88, 0.95, 0.72, 0.62, 0.77, 0.8),
}
HELDOUT_FLOOR = {split: {kind: {"precision": f[2 * i], "recall": f[2 * i + 1]}
                         for i, kind in enumerate(("findings", "posts", "groups"))}
                 for split, f in _FLOORS.items()}


@pytest.fixture(scope="module")
def report():
    return evaluate(ROOT / "data", ROOT / "ontology" / "erkg.ttl")  # every split of tests/corpus


def test_seed_targets_are_met(report):
    seeds = report["splits"]["seeds"]
    assert seeds["method"].startswith("leave-one-out")
    assert set(seeds["documents"]) == {p.stem for p in (ROOT / "data" / "sources").glob("*.yaml")}
    assert seeds["total"]["findings"]["gold"] == 12  # the curated findings with a share
    for kind, targets in SEED_TARGETS.items():
        for measure, target in targets.items():
            assert seeds["total"][kind][measure] >= target, (kind, seeds["total"][kind], seeds["errors"])
    assert seeds["meets_targets"] is True
    # posts on the seeds are mostly bios; a floor as measured (14 of 21, including bio lists)
    assert seeds["total"]["posts"]["recall"] >= 0.66 and seeds["total"]["posts"]["precision"] >= 0.9


def test_dev_targets_are_met(report):
    dev = report["splits"]["dev"]
    assert CORPUS_TARGETS == {"findings": {"precision": 0.85, "recall": 0.9},
                              "posts": {"precision": 0.8, "recall": 0.7}}
    assert dev["total"]["findings"]["gold"] >= 1093 and dev["total"]["posts"]["gold"] >= 403
    for kind, targets in CORPUS_TARGETS.items():
        for measure, target in targets.items():
            assert dev["total"][kind][measure] >= target, (kind, dev["total"][kind], dev["errors"])
    # per form: every form the dev gold has is counted, and each is mostly found
    forms = dev["total"]["findings"]["by_form"]
    assert {"percent", "decimal", "number-word", "fraction", "x-of-y", "every-nth", "respectively"} <= set(forms)
    assert all(f["recall"] >= 0.85 for f in forms.values()), forms  # as measured: the lowest is decimal, 48/55
    # the groups of the findings, and the posts by form, as measured (a floor)
    assert dev["total"]["groups"]["precision"] >= 0.86 and dev["total"]["groups"]["recall"] >= 0.9, dev["total"]["groups"]
    assert dev["total"]["posts"]["by_form"]["named"]["recall"] >= 0.8


@pytest.mark.min_cases(10)  # heldout, heldout2 … heldout10
@pytest.mark.parametrize("split", sorted(HELDOUT_FLOOR))
def test_heldout_shows_aggregates_only(report, tmp_path, split):
    held = report["splits"][split]
    assert held["held_out"] is True
    assert set(held) == {"method", "held_out", "total", "targets", "meets_targets"}  # no documents, no errors
    for kind, floor in HELDOUT_FLOOR[split].items():
        for measure, value in floor.items():
            assert held["total"][kind][measure] >= value, (kind, measure)  # figures only, never items
    _, md = write_report(report, tmp_path)
    text = md.read_text(encoding="utf-8")
    assert f"- {split} " not in text  # neither per-document lines nor errors of the held-out split


@pytest.mark.parametrize("split", ["heldout7", "heldout8"])
def test_targets_hold_on_the_blind_sets_of_session_11(report, split):
    """The issue's targets, on the two blind sets measured once after session 11's rules were
    frozen (heldout9 and heldout10, measured the same way in session 12, are not: see their floors)."""
    held = report["splits"][split]
    assert held["targets"] == CORPUS_TARGETS and held["meets_targets"] is True, held["total"]


def test_held_out_part_as_a_whole(report):
    """All held-out splits together: the sums of their counts, aggregates only, and the targets hold
    (as measured: findings P 0.90 R 0.91, posts P 0.89 R 0.73)."""
    pooled = report["splits"][POOLED]
    assert set(pooled) == {"method", "held_out", "total", "targets", "meets_targets"}
    for kind in ("findings", "posts", "groups"):
        for count in ("extracted", "extracted_correct", "gold", "gold_found"):
            assert pooled["total"][kind][count] == sum(report["splits"][s]["total"][kind][count] for s in HELDOUT_FLOOR)
    assert pooled["meets_targets"] is True, pooled["total"]


def test_readme_states_the_measured_figures(report):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert set(report["splits"]) == {"seeds", "dev", *HELDOUT_FLOOR, POOLED}
    for split in report["splits"]:
        t = report["splits"][split]["total"]
        row = "| " + " | ".join([split] + [f"{t[k][m]:.2f}" for k in ("findings", "posts", "groups")
                                          for m in ("precision", "recall")]) + " |"
        assert row in readme, row


def test_report_is_written(report, tmp_path):
    js, md = write_report(report, tmp_path / "evaluation")
    assert json.loads(js.read_text(encoding="utf-8"))["splits"]["seeds"]["total"] == report["splits"]["seeds"]["total"]
    text = md.read_text(encoding="utf-8")
    assert "| findings | all |" in text and "| findings | x-of-y |" in text and "| roles | all |" in text
    assert "role mentions" in text or "roles" in text
    assert re.search(r"\| heldout \| [\d.]+ \| [\d.]+ \|", text)


def test_cli_runs_any_corpus(tmp_path, capsys):
    out = tmp_path / "report"
    assert main(["evaluate", "--data", str(ROOT / "data"), "--ontology", str(ROOT / "ontology" / "erkg.ttl"),
                 "--corpus", str(CORPUS / "dev"), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "| dev |" in printed and "| findings | percent |" in printed and "| groups | role |" in printed
    report = json.loads((out / "evaluation.json").read_text(encoding="utf-8"))
    assert set(report["splits"]) == {"seeds", "dev"}
    assert corpus_splits([CORPUS / "heldout"]) == {"heldout": CORPUS / "heldout"}


def test_bad_corpus_is_refused(tmp_path, capsys):
    (tmp_path / "x.yaml").write_text("id: x\ngold:\n  findings:\n    - quote: not there\n      share: 0.5\n",
                                     encoding="utf-8")
    (tmp_path / "x.txt").write_text("Some text.", encoding="utf-8")
    args = ["--data", str(ROOT / "data"), "--ontology", str(ROOT / "ontology" / "erkg.ttl")]
    assert main(["evaluate", *args, "--corpus", str(tmp_path), "--out", str(tmp_path / "out")]) == 1
    assert "gold.findings" in capsys.readouterr().err
    assert main(["evaluate", *args, "--corpus", str(tmp_path / "missing"), "--out", str(tmp_path / "out")]) == 1
    assert "no such corpus directory" in capsys.readouterr().err


def test_a_heldout_split_hides_its_items_unless_asked(tmp_path, capsys):
    """A corpus directory whose name starts with heldout (here one of our own) reports
    aggregates only; its items are listed only with --show-heldout-items."""
    corpus = tmp_path / "heldout2"
    corpus.mkdir()
    (corpus / "mini.txt").write_text("Laut Umfrage sagen 40 Prozent der CIOs, dass das Budget steigt. "
                                     "Jeder dritte CMO sieht das anders.\n", encoding="utf-8")
    (corpus / "mini.yaml").write_text(
        "id: mini\ngold:\n  findings:\n"
        "    - quote: \"Laut Umfrage sagen 40 Prozent der CIOs, dass das Budget steigt.\"\n"
        "      share: 0.4\n      qualifier: exactly\n      wording: \"40 Prozent\"\n      form: percent\n"
        "      group: CIOs\n      role: cio\n  posts: []\n", encoding="utf-8")
    args = ["evaluate", "--data", str(ROOT / "data"), "--ontology", str(ROOT / "ontology" / "erkg.ttl"),
            "--corpus", str(corpus)]
    assert main([*args, "--out", str(tmp_path / "hidden")]) == 0
    hidden = json.loads((tmp_path / "hidden" / "evaluation.json").read_text(encoding="utf-8"))["splits"]["heldout2"]
    assert hidden["held_out"] is True and "errors" not in hidden and "documents" not in hidden
    assert hidden["total"]["findings"]["extracted"] == 2  # "Jeder dritte CMO" is no gold: an extra
    assert "Jeder dritte" not in (tmp_path / "hidden" / "evaluation.md").read_text(encoding="utf-8")
    assert main([*args, "--out", str(tmp_path / "shown"), "--show-heldout-items"]) == 0
    shown = json.loads((tmp_path / "shown" / "evaluation.json").read_text(encoding="utf-8"))["splits"]["heldout2"]
    assert any("Jeder dritte" in e for e in shown["errors"])
    capsys.readouterr()


def test_a_pattern_in_one_file_is_drafted_scored_and_reported(tmp_path):
    """A new kind of fact is one Pattern subclass with @register in its own module (the
    package imports every module of kg/extract/patterns/): the extractor runs it, the
    evaluation scores it and the report shows it, with no other file changed (issue 20).
    Here it is defined in this file."""
    from kg.extract import build_gazetteer, draft
    from kg.extract.article import Mention
    from kg.extract.patterns import _REGISTRY, Gold, Pattern, overlap, patterns, register
    from kg.text import SourceText, Span

    @register
    class Persons(Pattern):
        name, order = "persons", 40

        def find(self, art):
            return [Mention(Span(m.start(), m.end()), m.group(), "person", confidence=0.9)
                    for m in re.finditer(r"\b[A-Z][a-zäöü]+ [A-Z][a-zäöü]+\b", art.text)]

        def draft(self, mentions, d):
            """Measured only: a kind of fact the curation format lacks would need its model there."""

        def gold(self, doc, ctx):
            src = SourceText(doc.text)
            return [Gold(src.locate(e.quote, getattr(e, "context", None)), {}, None, e.id)
                    for e in doc.facts.entities if e.type == "person"]

        def agrees(self, m, g):
            return overlap(m.span, g.span)

    try:
        assert "persons" in [p.name for p in patterns()]
        from kg.curation import load_documents
        from kg.namespaces import Iris
        from kg.ontology import load_ontology
        gaz = build_gazetteer(load_ontology(ROOT / "ontology" / "erkg.ttl", Iris()), load_documents(ROOT / "data"))
        _, found = draft("Das sagt Anna Beispiel heute.", "x", gaz)
        assert [m.text for m in found["persons"]] == ["Anna Beispiel"]
        seeds = evaluate(ROOT / "data", ROOT / "ontology" / "erkg.ttl", {})["splits"]["seeds"]
        assert seeds["total"]["persons"]["gold"] > 0 and seeds["total"]["persons"]["gold_found"] > 0
        _, md = write_report({"definitions": "", "splits": {"seeds": seeds}}, tmp_path)
        text = md.read_text(encoding="utf-8")
        assert "| persons P | persons R |" in text and "| persons | all |" in text
    finally:
        _REGISTRY.pop("persons")
