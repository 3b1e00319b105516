"""The running service: settings, the query engine, the answer cache, and the
SPARQL 1.1 Service Description built from the live dataset."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
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
from .fairness import ClientLimits
from .formats import FORMATS, GRAPH_FORMATS, OFFERS, negotiate, refusal
from .settings import Settings

log = logging.getLogger("erkg")
T = TypeVar("T")

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
FORMATS_NS = "http://www.w3.org/ns/formats/"
SH = "http://www.w3.org/ns/shacl#"
DCTERMS = "http://purl.org/dc/terms/"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
# Our format name -> its W3C format IRI (http://www.w3.org/ns/formats/).
W3C_FORMATS = {"json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML", "csv": "SPARQL_Results_CSV",
               "tsv": "SPARQL_Results_TSV", "turtle": "Turtle", "ntriples": "N-Triples",
               "rdfxml": "RDF_XML", "jsonld": "JSON-LD"}


# Instances per class in the whole dataset (the union default graph): VoID's class
# partitions, and the size shown on the home page.
CLASS_PARTITIONS = "SELECT ?class (COUNT(DISTINCT ?s) AS ?entities) WHERE { ?s a ?class FILTER(isIRI(?class)) } GROUP BY ?class"
# The version and licence the ontology states (?o is bound to its IRI), for VoID.
RELEASE = "SELECT ?o ?version ?license WHERE { GRAPH ?o { ?o owl:versionInfo ?version OPTIONAL { ?o dcterms:license ?license } } }"


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


class _Generation:
    """An engine of the service, and the requests that use it now."""

    def __init__(self, engine: Engine) -> None:
        self.engine, self.requests, self.retired = engine, 0, False


# The generation a request started with: every query and ETag of the request is of its version.
_PINNED: ContextVar[_Generation | None] = ContextVar("erkg_generation", default=None)


class Service:
    """Its engine is replaced by `switch` (on SIGHUP: api.app), atomically for the requests:
    each request is served from the engine it started with (`pinned`), whose version its
    ETags name, and an engine switched from is closed once no request uses it."""

    def __init__(self, settings: Settings, engine: Engine) -> None:
        self.settings = settings
        self._current = _Generation(engine)
        self.cache = LRUCache(settings.cache_entries)
        self._memo: dict[str, tuple[str, object]] = {}  # see _per_version
        self.clients = ClientLimits(settings)  # each client's share of the SPARQL workers

    @property
    def engine(self) -> Engine:
        return (_PINNED.get() or self._current).engine

    @contextmanager
    def pinned(self) -> Iterator[None]:
        """Serve the request within from the engine of now, however long it takes and whatever
        switch comes meanwhile. On the event loop only (as `switch`): the counts need no lock."""
        generation = self._current
        generation.requests += 1
        token = _PINNED.set(generation)
        try:
            yield
        finally:
            _PINNED.reset(token)
            generation.requests -= 1
            if generation.retired and not generation.requests:
                _close_later(generation.engine)

    def switch(self, engine: Engine) -> None:
        """Serve new requests from `engine`; the old one is closed once its requests are done.
        On the event loop only."""
        old, self._current = self._current, _Generation(engine)
        self.cache = LRUCache(self.settings.cache_entries)  # the old answers' ETags are of the old version
        old.retired = True
        if not old.requests:
            _close_later(old.engine)

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
    def prefixes(self) -> dict[str, str]:
        """The prefixes every query may use undeclared: `erkg query`'s (Iris.prefixes)."""
        return self.iris.prefixes()

    @cached_property
    def named_queries(self) -> dict[str, NamedQuery]:
        return load_named_queries(self.settings.queries)

    def close(self) -> None:
        self._current.engine.close()

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
        request = EngineRequest(query, base_iri=self.settings.base, prefixes=self.prefixes,
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
            return ox.Literal(str(v), datatype=iri(XSD + "integer"))

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
        for name in dumps(self.settings.dataset, rdf_only=True, source_texts=self.settings.source_texts == "full"):
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
        # The predeclared prefixes as SHACL prefix declarations (the W3C vocabulary for
        # them, which SIB's SPARQL editor reads from its endpoints).
        for i, (prefix, namespace) in enumerate(self.prefixes.items()):
            declared = ox.BlankNode(f"prefix{i}")
            triples += [
                ox.Triple(service, iri(SH + "declare"), declared),
                ox.Triple(declared, a, iri(SH + "PrefixDeclaration")),
                ox.Triple(declared, iri(SH + "prefix"), ox.Literal(prefix)),
                ox.Triple(declared, iri(SH + "namespace"), ox.Literal(namespace, datatype=iri(XSD + "anyURI"))),
            ]
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
        return triples + entailment(service, self.store.graphs, str(self.iris.inferred))

    def description_response(self, request: Request, requested: str | None) -> Response:
        """The service description in the format asked for (`requested`, from the request's
        parameters as for a query: a 406 if it is no RDF format), else by Accept, else
        (whatever Accept says) as Turtle."""
        fmt = negotiate(OFFERS["graph"], request.headers.get("accept"), requested)
        if fmt is None and requested:
            return PlainTextResponse(refusal(OFFERS["graph"], None, requested, "with the service description in ")
                                     + "\n", status_code=406)
        if fmt is None:
            fmt = GRAPH_FORMATS["turtle"]
        # The public base URL's or the server's address, never the client's Host (api.hosts)
        endpoint = str(request.url.replace(query=""))
        body = ox.serialize(self.description(endpoint), format=fmt.rdf_format,
                            prefixes={"sd": SD, "void": VOID, "formats": FORMATS_NS, "dcterms": DCTERMS, "owl": OWL,
                                      "sh": SH})
        return Response(body, media_type=fmt.content_type, headers={"Vary": "Accept"})

    def ui_page(self) -> Response:
        from .ui import page
        return page(self)


ENTAILMENT = "http://www.w3.org/ns/entailment/"
OWL_PROFILE = "http://www.w3.org/ns/owl-profile/"
RDFS_COMMENT = "http://www.w3.org/2000/01/rdf-schema#comment"


def entailment(service: ox.NamedNode, graphs: dict[str, int], inferred: str) -> list[ox.Triple]:
    """The entailment regime of the default graph, if the dataset holds the inferred graph
    (kg/entail.py): a materialized subset of OWL 2 RL, which the service names as the
    RDF-Based Semantics restricted to the RL profile, with a comment on what is left out.
    Each named graph by itself is queried under simple entailment."""
    if inferred not in graphs:
        return []
    regime, simple = ox.NamedNode(ENTAILMENT + "OWL-RDF-Based"), ox.NamedNode(ENTAILMENT + "Simple")
    comment = ("The default graph (the union of the named graphs) includes <" + inferred + ">, which the build "
               "fills with what the ontology entails about the individuals by a subset of the OWL 2 RL/RDF rules: "
               "cax-sco, cax-eqc (class hierarchy, equivalent classes), prp-spo1, prp-eqp (property hierarchy, "
               "equivalent properties), prp-dom, prp-rng (domain and range typing by named classes), prp-inv "
               "(inverse properties), prp-symp (symmetric properties). Only assertions about individuals are "
               "materialized: no schema triples, no owl:Thing, no rdfs:Resource, no owl:sameAs; other OWL 2 "
               "entailments are not. Answers are therefore sound but not complete for the OWL 2 RDF-Based "
               "Semantics. Name the other graphs as default-graph-uri to query what is asserted only.")
    triples = [
        ox.Triple(service, ox.NamedNode(SD + "defaultEntailmentRegime"), regime),
        ox.Triple(service, ox.NamedNode(SD + "defaultSupportedEntailmentProfile"), ox.NamedNode(OWL_PROFILE + "RL")),
        ox.Triple(service, ox.NamedNode(RDFS_COMMENT), ox.Literal(comment, language="en")),
    ]
    for i, graph in enumerate(sorted(graphs)):
        if not graph:
            continue
        named = ox.BlankNode(f"named{i}")  # as in Service.description
        triples.append(ox.Triple(named, ox.NamedNode(SD + "entailmentRegime"), regime if graph == inferred else simple))
    return triples


def switch_on_hangup(service: Service, make_engine: Callable[[], Engine]) -> Callable[[], None]:
    """On SIGHUP, make a new engine (on a thread: the old one answers meanwhile), of the dataset
    as it is then, and switch the service to it. Returns the function that stops listening.
    Only the event loop of a process's main thread can handle signals."""
    loop = asyncio.get_running_loop()
    switching: set[asyncio.Task] = set()

    async def switch() -> None:
        log.info("SIGHUP: loading the dataset %s anew", service.settings.dataset)
        try:
            engine = await asyncio.to_thread(make_engine)
        except Exception as e:  # noqa: BLE001 — whatever failed, the old version goes on serving
            log.error("SIGHUP: cannot switch, still serving version %s: %s", service.version[:12], e)
            return
        old = service.version
        service.switch(engine)
        log.info("SIGHUP: switched from version %s to %s (%d triples)", old[:12], engine.stats.version[:12],
                 engine.stats.triples)

    def hangup() -> None:
        if switching:
            log.warning("SIGHUP: a switch is under way; this one is ignored")
            return
        task = loop.create_task(switch())
        switching.add(task)
        task.add_done_callback(switching.discard)

    try:
        loop.add_signal_handler(signal.SIGHUP, hangup)
    except (ValueError, RuntimeError):  # not in the main thread (an app run by a test client): no switch
        log.warning("SIGHUP cannot be handled here; the served version stays until a restart")
        return lambda: None
    return lambda: loop.remove_signal_handler(signal.SIGHUP)


def _close_later(engine: Engine) -> None:
    """Close an engine on a thread of its own: closing waits for its processes to end."""
    threading.Thread(target=engine.close, name="erkg-close-engine", daemon=True).start()


async def get_service(request: Request) -> Service:
    # async: a plain def would cost every request a hop through the thread pool
    return request.app.state.service
