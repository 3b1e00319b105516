"""Curated documents -> RDF dataset: one named graph per document, every entity
and fact linked to the quotation (and sentence) it rests on.

Checking comes first and collects every problem of every file (unknown or
duplicate ids, wrong kinds of reference, quotes missing or ambiguous), so a
curator sees them all at once; only a clean corpus is turned into triples.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel
from rdflib import Dataset, Graph, Literal, URIRef

from . import curation as c
from .errors import CurationError, Problem
from .namespaces import CONCEPT_KINDS, DCTERMS, FOAF, OA, ORG, PROV, RDF, RDFS, SCHEMA, SKOS, XSD, Iris
from .text import QuoteError, SourceText, Span, shorten

# The prefix/suffix context stored with each TextQuoteSelector.
CONTEXT_CHARS = 32
# How much of its words a quotation's or sentence's label shows.
SEGMENT_LABEL_CHARS = 60
# Quotation marks around quoted words in a label, by the label's language.
QUOTE_MARKS = {"de": ("„", "“"), "en": ("“", "”")}
# The note on a citation field the document does not state, unless its metadata gives one.
UNSTATED = "not stated in the document"
# Metadata field -> the ontology's property for its note.
NOTE_PROPERTIES = {"url": "urlNote", "date": "dateNote", "publisher": "publisherNote", "authors": "creatorNote"}
# A stored text's rights statement, per language: (rights holders named, none named, terms).
RIGHTS = {
    "de": ("Die Rechte am Text liegen bei: {names}.",
           "Die Rechte am Text liegen bei Autor und Verlag; das Dokument nennt keinen von beiden.",
           "Der Text steht nicht unter der Lizenz von ERKG (CC BY 4.0 gilt für die kuratierten Daten): ERKG "
           "speichert ihn unverändert als Beleg, auf den die Zitate mit Zeichenpositionen verweisen, und zeigt "
           "ihn je nach Einstellung der Installation (ERKG_SOURCE_TEXTS) ganz oder nur die zitierten Sätze."),
    "en": ("The rights to the text are held by: {names}.",
           "The rights to the text are held by its author and publisher; the document names neither.",
           "The text is not covered by ERKG's licence (CC BY 4.0 covers the curated data): ERKG stores it "
           "verbatim as the evidence its quotations point into by character offsets, and shows it in full "
           "or only the quoted sentences, as the deployment is set (ERKG_SOURCE_TEXTS)."),
}


@dataclass(frozen=True)
class Target:
    kind: str
    iri: URIRef
    labels: dict[str, str]  # language ("" for a name) -> label
    defined_in: str
    item: str = ""  # where in `defined_in`, e.g. "posts[2] 'aaker-post'"


@dataclass
class Index:
    """Every id a curation file may refer to, with its kind and IRI."""

    global_: dict[str, Target] = field(default_factory=dict)
    facts: dict[str, dict[str, Target]] = field(default_factory=dict)  # per document

    def resolve(self, document: str, slug: str, kinds: tuple[str, ...]) -> Target:
        target = self.facts.get(document, {}).get(slug) if "finding" in kinds else None
        target = target or self.global_.get(slug)
        if target is None or target.kind not in kinds:
            wanted = " or ".join(kinds)
            if target is None:
                raise LookupError(f"{slug!r} is not a defined {wanted}")
            raise LookupError(f"{slug!r} is a {target.kind} (defined in {target.defined_in}), not a {wanted}")
        return target

    def label(self, target: Target, lang: str) -> str:
        return target.labels.get(lang) or target.labels.get("") or target.iri.rsplit("/", 1)[-1]


def _labels(item: BaseModel) -> dict[str, str]:
    label = getattr(item, "label", None)
    if label is not None:
        return {"de": label.de, "en": label.en}
    name = getattr(item, "name", None)
    return {"": name} if name else {}


def concept_index(ontology: Graph, iris: Iris) -> dict[str, Target]:
    """The ontology's concepts (roles, departments, modalities, …) by slug."""
    index: dict[str, Target] = {}
    for kind in CONCEPT_KINDS:
        prefix = str(iris.thing(kind, ""))
        for s in sorted({s for s in ontology.subjects(SKOS.inScheme, None) if str(s).startswith(prefix)}):
            labels = {o.language: str(o) for o in ontology.objects(s, RDFS.label) if o.language}
            index[str(s)[len(prefix):]] = Target(kind, s, labels, "the ontology")
    return index


