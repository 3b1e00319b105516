"""`erkg evaluate`: precision, recall and F1 of the extractor, per fact type and per form, on
three splits side by side:

- seeds: the five curated documents of data/, leave-one-out (each is extracted with a
  gazetteer built without its own curation); gold is derived from the curation;
- dev: the development part of the annotated corpus (tests/corpus/dev), which rules may be
  written from;
- held-out: the held-out parts (tests/corpus/heldout, heldout2 … heldout10: every split whose name starts
  with "heldout"), never read while writing rules, each on its own and all together
  ("heldout-all", micro-averaged). Only their aggregate figures are reported:
  no per-document scores, no missed or extra items (unless asked with
  --show-heldout-items), so evaluating them shows nothing of their text.

A corpus document is extracted with the gazetteer of the ontology and all of data/.

How gold is made. For the seeds, from the curation (docs/curation.md): each pattern
(kg/extract/patterns/) states in its header what it counts as gold and when a candidate is
correct. For a corpus, by hand, in the format of tests/corpus/README.md: every survey finding
(a share of a respondent group, with share in [0, 1], qualifier, form, the wording, group,
role and proposition as written, and the exact quote) and every post (person, title, role,
organization, whether it is stated through a pronoun, and the exact quote). Quotes are exact
spans of the stored text, checked when the corpus is loaded. A finding whose share is a
range or that names no group is not gold.

Scoring. Findings: a candidate is correct if its wording lies inside the quote of a gold
finding with the same share (to 3 decimals) and qualifier. Groups: the group of a finding is
correct if it lies in the finding's quote, names the gold group (one wording contains the
other) and has its role (or, like the gold, none). Posts: a candidate is correct if it
overlaps the quote of a gold post (or repeats it word for word elsewhere, as a repeated caption
does) with the same role and person. Role mentions and
studies are scored on the seeds only (the corpus does not annotate them). Candidates below
a confidence of 0.5 are left to the reviewer and not scored. Counts are micro-averaged over
the documents; per form, recall counts the gold's form and precision the candidate's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import curation as c
from .errors import ErkgError
from .extract import build_gazetteer, draft, ontology_roles
from .extract.patterns import THRESHOLD, GoldContext, Score, patterns
from .namespaces import Iris
from .ontology import load_ontology
from .text import QuoteError, SourceText

SEED_TARGETS = {"findings": {"precision": 0.8, "recall": 0.9}, "roles": {"precision": 0.8, "recall": 0.9}}
CORPUS_TARGETS = {"findings": {"precision": 0.85, "recall": 0.9}, "posts": {"precision": 0.8, "recall": 0.7}}
DEFAULT_CORPUS = Path("tests/corpus")
POOLED = "heldout-all"  # the report's name for all held-out splits together


def _split_order(path: Path) -> tuple[str, int]:
    """heldout, heldout2 … heldout10: by name, then by number."""
    name = path.name.rstrip("0123456789")
    return name, int(path.name[len(name):] or 1)


class CorpusError(ErkgError):
    """An annotated corpus cannot be read."""


@dataclass
class CorpusDocument:
    id: str
    text: str
    gold: dict


def load_corpus(directory: Path) -> list[CorpusDocument]:
    """The documents of an annotated corpus (<id>.txt beside <id>.yaml with a `gold` block);
    errors name the file, never its text (a held-out corpus stays unread)."""
    if not directory.is_dir():
        raise CorpusError(f"{directory}: no such corpus directory")
    docs = []
    for meta_path in sorted(directory.glob("*.yaml")):
        text_path = meta_path.with_suffix(".txt")
        try:
            meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
            text = text_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise CorpusError(f"{text_path}: the text of {meta_path.name} is missing") from None
        except (yaml.YAMLError, UnicodeDecodeError) as e:
            raise CorpusError(f"{meta_path}: cannot read: {type(e).__name__}") from None
        if not isinstance(meta, dict) or not isinstance(meta.get("gold"), dict):
            raise CorpusError(f"{meta_path}: expected a mapping with a `gold` block")
        docs.append(CorpusDocument(meta_path.stem, text, meta["gold"]))
    if not docs:
        raise CorpusError(f"{directory}: no annotated documents (*.yaml)")
    return docs


def _threshold(found: dict) -> dict:
    return {k: [m for m in v if m.confidence >= THRESHOLD] for k, v in found.items()}


def _seeds(data: Path, ontology) -> dict:
    docs = c.load_documents(data)
    ctx = GoldContext(set(ontology_roles(ontology)),
                      {e.id: e.role for d in docs for e in d.facts.entities if e.type == "group" and e.role})
    totals = {p.name: Score() for p in patterns()}
    per_doc = {}
    for doc in docs:
        others = [d for d in docs if d.id != doc.id]
        _, found = draft(doc.text, doc.id, build_gazetteer(ontology, others),
                         {e.id for d in others for e in d.facts.entities})
        found = _threshold(found)
        scores = {}
        for p in patterns():
            s = p.score_document(doc, found[p.name], ctx)
            scores[p.name] = s
            totals[p.name].add(s)
        per_doc[doc.id] = {k: v.as_dict() for k, v in scores.items()}
    return _split("leave-one-out on the curated documents of data/", totals, per_doc, SEED_TARGETS, False)


def _corpus(directory: Path, data: Path, ontology, held_out: bool, show_items: bool) -> tuple[dict, dict[str, Score]]:
    docs = load_corpus(directory)
    seeds = c.load_documents(data)
    gaz = build_gazetteer(ontology, seeds)
    known = {e.id for d in seeds for e in d.facts.entities}
    totals: dict[str, Score] = {}
    per_doc = {}
    for doc in docs:
        source = SourceText(doc.text)
        _, found = draft(doc.text, doc.id, gaz, known)
        found = _threshold(found)
        scores = {}
        for p in patterns():
            try:
                gold = p.corpus_gold(doc.gold, source)
            except (QuoteError, KeyError, TypeError, ValueError) as e:
                where = f"{directory / doc.id}.yaml: gold.{p.name}"
                reason = ": an item does not locate or lacks a field" if held_out else f": {e}"
                raise CorpusError(where + reason) from None
            if gold is None:
                continue
            scores[p.name] = p.score(doc.id, found[p.name], gold)
            totals.setdefault(p.name, Score()).add(scores[p.name])
        per_doc[doc.id] = {k: v.as_dict() for k, v in scores.items()}
    hide = held_out and not show_items
    return _split(f"annotated corpus {directory} ({len(docs)} documents)", totals, None if hide else per_doc,
                  CORPUS_TARGETS, held_out), totals


def _split(method: str, totals: dict[str, Score], per_doc: dict | None, targets: dict, held_out: bool) -> dict:
    """A split's report; per_doc None leaves out per-document scores and items (held out)."""
    out: dict = {"method": method, "held_out": held_out,
                 "total": {k: v.as_dict() for k, v in totals.items()}, "targets": targets}
    out["meets_targets"] = all(out["total"][k][m] >= t for k, ts in targets.items() for m, t in ts.items()
                               if k in out["total"])
    if per_doc is not None:
        out["documents"] = per_doc
        out["errors"] = [e for v in totals.values() for e in v.errors]
    return out


