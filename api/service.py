"""The running service: settings, the query engine, the answer cache, and the
SPARQL 1.1 Service Description built from the live dataset."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TypeVar
from urllib.parse import urljoin

import pyoxigraph as ox
from fastapi import Request
from fastapi.responses import PlainTextResponse, Response

from kg.namespaces import Iris
from kg.output import dumps
from kg.queries import NamedQuery, load_queries
from kg.store import DatasetStats

from .cache import LRUCache
from .engine import Engine
from .engine import Request as EngineRequest
from .formats import FORMATS, GRAPH_FORMATS, OFFERS, negotiate, refusal
from .settings import Settings

T = TypeVar("T")

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
FORMATS_NS = "http://www.w3.org/ns/formats/"
# Our format name -> its W3C format IRI (http://www.w3.org/ns/formats/).
W3C_FORMATS = {"json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML", "csv": "SPARQL_Results_CSV",
               "tsv": "SPARQL_Results_TSV", "turtle": "Turtle", "ntriples": "N-Triples",
               "rdfxml": "RDF_XML", "jsonld": "JSON-LD"}


# Instances per class in the whole dataset (the union default graph): VoID's class
# partitions, and the size shown on the home page.
CLASS_PARTITIONS = "SELECT ?class (COUNT(DISTINCT ?s) AS ?entities) WHERE { ?s a ?class FILTER(isIRI(?class)) } GROUP BY ?class"
# The version and licence the ontology states (?o is bound to its IRI), for VoID.
RELEASE = "SELECT ?o ?version ?license WHERE { GRAPH ?o { ?o owl:versionInfo ?version OPTIONAL { ?o dcterms:license ?license } } }"
DCTERMS = "http://purl.org/dc/terms/"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"


def load_named_queries(directory: Path) -> dict[str, NamedQuery]:
    """The named queries a service offers: the .rq files of `directory` but the build checks
    (*-violation.rq). Also read when the app is made, for the REST API's routes."""
    return {n: q for n, q in load_queries(directory).items() if not q.is_check} if directory.is_dir() else {}


def strong_etag(*parts: str | tuple[str, ...]) -> str:
    """A strong ETag over `parts`, encoded as a JSON array: no text in one part can pass
    for the boundary between two."""
    encoded = json.dumps(parts, ensure_ascii=False, separators=(",", ":"))
    return f'"{hashlib.blake2b(encoded.encode(), digest_size=16).hexdigest()}"'


def matches(if_none_match: str, etag: str, held: bool) -> bool:
    """True if an If-None-Match header names `etag`: by the weak comparison (RFC 9110,
    13.1.2: W/"x" matches "x"), or as `*` if an answer is `held` (one was computed, so
    it exists: a query that would be refused has none)."""
    tags = [t.strip() for t in if_none_match.split(",")]
    return ("*" in tags and held) or etag in (t.removeprefix("W/") for t in tags)