class Builder:
    """Turns checked documents into a Dataset."""

    def __init__(self, documents: list[c.Document], ontology: Graph, iris: Iris) -> None:
        self.documents = documents
        self.ontology = ontology
        self.iris = iris
        self.index = Index(global_=concept_index(ontology, iris))
        self.spans: dict[tuple[str, int], Span] = {}  # (doc, id(item)) -> located quote
        self.problems: list[Problem] = []

    # ------------------------------------------------------------ checking

    def check(self) -> None:
        for doc in self.documents:
            self._index_document(doc)
        for doc in self.documents:
            self._check_document(doc)
        if self.problems:
            raise CurationError(self.problems)

    def _index_document(self, doc: c.Document) -> None:
        for i, e in enumerate(doc.facts.entities):
            previous = self.index.global_.get(e.id)
            if previous is not None:
                self.problems.append(Problem(doc.facts_path, f"entities[{i}] {e.id!r}",
                                             f"id already defined in {previous.defined_in} (as {previous.kind})"))
                continue
            self.index.global_[e.id] = Target(e.type, self.iris.thing(e.type, e.id), _labels(e), str(doc.facts_path),
                                              f"entities[{i}] {e.id!r}")
        facts: dict[str, Target] = {}
        for name, kind in c.FACT_LISTS:
            for i, f in enumerate(getattr(doc.facts, name)):
                if f.id in facts:
                    self.problems.append(Problem(doc.facts_path, f"{name}[{i}] {f.id!r}",
                                                 f"fact id already used in this file by a {facts[f.id].kind}"))
                    continue
                facts[f.id] = Target(kind, self.iris.thing(kind, doc.id, f.id), _labels(f), str(doc.facts_path),
                                     f"{name}[{i}] {f.id!r}")
        self.index.facts[doc.id] = facts

    def _items(self, doc: c.Document) -> list[tuple[str, BaseModel]]:
        items: list[tuple[str, BaseModel]] = [(f"entities[{i}] {e.id!r}", e) for i, e in enumerate(doc.facts.entities)]
        for name, _ in c.FACT_LISTS:
            items += [(f"{name}[{i}] {f.id!r}", f) for i, f in enumerate(getattr(doc.facts, name))]
        return items

    def _check_document(self, doc: c.Document) -> None:
        source = SourceText(doc.text)
        for item_name, item in self._items(doc):
            try:
                self.spans[(doc.id, id(item))] = source.locate(item.quote, item.context)
            except QuoteError as e:
                self.problems.append(Problem(doc.facts_path, item_name, str(e)))
            self._check_references(doc, doc.facts_path, item_name, item)
        self._check_references(doc, doc.text_path.with_suffix(".yaml"), "", doc.meta)

    def _check_references(self, doc: c.Document, path, item_name: str, item: BaseModel) -> None:
        for fieldname, slug, kinds in c.references(item):
            try:
                self.index.resolve(doc.id, slug, kinds)
            except LookupError as e:
                self.problems.append(Problem(path, item_name, f"field {fieldname!r}: {e}"))

    def whereabouts(self) -> dict[str, Problem]:
        """Where each curated entity and fact is defined, by IRI (the reason left empty)."""
        targets = [*self.index.global_.values(), *(t for facts in self.index.facts.values() for t in facts.values())]
        return {str(t.iri): Problem(Path(t.defined_in), t.item, "") for t in targets if t.item}

    # ------------------------------------------------------------ emitting

    def dataset(self) -> Dataset:
        self.check()
        ds = Dataset()
        for doc in self.documents:
            _Emitter(self, doc, ds.graph(self.iris.graph(doc.id))).emit()
        return ds