def evaluate(data: Path, ontology_path: Path, corpora: dict[str, Path] | None = None,
             show_heldout_items: bool = False) -> dict:
    """Scores on the seeds (leave-one-out) and on each corpus split given as name -> directory
    (default: the dev and held-out parts of tests/corpus, where present). A split whose name
    starts with "heldout" reports aggregate figures only."""
    ontology = load_ontology(ontology_path, Iris())
    if corpora is None:
        corpora = {p.name: p for p in sorted(DEFAULT_CORPUS.iterdir(), key=_split_order) if any(p.glob("*.yaml"))}
    splits = {"seeds": _seeds(data, ontology)}
    pooled: dict[str, Score] = {}
    held = []
    for name, directory in corpora.items():
        held_out = name.startswith("heldout")
        splits[name], totals = _corpus(directory, data, ontology, held_out, show_heldout_items)
        if held_out:
            held.append(name)
            for kind, score in totals.items():
                pooled.setdefault(kind, Score()).add(score)
    if len(held) > 1:  # the held-out part as a whole, micro-averaged over its splits
        splits[POOLED] = _split(f"all held-out splits together ({', '.join(held)})", pooled, None,
                                CORPUS_TARGETS, True)
    return {"definitions": __doc__, "splits": splits}


def corpus_splits(paths: list[Path]) -> dict[str, Path]:
    """--corpus DIR …: each directory is a split named by its last component."""
    return {p.name or str(p): p for p in paths}


def _table(split: dict) -> list[str]:
    lines = ["| fact type | form | precision | recall | F1 | extracted | correct | gold | found |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for k, v in split["total"].items():
        rows = [("all", v)] + list(v.get("by_form", {}).items())
        for form, s in rows:
            lines.append(f"| {k} | {form} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | "
                         f"{s['extracted']} | {s['extracted_correct']} | {s['gold']} | {s['gold_found']} |")
    return lines


def write_report(report: dict, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    js = out / "evaluation.json"
    js.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    lines = ["# Extraction evaluation", ""]
    # the targets' fact types first, then every other registered pattern's (a new one shows without a change here)
    first = ("findings", "posts", "groups")
    kinds = [*first, *(p.name for p in patterns() if p.name not in first)]
    summary = ["| split | " + " | ".join(f"{k} P | {k} R" for k in kinds) + " | targets met |",
               "| --- " * (2 * len(kinds) + 2) + "|"]
    for name, split in report["splits"].items():
        t = split["total"]
        cells = [f"{t[k][m]:.2f}" if k in t else "–" for k in kinds for m in ("precision", "recall")]
        summary.append(f"| {name} | {' | '.join(cells)} | {'yes' if split['meets_targets'] else 'no'} |")
    lines += summary + [""]
    for name, split in report["splits"].items():
        targets = "; ".join(f"{k} P >= {v['precision']}, R >= {v['recall']}" for k, v in split["targets"].items())
        lines += [f"## {name}: {split['method']}", "", *_table(split), "",
                  f"Targets ({targets}) met: {'yes' if split['meets_targets'] else 'no'}", ""]
    lines += ["## Per document", ""]
    for name, split in report["splits"].items():
        for doc, scores in split.get("documents", {}).items():
            lines.append(f"- {name} **{doc}**: " + "; ".join(
                f"{k} P {v['precision']:.2f} R {v['recall']:.2f} ({v['gold']} gold)" for k, v in scores.items()))
    lines += ["", "## Definitions", "", "```", report["definitions"].strip(), "```", "",
              "## Errors (extra and missed items; none are listed for a held-out split)", ""]
    for name, split in report["splits"].items():
        lines += [f"- {name}: {e}" for e in split.get("errors", [])]
    md = out / "evaluation.md"
    md.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [js, md]
