"""The result formats: the one table of what a query's answer can be written as.

Each format has its name (the value of a `format` parameter and of `erkg query
--format`), its label, its media type (and the others that also name it), its file
extension, its W3C format IRI (http://www.w3.org/ns/formats/) and its writer:
a pyoxigraph results format for SELECT and ASK answers, or an RDF format for
graphs. The SPARQL endpoint's negotiation (api.formats), its service
description, the Linked Data pages, the named-query endpoints and `erkg query`
all read this table: a new format is one entry here.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Iterable
from typing import IO

import pyoxigraph as ox

W3C = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class Format:
    name: str  # the value of the `format` parameter
    media_type: str
    aliases: tuple[str, ...] = ()  # media types that also name it, in Accept or `format`
    label: str = ""
    extension: str = ""  # of a file in this format, without the dot
    w3c: str | None = None  # its local name under W3C, if it has an IRI there
    results_format: ox.QueryResultsFormat | None = None  # writes SELECT and ASK answers
    rdf_format: ox.RdfFormat | None = None  # writes graphs
    # Other short names a `format` parameter may give: those of clients written for other
    # servers (SPARQLWrapper sends "n3", "rdf+xml", "json-ld"), and "json" and "xml" for the
    # JSON and XML form of a graph, as SPARQLWrapper documents its JSON and XML.
    nicknames: tuple[str, ...] = ()

    @property
    def iri(self) -> str | None:
        return W3C + self.w3c if self.w3c else None

    def is_named(self, value: str) -> bool:
        """True if a `format` value (lower case) names this format."""
        return value in (self.name, self.media_type, *self.aliases, *self.nicknames)

    @property
    def content_type(self) -> str:
        textual = self.media_type.startswith("text/") or self.media_type.endswith(("+json", "+xml", "/json"))
        return f"{self.media_type}; charset=utf-8" if textual or self.rdf_format else self.media_type

    def write(self, result: ox.QuerySolutions | ox.QueryBoolean | Iterable[ox.Triple | ox.Quad],
              output: IO[bytes] | None = None, prefixes: dict[str, str] | None = None) -> bytes | None:
        """`result` in this format: into `output`, or returned. `prefixes` abbreviate a graph's IRIs."""
        if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):
            if self.results_format is None:
                raise ValueError(f"{self.label} does not write SELECT or ASK results")
            return result.serialize(output=output, format=self.results_format)
        if self.rdf_format is None:
            raise ValueError(f"{self.label} does not write graphs")
        return ox.serialize(result, output=output, format=self.rdf_format, prefixes=prefixes)


# In order of preference for a client that names none: the first of each kind is the default.
TABLE: list[Format] = [
    Format("json", "application/sparql-results+json", ("application/json",), label="SPARQL JSON",
           extension="srj", w3c="SPARQL_Results_JSON", results_format=ox.QueryResultsFormat.JSON),
    Format("xml", "application/sparql-results+xml", ("application/xml", "text/xml"), label="SPARQL XML",
           extension="srx", w3c="SPARQL_Results_XML", results_format=ox.QueryResultsFormat.XML),
    Format("csv", "text/csv", label="CSV", extension="csv", w3c="SPARQL_Results_CSV",
           results_format=ox.QueryResultsFormat.CSV),
    Format("tsv", "text/tab-separated-values", label="TSV", extension="tsv", w3c="SPARQL_Results_TSV",
           results_format=ox.QueryResultsFormat.TSV),
    # Turtle is N3 too: an answer to a client that asks for N3.
    Format("turtle", "text/turtle", ("application/x-turtle",), label="Turtle", extension="ttl", w3c="Turtle",
           rdf_format=ox.RdfFormat.TURTLE, nicknames=("ttl", "n3", "text/n3")),
    Format("ntriples", "application/n-triples", ("text/plain",), label="N-Triples", extension="nt",
           w3c="N-Triples", rdf_format=ox.RdfFormat.N_TRIPLES, nicknames=("nt", "n-triples")),
    Format("rdfxml", "application/rdf+xml", ("application/xml", "text/xml"), label="RDF/XML", extension="rdf",
           w3c="RDF_XML", rdf_format=ox.RdfFormat.RDF_XML, nicknames=("rdf+xml", "rdf", "xml")),
    Format("jsonld", "application/ld+json", ("application/json",), label="JSON-LD", extension="jsonld",
           w3c="JSON-LD", rdf_format=ox.RdfFormat.JSON_LD, nicknames=("json-ld", "json")),
]


def results_formats() -> tuple[Format, ...]:
    """The formats of SELECT and ASK answers, the default first."""
    return tuple(f for f in TABLE if f.results_format is not None)


def graph_formats() -> tuple[Format, ...]:
    """The formats of graphs (CONSTRUCT, DESCRIBE, a resource's description), the default first."""
    return tuple(f for f in TABLE if f.rdf_format is not None)


def by_name(name: str) -> Format:
    """The format of that name (KeyError if none)."""
    for f in TABLE:
        if f.name == name:
            return f
    raise KeyError(name)