class _Emitter:
    """Writes one document's graph."""

    def __init__(self, builder: Builder, doc: c.Document, graph: Graph) -> None:
        self.b, self.doc, self.g = builder, doc, graph
        self.erkg = builder.iris.erkg
        self.source = SourceText(doc.text)
        self.doc_iri = builder.iris.thing("document", doc.id)

    def ref(self, slug: str, kinds: tuple[str, ...]) -> URIRef:
        return self.b.index.resolve(self.doc.id, slug, kinds).iri

    def target(self, slug: str, kinds: tuple[str, ...]) -> Target:
        return self.b.index.resolve(self.doc.id, slug, kinds)

    def add(self, s: URIRef, p: URIRef, o) -> None:
        if o is not None:
            self.g.add((s, p, o))

    def labels(self, s: URIRef, labels: dict[str, str]) -> None:
        for lang, text in sorted(labels.items()):
            self.g.add((s, RDFS.label, Literal(text, lang=lang or None)))

    def class_label(self, cls: URIRef, lang: str) -> str:
        """The ontology's label of a class, in one language."""
        return next((str(o) for o in self.b.ontology.objects(cls, RDFS.label) if o.language == lang),
                    cls.rsplit("#", 1)[-1])

    # ------------------------------------------------------------ document and provenance

    def emit(self) -> None:
        self._document()
        for item in self.doc.facts.entities:
            node = self.ref(item.id, (item.type,))
            ENTITY_EMITTERS[item.type](self, node, item)
            self._provenance(node, item)
        for name, kind in c.FACT_LISTS:
            for item in getattr(self.doc.facts, name):
                node = self.b.iris.thing(kind, self.doc.id, item.id)
                FACT_EMITTERS[kind](self, node, item)
                if item.label is not None:
                    self.labels(node, _labels(item))
                self._provenance(node, item)

    def _document(self) -> None:
        m, d = self.doc.meta, self.doc_iri
        self.add(d, RDF.type, self.erkg.SourceDocument)
        self.labels(d, _labels(m))
        self.add(d, DCTERMS.title, Literal(m.title) if m.title else None)
        self.add(d, DCTERMS.publisher, self.ref(m.publisher, ("organization",)) if m.publisher else None)
        for p in m.authors:
            self.add(d, DCTERMS.creator, self.ref(p, ("person",)))
        for p in m.editors:
            self.add(d, DCTERMS.contributor, self.ref(p, ("person",)))
        self.add(d, DCTERMS.date, Literal(m.date, datatype=XSD.date) if m.date else None)
        self.add(d, DCTERMS.language, Literal(m.language))
        self.add(d, DCTERMS.source, Literal(m.original) if m.original else None)
        self.add(d, SCHEMA.url, URIRef(m.url) if m.url else None)
        self.add(d, self.erkg.text, Literal(self.doc.text))
        self.add(d, self.erkg.textLength, Literal(len(self.doc.text), datatype=XSD.nonNegativeInteger))
        self._citation_notes()
        self._rights()

    def _citation_notes(self) -> None:
        """What a citation needs and the document does not state says so, in a note of its own."""
        m = self.doc.meta
        given = {"url": m.url, "date": m.date, "publisher": m.publisher, "authors": m.authors}
        for name, value in given.items():
            note = m.notes.get(name) or (None if value else UNSTATED)
            self.add(self.doc_iri, self.erkg[NOTE_PROPERTIES[name]], Literal(note, lang="en") if note else None)

    def _rights(self) -> None:
        """Who holds the rights to the stored text (its authors and publisher, as the document
        names them), and on what terms ERKG shows it."""
        m = self.doc.meta
        holders = [self.target(p, ("person",)) for p in m.authors]
        holders += [self.target(m.publisher, ("organization",))] if m.publisher else []
        for h in holders:
            self.add(self.doc_iri, DCTERMS.rightsHolder, h.iri)
        names = ", ".join(self.b.index.label(h, "") for h in holders)
        for lang, (held, unnamed, terms) in RIGHTS.items():
            self.add(self.doc_iri, DCTERMS.rights,
                     Literal((held.format(names=names) if holders else unnamed) + " " + terms, lang=lang))

    def _provenance(self, node: URIRef, item: c.Quoted) -> None:
        span = self.b.spans[(self.doc.id, id(item))]
        self.add(node, PROV.wasDerivedFrom, self._segment(span, self.erkg.Quotation))

    def _segment(self, span: Span, cls: URIRef) -> URIRef:
        """A Quotation or Sentence: the span of the text, with its selectors."""
        kind = "quote" if cls == self.erkg.Quotation else "sentence"
        seg = self.b.iris.thing(kind, self.doc.id, f"{span.start}-{span.end}")
        if (seg, RDF.type, cls) in self.g:
            return seg
        text = self.doc.text
        quote_sel, pos_sel = URIRef(f"{seg}#quote"), URIRef(f"{seg}#position")
        self.add(seg, RDF.type, cls)
        self._segment_labels(seg, cls, quote_sel, pos_sel, span)
        self.add(seg, OA.hasSource, self.doc_iri)
        self.add(seg, OA.hasSelector, quote_sel)
        self.add(seg, OA.hasSelector, pos_sel)
        self.add(quote_sel, RDF.type, OA.TextQuoteSelector)
        self.add(quote_sel, OA.exact, Literal(text[span.start:span.end]))
        self.add(quote_sel, OA.prefix, Literal(text[max(0, span.start - CONTEXT_CHARS):span.start]))
        self.add(quote_sel, OA.suffix, Literal(text[span.end:span.end + CONTEXT_CHARS]))
        self.add(pos_sel, RDF.type, OA.TextPositionSelector)
        self.add(pos_sel, OA.start, Literal(span.start, datatype=XSD.nonNegativeInteger))
        self.add(pos_sel, OA.end, Literal(span.end, datatype=XSD.nonNegativeInteger))
        if kind == "quote":
            self.add(seg, self.erkg.inSentence, self._segment(self.source.sentence_around(span), self.erkg.Sentence))
        return seg

    def _segment_labels(self, seg: URIRef, cls: URIRef, quote_sel: URIRef, pos_sel: URIRef, span: Span) -> None:
        """Labels of a quotation or sentence (its words, where it stands) and of its selectors,
        e.g. Zitat „Marketing-Apps“ (cmo-cio-divide 1045–1059)."""
        where = f"{self.doc.id} {span.start}–{span.end}"
        words = shorten(self.doc.text[span.start:span.end], SEGMENT_LABEL_CHARS)
        for lang, (opening, closing) in QUOTE_MARKS.items():
            name = self.class_label(cls, lang)
            self.g.add((seg, RDFS.label, Literal(f"{name} {opening}{words}{closing} ({where})", lang=lang)))
            for selector, selector_cls in ((quote_sel, OA.TextQuoteSelector), (pos_sel, OA.TextPositionSelector)):
                label = f"{self.class_label(selector_cls, lang)}: {name} {where}"
                self.g.add((selector, RDFS.label, Literal(label, lang=lang)))


