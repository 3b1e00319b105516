"""The home page at /: what ERKG is, how large it is, its sources, where to go from
here, and how to cite it; built from the ontology's header, the dataset's class
partitions (as VoID lists them) and the source documents."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.namespaces import DCTERMS, OWL, RDF
from kg.output import dumps
from kg.store import DatasetStats

from ..downloads import FORMATS

from .rdf import Graph, iri
from .views import Link, Site


@dataclass
class ClassCount:
    cls: Link
    count: int


@dataclass
class Source:
    document: Link
    date: str | None
    language: str | None


@dataclass
class Download:
    name: str
    href: str
    format: str
    size: int


@dataclass
class HomePage:
    title: str
    description: str
    version: str | None
    license: Link | None
    classes: list[ClassCount]
    triples: int
    graphs: int
    sources: list[Source]
    downloads: list[Download]
    citation: str
    source_texts: str  # "full" or "quotes": what the server shows of the source texts


def _in(g: Graph, s: ox.NamedNode, p: str, lang: str) -> str | None:
    """The value of `p` in the reader's language, else any."""
    values = [v for v in g.objects(s, iri(p)) if isinstance(v, ox.Literal)]
    preferred = [v for v in values if v.language == lang] or values
    return preferred[0].value if preferred else None


def home_page(site: Site, ontology: Graph, ontology_iri: ox.NamedNode, counts: dict[str, int],
              stats: DatasetStats, dataset: Path, source_texts: str = "full") -> HomePage:
    """`ontology`: the ontology graph (its header and its terms' labels); `counts`: class IRI ->
    instances. Listed are the classes the ontology declares, by label."""
    title = _in(ontology, ontology_iri, str(DCTERMS.title), site.lang) or site.words["site"]
    version = _in(ontology, ontology_iri, str(OWL.versionInfo), site.lang)
    license_ = ontology.value(ontology_iri, iri(str(DCTERMS.license)))
    declared = set(ontology.subjects(iri(str(RDF.type)), iri(str(OWL.Class))))
    classes = sorted((ClassCount(site.link(iri(c)), n) for c, n in counts.items() if iri(c) in declared),
                     key=lambda c: c.cls.text.casefold())
    documents = site.graph.subjects(iri(str(RDF.type)), iri(site.erkg + "SourceDocument"))
    sources = sorted((Source(site.link(d), _in(site.graph, d, str(DCTERMS.date), site.lang),
                             _in(site.graph, d, str(DCTERMS.language), site.lang)) for d in documents),
                     key=lambda s: s.document.text.casefold())
    citation = f"The ERKG developers. {title}" + (f", version {version}" if version else "") + f". {site.base}"
    return HomePage(title=title, description=_in(ontology, ontology_iri, str(DCTERMS.description), site.lang) or "",
                    version=version, license=Link(license_.value, license_.value) if license_ else None,
                    classes=classes, triples=stats.triples, graphs=sum(1 for g in stats.graphs if g),
                    sources=sources, citation=citation, source_texts=source_texts,
                    downloads=[Download(name, f"{site.root}download/{name}", FORMATS.get(path.suffix, ("", ""))[1],
                                        path.stat().st_size)
                               for name, path in dumps(dataset, source_texts=source_texts == "full").items()])
