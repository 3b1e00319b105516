"""The running service: settings, the query engine (switched on SIGHUP), the answer
cache, the clients' shares of the workers, the templates, and what is computed once per
dataset version. Made once by the app's lifespan (api.app) and reached by the routes
through `ServiceDep`."""

from __future__ import annotations

import asyncio
import logging
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cached_property
from pathlib import Path
from typing import Annotated, TypeVar

import pyoxigraph as ox
from fastapi import Depends, Request

from kg.namespaces import Iris
from kg.queries import NamedQuery, load_queries
from kg.store import DatasetStats

from .cache import LRUCache
from .conditional import strong_etag
from .engine import Engine, EngineError, Refused
from .engine import Request as EngineRequest
from .fairness import ClientLimits
from .settings import Settings
from .templates import environment

log = logging.getLogger("erkg")
T = TypeVar("T")


# Instances per class in the whole dataset (the union default graph): VoID's class
# partitions, and the size shown on the home page.
CLASS_PARTITIONS = "SELECT ?class (COUNT(DISTINCT ?s) AS ?entities) WHERE { ?s a ?class FILTER(isIRI(?class)) } GROUP BY ?class"
# The version and licence the ontology states (?o is bound to its IRI), for VoID.
RELEASE = "SELECT ?o ?version ?license WHERE { GRAPH ?o { ?o owl:versionInfo ?version OPTIONAL { ?o dcterms:license ?license } } }"


def load_named_queries(directory: Path) -> dict[str, NamedQuery]:
    """The named queries a service offers: the .rq files of `directory` but the build checks
    (*-violation.rq). Also read when the app is made, for the REST API's routes."""
    return {n: q for n, q in load_queries(directory).items() if not q.is_check} if directory.is_dir() else {}


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
        self._memo: dict[str, tuple[str, object]] = {}  # see per_version
        self.clients = ClientLimits(settings)  # each client's share of the SPARQL workers
        self.templates = environment()

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

    # ------------------------------------------------------------ the service's own queries

    def _ask(self, query: str, params: dict | None, fmt: str) -> tuple[str, bytes]:
        """Run a query of the service itself (project prefixes predeclared, parameters
        bound by substitution, never pasted into the text) by the engine.
        Oxigraph substitutes only variables the query projects (SELECT * or named).
        Blocking: call from a sync route or a thread. The engine's refusal of the service's own
        query (a remote engine's dialect, or a bug) is not the client's fault: `Refused`."""
        request = EngineRequest(query, base_iri=self.settings.base, prefixes=self.prefixes,
                                substitutions={ox.Variable(k): v for k, v in (params or {}).items()},
                                format=fmt, internal=True)
        try:
            answer = self.engine.ask(request)
        except EngineError as e:
            if e.status >= 500:
                raise
            raise Refused(f"the query engine could not answer a query of the service: {e}") from e
        return answer.kind, answer.read()

    def solutions(self, query: str, **params: ox.NamedNode | ox.Literal) -> ox.QuerySolutions:
        """The solutions of a SELECT query (read once), in any engine's words the same."""
        _, body = self._ask(query, params, "json")
        return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)

    def select(self, query: str, **params: ox.NamedNode | ox.Literal) -> list[dict[str, ox.NamedNode | ox.Literal | ox.BlankNode]]:
        """Rows of a SELECT query as {variable: term} (unbound variables left out)."""
        solutions = self.solutions(query, **params)
        names = [v.value for v in solutions.variables]
        return [{n: row[n] for n in names if row[n] is not None} for row in solutions]

    def triples(self, query: str, **params: ox.NamedNode | ox.Literal) -> list[ox.Triple]:
        """The triples of a CONSTRUCT or DESCRIBE query."""
        _, body = self._ask(query, params, "ntriples")
        return [q.triple for q in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]

    def per_version(self, key: str, compute: Callable[[], T]) -> T:
        """compute(), once per dataset version (a request may see it computed twice at the
        first go: no lock is held while it runs, which may be on the event loop)."""
        known = self._memo.get(key)
        if known is None or known[0] != self.version:
            known = self._memo[key] = self.version, compute()
        return known[1]  # type: ignore[return-value]

    def class_counts(self) -> dict[str, int]:
        """Class IRI -> its instances in the dataset (a scan of every rdf:type triple: too
        costly to repeat for each description or page)."""
        return self.per_version("classes", lambda: {
            row["class"].value: int(row["entities"].value) for row in self.select(CLASS_PARTITIONS)})

    def release(self) -> dict[str, ox.Literal | ox.NamedNode]:
        """The ontology's owl:versionInfo (`version`) and dcterms:license (`license`), if it states them."""
        return self.per_version("release", lambda: next(iter(
            self.select(RELEASE, o=ox.NamedNode(str(self.iris.ontology)))), {}))


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


# The running service, as a route's parameter: the one way to the per-service state.
ServiceDep = Annotated[Service, Depends(get_service)]