# ---------------------------------------------------------------- entities


def _named(cls_name: str, ns: str = "erkg") -> Callable[[_Emitter, URIRef, BaseModel], None]:
    def emit(e: _Emitter, node: URIRef, item) -> None:
        cls = {"erkg": e.erkg, "foaf": FOAF, "org": ORG}[ns][cls_name]
        e.add(node, RDF.type, cls)
        e.add(node, FOAF.name, Literal(item.name))
        e.labels(node, {"de": item.name, "en": item.name})  # a name is the same in both languages
    return emit


def _labelled(cls_name: str) -> Callable[[_Emitter, URIRef, BaseModel], None]:
    def emit(e: _Emitter, node: URIRef, item) -> None:
        e.add(node, RDF.type, e.erkg[cls_name])
        e.labels(node, _labels(item))
    return emit


def _study(e: _Emitter, node: URIRef, s: c.Study) -> None:
    _labelled("Study")(e, node, s)
    e.add(node, DCTERMS.title, Literal(s.title) if s.title else None)
    e.add(node, DCTERMS.publisher, e.ref(s.publisher, ("organization",)) if s.publisher else None)
    e.add(node, e.erkg.sampleSize, Literal(s.sample_size, datatype=XSD.nonNegativeInteger) if s.sample_size else None)
    e.add(node, e.erkg.sampleWording, Literal(s.sample) if s.sample else None)
    e.add(node, e.erkg.scope, Literal(s.scope) if s.scope else None)


