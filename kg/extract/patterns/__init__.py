"""The pattern registry. Each kind of fact the extractor drafts is one Pattern in a module of
this package: it finds its candidates in an article, adds them to the draft as curation
models, reads its gold from curated facts (data/facts) or from an annotated corpus
(tests/corpus, CORPUS-FORMAT), and scores candidates against gold. Every module here is
imported and its pattern registered, so adding a kind of fact touches one file.
"""

from __future__ import annotations

import importlib
import pkgutil
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...text import SourceText, Span
from ..article import Article, Mention

if TYPE_CHECKING:
    from ... import curation as c
    from ..draft import Draft

THRESHOLD = 0.5  # candidates below this confidence are left to the reviewer, not scored


@dataclass
class Gold:
    """One gold item: the span of its quote, its attributes and its facet (the form of a
    finding's share, whether a post is stated through a pronoun …)."""

    span: Span
    attrs: dict[str, Any]
    facet: str | None = None
    label: str = ""


@dataclass
class GoldContext:
    """What gold from curated facts needs beyond the document: the ontology's role slugs and
    the role of every curated group (of all documents)."""

    roles: set[str]
    group_roles: dict[str, str]


@dataclass
class Score:
    tp_pred: int = 0  # candidates that are correct
    pred: int = 0
    tp_gold: int = 0  # gold items that were found
    gold: int = 0
    errors: list[str] = field(default_factory=list)
    by: dict[str, Score] = field(default_factory=dict)  # per facet (form …)

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

    def facet(self, name: str | None) -> Score | None:
        return None if name is None else self.by.setdefault(name, Score())

    def count_pred(self, ok: bool, facet: str | None = None) -> None:
        for s in (self, self.facet(facet)):
            if s is not None:
                s.pred += 1
                s.tp_pred += ok

    def count_gold(self, ok: bool, facet: str | None = None) -> None:
        for s in (self, self.facet(facet)):
            if s is not None:
                s.gold += 1
                s.tp_gold += ok

    def add(self, other: Score) -> None:
        self.tp_pred += other.tp_pred
        self.pred += other.pred
        self.tp_gold += other.tp_gold
        self.gold += other.gold
        self.errors += other.errors
        for k, v in other.by.items():
            self.by.setdefault(k, Score()).add(v)

    def as_dict(self, errors: bool = False) -> dict:
        out = {"precision": round(self.precision, 3), "recall": round(self.recall, 3), "f1": round(self.f1, 3),
               "extracted": self.pred, "extracted_correct": self.tp_pred, "gold": self.gold,
               "gold_found": self.tp_gold}
        if self.by:
            out["by_form"] = {k: v.as_dict() for k, v in sorted(self.by.items())}
        if errors:
            out["errors"] = list(self.errors)
        return out


def inside(a: Span, b: Span) -> bool:
    return b.start <= a.start and a.end <= b.end


def overlap(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


class Pattern(ABC):
    name: str  # the fact type, as the draft's and the report's key: "findings", "posts" …
    order: int  # drafting order: studies before the findings that refer to them

    @abstractmethod
    def find(self, art: Article) -> list[Mention]:
        """The candidates in the article."""

    @abstractmethod
    def draft(self, mentions: list[Mention], d: Draft) -> None:
        """Add the candidates to the draft as curation models."""

    @abstractmethod
    def gold(self, doc: c.Document, ctx: GoldContext) -> list[Gold]:
        """Gold items from a curated document (data/facts)."""

    def corpus_gold(self, gold: dict, source: SourceText) -> list[Gold] | None:
        """Gold items from an annotated corpus file's `gold` block; None where the corpus
        does not annotate this kind of fact (it is then not scored)."""
        return None

    @abstractmethod
    def agrees(self, m: Mention, g: Gold) -> bool:
        """The candidate is the gold item."""

    def facet(self, m: Mention) -> str | None:
        """The candidate's facet (the form of its share …), for the per-form figures."""
        return None

    def score_document(self, doc: c.Document, found: list[Mention], ctx: GoldContext) -> Score:
        """The score on a curated document."""
        return self.score(doc.id, found, self.gold(doc, ctx))

    def score(self, doc_id: str, found: list[Mention], gold: list[Gold]) -> Score:
        s = Score()
        for m in found:
            ok = any(self.agrees(m, g) for g in gold)
            s.count_pred(ok, self.facet(m))
            if not ok:
                s.errors.append(f"{doc_id}: extra {self.name[:-1]} {m.text[:80]!r} at {m.span.start}")
        for g in gold:
            ok = any(self.agrees(m, g) for m in found)
            s.count_gold(ok, g.facet)
            if not ok:
                s.errors.append(f"{doc_id}: missed {self.name[:-1]} {g.label[:100]!r}")
        return s


_REGISTRY: dict[str, Pattern] = {}


def register(cls: type[Pattern]) -> type[Pattern]:
    _REGISTRY[cls.name] = cls()
    return cls


def patterns() -> list[Pattern]:
    """The registered patterns, in drafting order."""
    return sorted(_REGISTRY.values(), key=lambda p: p.order)


for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
