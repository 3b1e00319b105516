"""The ontology headers of the built files, as ontology projects publish them (compare
the Ontology Development Kit's base/full artifacts).

Three artifacts, each an OWL ontology with an IRI and a version IRI of its own:
- the ontology, `{base}ontology` (ontology.ttl, ontology.owl): the header erkg.ttl writes;
- the data, `{base}data` (erkg-data.ttl, erkg-data.owl): what is asserted about the
  documents; it owl:imports the ontology's version IRI, which the catalog resolves;
- the full, `{base}full` (erkg-full.owl): ontology and data merged, importing nothing.
Version, licence, creators and dates are the ontology's (`erkg release` sets them in
erkg.ttl); an artifact's prior version is its own IRI with the prior release's version.
Each file starts with its header, rdf:type first, so that RDF/XML writes it as an
owl:Ontology element and every format shows it before anything else.
"""

from __future__ import annotations

import pyoxigraph as ox

from .namespaces import DCTERMS, OWL, RDF, Iris

TITLES = {"data": ("ERKG – Daten", "ERKG – data"),
          "full": ("ERKG – Ontologie und Daten", "ERKG – ontology and data")}
COPIED = tuple(ox.NamedNode(str(p)) for p in (DCTERMS.license, DCTERMS.creator, DCTERMS.created, DCTERMS.modified))
TYPE, ONTOLOGY = ox.NamedNode(str(RDF.type)), ox.NamedNode(str(OWL.Ontology))
VERSION_IRI, VERSION_INFO = ox.NamedNode(str(OWL.versionIRI)), ox.NamedNode(str(OWL.versionInfo))
PRIOR, IMPORTS = ox.NamedNode(str(OWL.priorVersion)), ox.NamedNode(str(OWL.imports))


def header_first(triples: list[ox.Triple], header: ox.NamedNode) -> list[ox.Triple]:
    """`triples` with those of `header` first, its rdf:type first of all; the rest in order."""
    return sorted(triples, key=lambda t: (t.subject != header, t.subject != header or t.predicate != TYPE))


class Headers:
    """The headers of the three artifacts, made from the ontology's own."""

    def __init__(self, ontology: list[ox.Triple], iris: Iris) -> None:
        self.base = iris.base
        self.iri = ox.NamedNode(str(iris.ontology))
        self.ontology = ontology
        self.own = [t for t in ontology if t.subject == self.iri]
        self.version = next((t.object.value for t in self.own if t.predicate == VERSION_INFO), None)
        self.prior = next((t.object.value.rsplit("/", 1)[-1] for t in self.own if t.predicate == PRIOR), None)
        self.version_iri = next((t.object for t in self.own if t.predicate == VERSION_IRI), None)

    def _header(self, name: str) -> list[ox.Triple]:
        s = ox.NamedNode(self.base + name)
        triples = [ox.Triple(s, TYPE, ONTOLOGY)]
        if self.version is not None:
            triples += [ox.Triple(s, VERSION_IRI, ox.NamedNode(f"{self.base}{name}/{self.version}")),
                        ox.Triple(s, VERSION_INFO, ox.Literal(self.version))]
        if self.prior is not None:
            triples.append(ox.Triple(s, PRIOR, ox.NamedNode(f"{self.base}{name}/{self.prior}")))
        title = ox.NamedNode(str(DCTERMS.title))
        triples += [ox.Triple(s, title, ox.Literal(text, language=lang)) for text, lang in zip(TITLES[name], ("de", "en"))]
        triples += [ox.Triple(s, t.predicate, t.object) for t in self.own if t.predicate in COPIED]
        return header_first(triples, s)

    def ontology_iris(self) -> list[str]:
        """The names the ontology is imported by: its IRI and its version IRI."""
        return [self.iri.value] + ([self.version_iri.value] if self.version_iri is not None else [])

    def ontology_file(self) -> list[ox.Triple]:
        return header_first(self.ontology, self.iri)

    def data_file(self, data: list[ox.Triple]) -> list[ox.Triple]:
        header = self._header("data")
        imported = ox.Triple(header[0].subject, IMPORTS, self.version_iri or self.iri)
        return header_first([*header, imported], header[0].subject) + data

    def full_file(self, data: list[ox.Triple]) -> list[ox.Triple]:
        return self._header("full") + [t for t in self.ontology if t.subject != self.iri] + data

    def dataset_first(self, quads: list[ox.Quad]) -> list[ox.Quad]:
        """The dataset's quads with the ontology graph first, its header first of all."""
        return sorted(quads, key=lambda q: (q.graph_name != self.iri, q.subject != self.iri,
                                           q.subject != self.iri or q.predicate != TYPE))