def _group(e: _Emitter, node: URIRef, g: c.Group) -> None:
    _labelled("RespondentGroup")(e, node, g)
    e.add(node, e.erkg.groupDepartment, e.ref(g.department, ("department",)) if g.department else None)
    e.add(node, e.erkg.groupRole, e.ref(g.role, ("role",)) if g.role else None)


def _checklist(e: _Emitter, node: URIRef, cl: c.Checklist) -> None:
    _labelled("Checklist")(e, node, cl)
    for a in cl.audience:
        e.add(node, e.erkg.audience, e.ref(a, c.PARTIES))


ENTITY_EMITTERS: dict[str, Callable] = {
    "person": _named("Person", "foaf"),
    "organization": _named("Organization", "org"),
    "place": _named("Place"),
    "study": _study,
    "group": _group,
    "proposition": _labelled("Proposition"),
    "topic": _labelled("Topic"),
    "responsibility": _labelled("Responsibility"),
    "checklist": _checklist,
}

# ---------------------------------------------------------------- facts


def _auto_label(e: _Emitter, node: URIRef, item: c.Fact, parts: Callable[[str], str]) -> None:
    """A readable label in both languages where the curator gave none."""
    if item.label is None:
        e.labels(node, {lang: parts(lang) for lang in ("de", "en")})


def _post(e: _Emitter, node: URIRef, p: c.Post) -> None:
    person, role, org = e.target(p.person, ("person",)), e.target(p.role, ("role",)), e.target(p.organization, ("organization",))
    e.add(node, RDF.type, ORG.Post)
    e.add(node, ORG.heldBy, person.iri)
    e.add(node, ORG.role, role.iri)
    e.add(node, ORG.postIn, org.iri)
    e.add(node, e.erkg.postTitle, Literal(p.title) if p.title else None)
    e.add(node, e.erkg.heldSince, Literal(p.since, datatype=XSD.integer) if p.since else None)
    e.add(node, e.erkg.former, Literal(True) if p.former else None)
    idx = e.b.index
    _auto_label(e, node, p, lambda lang: f"{idx.label(person, lang)} – {p.title or idx.label(role, lang)}, {idx.label(org, lang)}")


def _affiliation(e: _Emitter, node: URIRef, a: c.Affiliation) -> None:
    person, org = e.target(a.person, ("person",)), e.target(a.organization, ("organization",))
    e.add(node, RDF.type, ORG.Membership)
    e.add(node, ORG.member, person.iri)
    e.add(node, ORG.organization, org.iri)
    idx = e.b.index
    _auto_label(e, node, a, lambda lang: f"{idx.label(person, lang)} – {idx.label(org, lang)}")


def _finding(e: _Emitter, node: URIRef, f: c.Finding) -> None:
    group, prop = e.target(f.group, ("group",)), e.target(f.proposition, ("proposition",))
    e.add(node, RDF.type, e.erkg.Finding)
    e.add(node, e.erkg.study, e.ref(f.study, ("study",)))
    e.add(node, e.erkg.respondentGroup, group.iri)
    e.add(node, e.erkg.proposition, prop.iri)
    if f.share is not None:
        share = (Decimal(str(f.share)) / 100).normalize()
        e.add(node, e.erkg.share, Literal(f"{share:f}", datatype=XSD.decimal))
        e.add(node, e.erkg.shareQualifier, e.ref(f.qualifier or "exactly", ("qualifier",)))
    e.add(node, e.erkg.shareWording, Literal(f.wording) if f.wording else None)
    for t in f.about:
        e.add(node, e.erkg.about, e.ref(t, ("topic", "responsibility")))
    e.add(node, e.erkg.aboutGroup, e.ref(f.about_group, ("group",)) if f.about_group else None)
    if f.compared_with:
        other = e.ref(f.compared_with, ("finding",))
        e.add(node, e.erkg.comparedWith, other)
        e.add(other, e.erkg.comparedWith, node)  # symmetric; stated both ways for SPARQL users
    idx = e.b.index

    def amount(lang: str) -> str:
        """The document's own wording in German; in English the share with its qualifier."""
        if lang == "de" and f.wording:
            return f.wording + " "
        if f.share is None:
            return ""
        qualifier = f.qualifier or "exactly"
        prefix = "" if qualifier == "exactly" else idx.label(e.target(qualifier, ("qualifier",)), lang) + " "
        return f"{prefix}{f.share:g} % "

    _auto_label(e, node, f, lambda lang: f"{amount(lang)}{idx.label(group, lang)}: {idx.label(prop, lang)}")


