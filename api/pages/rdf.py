"""A page's triples as a small in-memory graph, and the words for its terms.

A page runs one CONSTRUCT query and gets back the resource, its neighbours'
labels, its provenance …; `Graph` indexes those triples both ways. `Names`
turns terms into what a reader sees: labels in the preferred language (the
ontology's labels come from a per-process vocabulary), compact names where
there is no label, the quoted words for quotations and sentences.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from kg.namespaces import DCTERMS, FOAF, OA, OWL, PROV, RDF, RDFS, SKOS, XSD
from kg.text import shorten

Term = ox.NamedNode | ox.BlankNode | ox.Literal


def iri(value: object) -> ox.NamedNode:
    return ox.NamedNode(str(value))


# The terms the pages read, as pyoxigraph nodes.
TYPE = iri(RDF.type)
LABEL = iri(RDFS.label)
PREF_LABEL = iri(SKOS.prefLabel)
ALT_LABEL = iri(SKOS.altLabel)
DEFINITION = iri(SKOS.definition)
NAME = iri(FOAF.name)
TITLE = iri(DCTERMS.title)
DESCRIPTION = iri(DCTERMS.description)
VERSION_INFO = iri(OWL.versionInfo)
IN_SCHEME = iri(SKOS.inScheme)
SUBCLASS_OF = iri(RDFS.subClassOf)
SUBPROPERTY_OF = iri(RDFS.subPropertyOf)
DOMAIN = iri(RDFS.domain)
RANGE = iri(RDFS.range)
DERIVED_FROM = iri(PROV.wasDerivedFrom)
HAS_SOURCE = iri(OA.hasSource)
HAS_SELECTOR = iri(OA.hasSelector)
EXACT = iri(OA.exact)
START = iri(OA.start)
END = iri(OA.end)
TEXT_QUOTE_SELECTOR = iri(OA.TextQuoteSelector)
TEXT_POSITION_SELECTOR = iri(OA.TextPositionSelector)
OWL_CLASS = iri(OWL.Class)
RDFS_DATATYPE = iri(RDFS.Datatype)
OBJECT_PROPERTY = iri(OWL.ObjectProperty)
DATATYPE_PROPERTY = iri(OWL.DatatypeProperty)
ANNOTATION_PROPERTY = iri(OWL.AnnotationProperty)
CONCEPT_SCHEME = iri(SKOS.ConceptScheme)
XSD_NS = str(XSD)

# What names a resource: rdfs:label, ERKG's one label property (every resource has one per language).
LABEL_PROPERTIES = (LABEL,)
LANGUAGES = ("en", "de")


class Graph:
    """Triples indexed by subject and by object (duplicates dropped, order kept)."""

    def __init__(self, triples: Iterable[ox.Triple] = ()) -> None:
        self.triples: list[ox.Triple] = []
        self._seen: set[ox.Triple] = set()
        self.out: dict[Term, dict[ox.NamedNode, list[Term]]] = defaultdict(lambda: defaultdict(list))
        self.inc: dict[Term, dict[ox.NamedNode, list[Term]]] = defaultdict(lambda: defaultdict(list))
        self.add_all(triples)

    def add_all(self, triples: Iterable[ox.Triple]) -> None:
        for t in triples:
            if t in self._seen:
                continue
            self._seen.add(t)
            self.triples.append(t)
            self.out[t.subject][t.predicate].append(t.object)
            self.inc[t.object][t.predicate].append(t.subject)

    def __len__(self) -> int:
        return len(self.triples)

    def __contains__(self, subject: Term) -> bool:
        return subject in self.out

    def objects(self, s: Term, p: ox.NamedNode) -> list[Term]:
        return self.out.get(s, {}).get(p, [])

    def value(self, s: Term, p: ox.NamedNode) -> Term | None:
        values = self.objects(s, p)
        return values[0] if values else None

    def subjects(self, p: ox.NamedNode, o: Term) -> list[Term]:
        return self.inc.get(o, {}).get(p, [])

    def properties(self, s: Term) -> Mapping[ox.NamedNode, list[Term]]:
        return self.out.get(s, {})

    def incoming(self, o: Term) -> Mapping[ox.NamedNode, list[Term]]:
        return self.inc.get(o, {})

    def types(self, s: Term) -> list[Term]:
        return self.objects(s, TYPE)

    def most_specific(self, types: Iterable[Term]) -> list[Term]:
        """Those of `types` that are no superclass of another (by this graph's rdfs:subClassOf):
        a resource's own class before what the ontology entails it is as well."""
        types = list(types)
        above: set[Term] = set()
        todo = [s for t in types for s in self.objects(t, SUBCLASS_OF)]
        while todo:
            c = todo.pop()
            if c not in above:
                above.add(c)
                todo += self.objects(c, SUBCLASS_OF)
        return [t for t in types if t not in above]

    def is_a(self, s: Term, cls: ox.NamedNode) -> bool:
        return cls in self.types(s)

    def integer(self, s: Term, p: ox.NamedNode) -> int | None:
        v = self.value(s, p)
        try:
            return int(v.value) if isinstance(v, ox.Literal) else None
        except ValueError:
            return None


def used_prefixes(triples: Iterable[ox.Triple], prefixes: Mapping[str, str]) -> dict[str, str]:
    """The prefixes some IRI of `triples` starts with (for a compact serialization)."""
    iris = {t.value for tr in triples for t in (tr.subject, tr.predicate, tr.object) if isinstance(t, ox.NamedNode)}
    iris |= {tr.object.datatype.value for tr in triples if isinstance(tr.object, ox.Literal)}
    return {p: ns for p, ns in prefixes.items() if any(i.startswith(ns) and len(i) > len(ns) for i in iris)}


def compact(value: str, prefixes: Mapping[str, str]) -> str:
    """`prefix:local` by the longest matching namespace, or the IRI itself."""
    best = max(((p, ns) for p, ns in prefixes.items() if value.startswith(ns) and len(value) > len(ns)),
               key=lambda pn: len(pn[1]), default=None)
    return f"{best[0]}:{value[len(best[1]):]}" if best else value


class Names:
    """Labels of terms, from a page's graph first, then the vocabulary of the ontology."""

    def __init__(self, graph: Graph, vocabulary: Graph, lang: str, prefixes: Mapping[str, str]) -> None:
        self.graph, self.vocabulary, self.lang, self.prefixes = graph, vocabulary, lang, prefixes
        self.other = next(lang_ for lang_ in LANGUAGES if lang_ != lang)

    def labels(self, term: Term, properties: tuple[ox.NamedNode, ...] = LABEL_PROPERTIES) -> dict[str, str]:
        """language ('' for none) -> label, the first label property that has one winning."""
        found: dict[str, str] = {}
        for g in (self.graph, self.vocabulary):
            for p in properties:
                for v in g.objects(term, p):
                    if isinstance(v, ox.Literal):
                        found.setdefault(v.language or "", v.value)
            if found:
                break
        return found

    def pick(self, texts: Mapping[str, str]) -> tuple[str, str] | None:
        """(text, language) in the preferred language, else without one, else the other."""
        for lang in (self.lang, "", self.other, *sorted(texts)):
            if lang in texts:
                return texts[lang], lang
        return None

    def label(self, term: Term) -> str | None:
        picked = self.pick(self.labels(term))
        return picked[0] if picked else None

    def other_label(self, term: Term) -> str | None:
        """The label in the other language, where it differs from the preferred one."""
        texts = self.labels(term)
        main = self.pick(texts)
        other = texts.get(self.other)
        return other if other and main and other != main[0] else None

    def definition(self, term: Term) -> tuple[str, str] | None:
        return self.pick(self.labels(term, (DEFINITION,)))

    def exact(self, segment: Term) -> str | None:
        """The quoted words of a quotation or sentence (its TextQuoteSelector's exact)."""
        for sel in self.graph.objects(segment, HAS_SELECTOR):
            v = self.graph.value(sel, EXACT)
            if isinstance(v, ox.Literal):
                return v.value
        return None

    def name(self, term: Term) -> str:
        """What a reader sees for a term: its label, the words it quotes, or a compact name."""
        if isinstance(term, ox.Literal):
            return term.value
        label = self.label(term)
        if label:
            return label
        if isinstance(term, ox.BlankNode):
            return "(anonymous node)"
        words = self.exact(term)
        if words is not None:
            return f"“{shorten(words, 80)}”"
        return compact(term.value, self.prefixes)