@dataclass
class Service:
    settings: Settings
    engine: Engine
    cache: LRUCache = field(init=False)

    def __post_init__(self) -> None:
        self.cache = LRUCache(self.settings.cache_entries)
        self._memo: dict[str, tuple[str, object]] = {}

    @property
    def store(self) -> DatasetStats:
        return self.engine.stats

    @property
    def version(self) -> str:
        return self.store.version

    @cached_property
    def iris(self) -> Iris:
        return Iris(self.settings.base)

    @cached_property
    def named_queries(self) -> dict[str, NamedQuery]:
        return load_named_queries(self.settings.queries)

    def close(self) -> None:
        self.engine.close()

    def etag(self, *parts: str | tuple[str, ...]) -> str:
        """A strong ETag over the dataset version and what else determines an answer."""
        return strong_etag(self.version, *parts)

    def known_answer(self, request: Request, etag: str, headers: dict[str, str]) -> Response | None:
        """304 when the client holds this answer (If-None-Match; 412 for a POST), the cached
        answer when there is one, else None: the answer must be computed."""
        cached = self.cache.get(etag)
        if_none_match = request.headers.get("if-none-match")
        if if_none_match is not None and matches(if_none_match, etag, held=cached is not None):
            if request.method in ("GET", "HEAD"):
                return Response(status_code=304, headers=headers)
            return PlainTextResponse("If-None-Match: you hold this answer already (a GET would get 304)\n",
                                     status_code=412, headers=headers)
        if cached is None:
            return None
        body, content_type = cached
        return Response(body, media_type=content_type, headers={**headers, "X-Cache": "hit"})

    # ------------------------------------------------------------ the service's own queries

    def _ask(self, query: str, params: dict | None, fmt: str) -> tuple[str, bytes]:
        """Run a query of the service itself (project prefixes predeclared, parameters
        bound by substitution, never pasted into the text) by the engine.
        Oxigraph substitutes only variables the query projects (SELECT * or named).
        Blocking: call from a sync route or a thread."""
        request = EngineRequest(query, base_iri=self.settings.base, prefixes=self.iris.prefixes(),
                                substitutions={ox.Variable(k): v for k, v in (params or {}).items()},
                                format=fmt, internal=True)
        answer = self.engine.ask(request)
        return answer.kind, answer.read()

    def select(self, query: str, **params: ox.NamedNode | ox.Literal) -> list[dict[str, ox.NamedNode | ox.Literal | ox.BlankNode]]:
        """Rows of a SELECT query as {variable: term} (unbound variables left out)."""
        _, body = self._ask(query, params, "json")
        solutions = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        names = [v.value for v in solutions.variables]
        return [{n: row[n] for n in names if row[n] is not None} for row in solutions]

    def triples(self, query: str, **params: ox.NamedNode | ox.Literal) -> list[ox.Triple]:
        """The triples of a CONSTRUCT or DESCRIBE query."""
        _, body = self._ask(query, params, "ntriples")
        return [q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]

    def _per_version(self, key: str, compute: Callable[[], T]) -> T:
        """compute(), once per dataset version."""
        known = self._memo.get(key)
        if known is None or known[0] != self.version:
            known = self._memo[key] = self.version, compute()
        return known[1]  # type: ignore[return-value]

    def class_counts(self) -> dict[str, int]:
        """Class IRI -> its instances in the dataset (a scan of every rdf:type triple: too
        costly to repeat for each description or page)."""
        return self._per_version("classes", lambda: {
            row["class"].value: int(row["entities"].value) for row in self.select(CLASS_PARTITIONS)})

    def release(self) -> dict[str, ox.Literal | ox.NamedNode]:
        """The ontology's owl:versionInfo (`version`) and dcterms:license (`license`), if it states them."""
        return self._per_version("release", lambda: next(iter(
            self.select(RELEASE, o=ox.NamedNode(str(self.iris.ontology)))), {}))

    # ------------------------------------------------------------ service description

    def description(self, endpoint: str) -> list[ox.Triple]:
        def iri(v: str) -> ox.NamedNode:
            return ox.NamedNode(v)

        def lit(v: int) -> ox.Literal:
            return ox.Literal(str(v), datatype=iri("http://www.w3.org/2001/XMLSchema#integer"))

        a = iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
        service, dataset, default = iri(endpoint), ox.BlankNode("dataset"), ox.BlankNode("default")
        triples = [
            ox.Triple(service, a, iri(SD + "Service")),
            ox.Triple(service, iri(SD + "endpoint"), service),
            ox.Triple(service, iri(SD + "supportedLanguage"), iri(SD + "SPARQL11Query")),
            ox.Triple(service, iri(SD + "feature"), iri(SD + "UnionDefaultGraph")),
            ox.Triple(service, iri(SD + "defaultDataset"), dataset),
            ox.Triple(dataset, a, iri(SD + "Dataset")),
            ox.Triple(dataset, a, iri(VOID + "Dataset")),
            ox.Triple(dataset, iri(VOID + "sparqlEndpoint"), service),
            ox.Triple(dataset, iri(VOID + "triples"), lit(self.store.triples)),
            ox.Triple(dataset, iri("http://purl.org/dc/terms/title"), ox.Literal("ERKG – Executive Roles Knowledge Graph", language="en")),
            ox.Triple(dataset, iri(SD + "defaultGraph"), default),
            ox.Triple(default, a, iri(SD + "Graph")),
            # The default graph is the union of all named graphs.
            ox.Triple(default, iri(VOID + "triples"), lit(self.store.triples)),
        ]
        release = self.release()
        if "version" in release:
            triples.append(ox.Triple(dataset, iri(OWL + "versionInfo"), release["version"]))
        if "license" in release:
            triples.append(ox.Triple(dataset, iri(DCTERMS + "license"), release["license"]))
        if self.settings.dataset.is_file():
            modified = datetime.fromtimestamp(self.settings.dataset.stat().st_mtime, UTC).replace(microsecond=0)
            triples.append(ox.Triple(dataset, iri(DCTERMS + "modified"), ox.Literal(
                modified.isoformat().replace("+00:00", "Z"), datatype=iri(XSD + "dateTime"))))
        for name in dumps(self.settings.dataset, rdf_only=True):
            triples.append(ox.Triple(dataset, iri(VOID + "dataDump"), iri(urljoin(endpoint, f"download/{name}"))))
        for i, (cls, n) in enumerate(sorted(self.class_counts().items())):
            partition = ox.BlankNode(f"class{i}")
            triples += [
                ox.Triple(dataset, iri(VOID + "classPartition"), partition),
                ox.Triple(partition, iri(VOID + "class"), iri(cls)),
                ox.Triple(partition, iri(VOID + "entities"), lit(n)),
            ]
        for name in sorted(FORMATS):
            triples.append(ox.Triple(service, iri(SD + "resultFormat"), iri(FORMATS_NS + W3C_FORMATS[name])))
        for i, (graph, n) in enumerate(sorted(self.store.graphs.items())):
            if not graph:
                continue
            named, g = ox.BlankNode(f"named{i}"), ox.BlankNode(f"graph{i}")
            triples += [
                ox.Triple(dataset, iri(SD + "namedGraph"), named),
                ox.Triple(named, a, iri(SD + "NamedGraph")),
                ox.Triple(named, iri(SD + "name"), iri(graph)),
                ox.Triple(named, iri(SD + "graph"), g),
                ox.Triple(g, a, iri(SD + "Graph")),
                ox.Triple(g, iri(VOID + "triples"), lit(n)),
            ]
        return triples

    def description_response(self, request: Request, requested: str | None) -> Response:
        """The service description in the `format` asked for (406 if it is none of the
        RDF formats), else by Accept, else (whatever Accept says) as Turtle."""
        fmt = negotiate(OFFERS["graph"], request.headers.get("accept"), requested)
        if fmt is None and requested:
            return PlainTextResponse(refusal(OFFERS["graph"], None, requested, "with the service description in ")
                                     + "\n", status_code=406)
        if fmt is None:
            fmt = GRAPH_FORMATS["turtle"]
        endpoint = str(request.url.replace(query=""))
        try:  # the endpoint's IRI comes from the Host header, which may hold anything
            ox.NamedNode(endpoint)
        except ValueError as e:
            return PlainTextResponse(f"the service description names this endpoint by the URL it was asked "
                                     f"at, and {endpoint!r} is not an IRI ({e}): check the Host header\n",
                                     status_code=400)
        body = ox.serialize(self.description(endpoint), format=fmt.rdf_format,
                            prefixes={"sd": SD, "void": VOID, "formats": FORMATS_NS, "dcterms": DCTERMS, "owl": OWL})
        return Response(body, media_type=fmt.content_type, headers={"Vary": "Accept"})

    def ui_page(self) -> Response:
        from .ui import page
        return page(self)


async def get_service(request: Request) -> Service:
    # async: a plain def would cost every request a hop through the thread pool
    return request.app.state.service
