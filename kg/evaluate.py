"""`erkg evaluate`: precision, recall and F1 of the extractor against the curated facts,
leave-one-out (each document is extracted with a gazetteer built without its own curation).

Gold standard, per fact type:

- findings: the curated findings that state a share (survey findings). An extracted finding
  is correct if its wording lies inside the quote of a curated finding with the same share
  and qualifier; a curated finding is found if some extracted finding is correct for it.
- role mentions: the curation lists no role mentions as such, so gold is derived from what
  it records about roles, never from the extractor's own labels. Recall: every curated item
  that records the wording of a role, as (role, span of its quote): a respondent group with a
  role (its quote is the group's wording, e.g. "IT-Chefs"), a post (its quote names the post,
  e.g. "seit 2012 Chief Marketing Officer bei Netbiscuits") and a finding about a group with a
  role (its quote names the group); found if an extracted mention of that role lies inside the
  quote. Precision: an extracted mention is correct if it lies inside the quote of any curated
  item naming the same role, directly (post.role, group.role, relation.between, claim.subject,
  statement.subject, recommendation.audience …) or through a group with that role. Relations
  and claims are not recall gold because their quotes often refer to the roles by pronoun
  ("beide", "er"), which is no mention. Real mentions that no curated quote covers (a second
  bio of the same person, an aside) count as errors: the precision is a lower bound.
- studies: curated study entities; found if an extracted study mention overlaps its quote.
- posts: curated posts; an extracted post is correct if it overlaps the quote of a curated
  post with the same role.

Extracted items below a confidence of 0.5 (role mentions in the headline) are left to the
reviewer and not scored. The counts are micro-averaged over the documents.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from . import curation as c
from .extract import build_gazetteer, draft, ontology_roles
from .namespaces import Iris
from .ontology import load_ontology
from .text import SourceText, Span

TARGETS = {"findings": {"precision": 0.8, "recall": 0.9}, "roles": {"precision": 0.8, "recall": 0.9}}


@dataclass
class Score:
    tp_pred: int = 0  # extracted items that are correct
    pred: int = 0
    tp_gold: int = 0  # gold items that were found
    gold: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp_pred / self.pred if self.pred else 1.0

    @property
    def recall(self) -> float:
        return self.tp_gold / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.tp_pred += other.tp_pred
        self.pred += other.pred
        self.tp_gold += other.tp_gold
        self.gold += other.gold
        self.errors += other.errors

    def as_dict(self) -> dict:
        return {"precision": round(self.precision, 3), "recall": round(self.recall, 3), "f1": round(self.f1, 3),
                "extracted": self.pred, "extracted_correct": self.tp_pred, "gold": self.gold,
                "gold_found": self.tp_gold}


def _inside(a: Span, b: Span) -> bool:
    return b.start <= a.start and a.end <= b.end


def _overlap(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def _items(doc: c.Document):
    yield from doc.facts.entities
    for name, _ in c.FACT_LISTS:
        yield from getattr(doc.facts, name)


RECALL_KINDS = ("group", "posts", "findings")
THRESHOLD = 0.5  # extracted items below this confidence are left to the reviewer, not scored


def _kinded_items(doc: c.Document):
    for e in doc.facts.entities:
        yield e.type, e
    for name, _ in c.FACT_LISTS:
        for item in getattr(doc.facts, name):
            yield name, item


def gold_roles(doc: c.Document, group_roles: dict[str, str], role_slugs: set[str],
               of: tuple[str, ...] | None = None) -> list[tuple[str, Span]]:
    """(role, quote span) of every curated item naming a role (of the given kinds of item)."""
    src = SourceText(doc.text)
    out = []
    for kind, item in _kinded_items(doc):
        if of is not None and kind not in of:
            continue
        roles = set()
        if getattr(item, "type", None) == "group" and item.role:
            roles.add(item.role)
        for _, slug, kinds in c.references(item):
            if "role" in kinds and slug in role_slugs:
                roles.add(slug)
            if "group" in kinds and slug in group_roles:
                roles.add(group_roles[slug])
        if roles:
            span = src.locate(item.quote, item.context)
            out += [(r, span) for r in sorted(roles)]
    return sorted(set(out), key=lambda x: (x[1].start, x[0]))


def evaluate_document(doc: c.Document, others: list[c.Document], ontology, all_docs: list[c.Document]) -> dict[str, Score]:
    roles = ontology_roles(ontology)
    gaz = build_gazetteer(ontology, others)
    known = {e.id for d in others for e in d.facts.entities}
    _, found = draft(doc.text, doc.id, gaz, roles, known)
    found = {k: [m for m in v if m.confidence >= THRESHOLD] for k, v in found.items()}
    src = SourceText(doc.text)
    group_roles = {e.id: e.role for d in all_docs for e in d.facts.entities if e.type == "group" and e.role}
    scores = {k: Score() for k in ("findings", "roles", "studies", "posts")}

    # findings
    gold = [(f, src.locate(f.quote, f.context)) for f in doc.facts.findings if f.share is not None]
    s = scores["findings"]
    s.gold, s.pred = len(gold), len(found["findings"])
    def agrees(m, f):
        return m.extra["share"] == f.share and m.extra["qualifier"] == (f.qualifier or "exactly")
    for m in found["findings"]:
        if any(_inside(m.span, span) and agrees(m, f) for f, span in gold):
            s.tp_pred += 1
        else:
            s.errors.append(f"{doc.id}: extra finding {m.text!r} at {m.span.start}")
    for f, span in gold:
        if any(_inside(m.span, span) and agrees(m, f) for m in found["findings"]):
            s.tp_gold += 1
        else:
            s.errors.append(f"{doc.id}: missed finding {f.id} ({f.wording!r})")

    # role mentions
    support = gold_roles(doc, group_roles, set(roles))
    gold_r = gold_roles(doc, group_roles, set(roles), RECALL_KINDS)
    s = scores["roles"]
    s.gold, s.pred = len(gold_r), len(found["roles"])
    for m in found["roles"]:
        if any(r == m.role and _inside(m.span, span) for r, span in support):
            s.tp_pred += 1
        else:
            s.errors.append(f"{doc.id}: extra role mention {m.role} {m.text!r} at {m.span.start}")
    for r, span in gold_r:
        if any(m.role == r and _inside(m.span, span) for m in found["roles"]):
            s.tp_gold += 1
        else:
            s.errors.append(f"{doc.id}: missed role {r} in {doc.text[span.start:span.end][:80]!r}")

    # studies
    gold_s = [src.locate(e.quote, e.context) for e in doc.facts.entities if e.type == "study"]
    s = scores["studies"]
    s.gold, s.pred = len(gold_s), len(found["studies"])
    s.tp_pred = sum(any(_overlap(m.span, g) for g in gold_s) for m in found["studies"])
    s.tp_gold = sum(any(_overlap(m.span, g) for m in found["studies"]) for g in gold_s)

    # posts
    gold_p = [(p.role, src.locate(p.quote, p.context)) for p in doc.facts.posts]
    s = scores["posts"]
    s.gold, s.pred = len(gold_p), len(found["posts"])
    s.tp_pred = sum(any(r == m.role and _overlap(m.span, g) for r, g in gold_p) for m in found["posts"])
    s.tp_gold = sum(any(r == m.role and _overlap(m.span, g) for m in found["posts"]) for r, g in gold_p)
    return scores


def evaluate(data: Path, ontology_path: Path) -> dict:
    """Leave-one-out scores per document and in total (micro-averaged)."""
    ontology = load_ontology(ontology_path, Iris())
    docs = c.load_documents(data)
    report: dict = {"method": "leave-one-out", "definitions": __doc__, "targets": TARGETS,
                    "documents": {}, "total": {}}
    totals = {k: Score() for k in ("findings", "roles", "studies", "posts")}
    errors = []
    for doc in docs:
        others = [d for d in docs if d.id != doc.id]
        scores = evaluate_document(doc, others, ontology, docs)
        report["documents"][doc.id] = {k: v.as_dict() for k, v in scores.items()}
        for k, v in scores.items():
            totals[k].add(v)
    for k, v in totals.items():
        report["total"][k] = v.as_dict()
        errors += v.errors
    report["errors"] = errors
    report["meets_targets"] = all(report["total"][k][m] >= t for k, ts in TARGETS.items() for m, t in ts.items())
    return report


def write_report(report: dict, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    js = out / "evaluation.json"
    js.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    lines = ["# Extraction evaluation (leave-one-out)", "",
             "| fact type | precision | recall | F1 | extracted | correct | gold | found |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for k, v in report["total"].items():
        lines.append(f"| {k} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} | {v['extracted']} | "
                     f"{v['extracted_correct']} | {v['gold']} | {v['gold_found']} |")
    lines += ["", f"Targets (findings and roles: precision >= 0.8, recall >= 0.9) met: "
              f"{'yes' if report['meets_targets'] else 'no'}", "", "## Per document", ""]
    for doc, scores in report["documents"].items():
        lines.append(f"- **{doc}**: " + "; ".join(
            f"{k} P {v['precision']:.2f} R {v['recall']:.2f} ({v['gold']} gold)" for k, v in scores.items()))
    lines += ["", "## Definitions", "", "```", report["definitions"].strip(), "```", "",
              "## Errors (extra and missed items)", ""] + [f"- {e}" for e in report["errors"]]
    md = out / "evaluation.md"
    md.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [js, md]