def _claim(e: _Emitter, node: URIRef, cl: c.Claim) -> None:
    subject, resp, mod = e.target(cl.subject, c.PARTIES), e.target(cl.responsibility, ("responsibility",)), e.target(cl.modality, ("modality",))
    e.add(node, RDF.type, e.erkg.ResponsibilityClaim)
    e.add(node, e.erkg.assignee, subject.iri)
    e.add(node, e.erkg.responsibility, resp.iri)
    e.add(node, e.erkg.modality, mod.iri)
    e.add(node, e.erkg.claimant, e.ref(cl.claimant, c.AGENTS) if cl.claimant else None)
    idx = e.b.index
    _auto_label(e, node, cl, lambda lang: f"{idx.label(subject, lang)} – {idx.label(mod, lang)} – {idx.label(resp, lang)}")


def _relation(e: _Emitter, node: URIRef, r: c.Relation) -> None:
    first, second = (e.target(x, c.PARTIES) for x in r.between)
    kind = e.target(r.kind, ("relation-kind",))
    e.add(node, RDF.type, e.erkg.RelationClaim)
    e.add(node, e.erkg.firstParty, first.iri)
    e.add(node, e.erkg.secondParty, second.iri)
    e.add(node, e.erkg.relationKind, kind.iri)
    e.add(node, e.erkg.claimant, e.ref(r.claimant, c.AGENTS) if r.claimant else None)
    e.add(node, e.erkg.modality, e.ref(r.modality, ("modality",)) if r.modality else None)
    for t in r.about:
        e.add(node, e.erkg.about, e.ref(t, ("topic", "responsibility")))
    idx = e.b.index
    _auto_label(e, node, r, lambda lang: f"{idx.label(first, lang)} – {idx.label(kind, lang)} – {idx.label(second, lang)}")


def _recommendation(e: _Emitter, node: URIRef, r: c.Recommendation) -> None:
    e.add(node, RDF.type, e.erkg.Recommendation)
    e.add(node, e.erkg.inChecklist, e.ref(r.checklist, ("checklist",)) if r.checklist else None)
    e.add(node, e.erkg.position, Literal(r.position, datatype=XSD.positiveInteger) if r.position else None)
    for a in r.audience:
        e.add(node, e.erkg.audience, e.ref(a, c.PARTIES))
    e.add(node, e.erkg.claimant, e.ref(r.claimant, c.AGENTS) if r.claimant else None)


def _statement(e: _Emitter, node: URIRef, s: c.Statement) -> None:
    e.add(node, RDF.type, e.erkg.Statement)
    e.add(node, e.erkg.concerns, e.ref(s.subject, c.ANY))
    e.add(node, e.erkg.statementKind, e.ref(s.kind, ("statement-kind",)))
    e.add(node, e.erkg.object, e.ref(s.object, c.ANY) if s.object else None)
    e.add(node, e.erkg.value, Literal(s.value) if s.value else None)
    e.add(node, e.erkg.claimant, e.ref(s.claimant, c.AGENTS) if s.claimant else None)


FACT_EMITTERS: dict[str, Callable] = {
    "post": _post, "affiliation": _affiliation, "finding": _finding, "claim": _claim,
    "relation": _relation, "recommendation": _recommendation, "statement": _statement,
}
assert set(FACT_EMITTERS) == {kind for _, kind in c.FACT_LISTS}
assert set(ENTITY_EMITTERS) == set(c.ENTITY_KINDS)
