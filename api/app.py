"""The FastAPI application: a thin shell that mounts the routers.

The query engine (embedded, or a remote SPARQL endpoint) and the cache live in
one Service, created at start-up from the Settings and closed at shutdown.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from kg.errors import ErkgError
from kg.namespaces import Iris
from kg.store import lease, materialize

from . import docs, downloads, pages, problems, rest, sparql, ui
from .embedded import Pool, Source
from .engine import Engine, EngineError
from .hosts import Hosts
from .remote import RemoteEngine
from .service import Service, switch_on_hangup
from .settings import Settings


log = logging.getLogger("erkg")


def create_service(settings: Settings) -> Service:
    return Service(settings, create_engine(settings))


def create_engine(settings: Settings) -> Engine:
    if settings.endpoint and settings.source_texts != "full":
        # A remote engine serves what was loaded into it; ERKG cannot leave the texts out there.
        raise ErkgError("ERKG_SOURCE_TEXTS=quotes works with the embedded engine only: a remote endpoint "
                        "(ERKG_ENDPOINT) would serve the full texts it was loaded with")
    return remote_engine(settings) if settings.endpoint else embedded_engine(settings)


def left_out(settings: Settings) -> frozenset[str]:
    """Predicates whose triples the served dataset leaves out: the full source texts, where the
    deployment shows the quoted sentences only (ERKG_SOURCE_TEXTS=quotes)."""
    return frozenset() if settings.source_texts == "full" else frozenset({str(Iris(settings.base).erkg["text"])})


def embedded_engine(settings: Settings) -> Engine:
    # The version the file has now, in a snapshot that a rebuild does not replace: the
    # pool's replacement workers load the same version as the first ones.
    held = lease(settings.dataset, settings.store_cache, leave_out=left_out(settings))
    in_memory = settings.store == "memory" or (settings.store == "auto" and fits_in_memory(settings))
    try:
        if in_memory:  # no on-disk store: the first worker counts the graphs
            source, stats = Source(held.dataset, version=held.version), None
        else:
            stats = materialize(held.dataset, settings.store_cache, held.version)
            source = Source(held.dataset, stats.path)
        pool = Pool(source, workers=settings.query_workers, reserved=settings.reserved_workers,
                    timeout=settings.timeout, queue_timeout=settings.queue_timeout, stats=stats,
                    query_memory=settings.query_memory << 20, lease=held)
    except (ErkgError, EngineError) as e:  # named by the snapshot's name: name the file as given
        held.release()
        raise type(e)(str(e).replace(str(held.dataset), str(settings.dataset))
                      .replace(held.dataset.name, settings.dataset.name)) from None
    except BaseException:
        held.release()
        raise
    log.info("serving %s (%d triples, %s) with %d query workers and %d more for the API%s", settings.dataset,
             pool.stats.triples, "in memory" if in_memory else "on-disk store", settings.query_workers,
             settings.reserved_workers,
             ", without network access" if pool.isolated else
             "; workers could not be cut off from the network, SERVICE is refused by the query check alone")
    return pool


# Resident memory of a pyoxigraph in-memory store per byte of its N-Quads file
# (measured: 392 MB for the 185 MB file of 10^6 synthetic quads), with some room.
MEMORY_PER_FILE_BYTE = 2.5


def fits_in_memory(settings: Settings) -> bool:
    size = settings.dataset.stat().st_size
    if settings.memory_store_max_bytes is not None:
        return size <= settings.memory_store_max_bytes
    copies = settings.query_workers + settings.reserved_workers
    return size * MEMORY_PER_FILE_BYTE * copies <= available_memory() / 2


def available_memory() -> int:
    """Bytes of memory available to new processes (Linux's estimate, else the free pages)."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")


def remote_engine(settings: Settings) -> Engine:
    password = settings.endpoint_password.get_secret_value() if settings.endpoint_password else None
    engine = RemoteEngine(str(settings.endpoint), base=settings.base, timeout=settings.timeout,
                          concurrency=settings.query_workers, queue_timeout=settings.queue_timeout,
                          user=settings.endpoint_user, password=password, auth=settings.endpoint_auth,
                          stats_interval=settings.endpoint_stats_interval)
    log.info("answering from the SPARQL endpoint %s (%d triples in %d graphs)", settings.endpoint,
             engine.stats.triples, len(engine.stats.graphs) - 1)
    return engine


class App(FastAPI):
    """The FastAPI app, except that requests for /sparql, the hottest path, are answered
    before its middleware stack (api.sparql.serve), that HEAD is GET everywhere, and that
    every request's Host is checked and replaced first (api.hosts), /sparql's included.
    (The size of the headers and the time they may take are limited by the server:
    api.connections.)"""

    hosts: Hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._handle(scope, receive, send)
            return
        with self.state.service.pinned():  # one dataset version for all the request asks (Service.switch)
            await self._handle(scope, receive, send)

    async def _handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (refusal := self.hosts.refusal(scope)) is not None:
            await problems.problem(400, refusal, scope["path"], "Unknown host")(scope, receive, send)
        elif sparql.is_sparql_request(scope):
            await sparql.serve(scope, receive, send, self.state.service)
        elif scope["type"] == "http" and scope["method"] == "HEAD":
            # HEAD is a GET without the body (RFC 9110, 9.3.2): the routes see a GET, and
            # the server, whose scope still says HEAD, sends the headers only.
            await super().__call__({**scope, "method": "GET"}, receive, send)
        else:
            await super().__call__(scope, receive, send)


def operation_id(route: APIRoute) -> str:
    """An OpenAPI operationId clients can use as a method name: the route's name in camel
    case (list_findings -> listFindings; query-posts -> queryPosts)."""
    first, *rest = re.split(r"[_\W]+", route.name)
    return first + "".join(word[:1].upper() + word[1:] for word in rest)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.service = create_service(settings)
        stop_switching = switch_on_hangup(app.state.service, lambda: create_engine(settings))
        try:
            yield
        finally:
            stop_switching()
            app.state.service.close()

    app = App(title="ERKG", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None,
              generate_unique_id_function=operation_id,
              description="ERKG, the Executive Roles Knowledge Graph: who in a company's leadership is "
                          "responsible for what, and what studies say about it, every fact traced to its "
                          "sentence. SPARQL 1.1 endpoint at /sparql, JSON REST API under /api/v1 (named "
                          "queries under /api/v1/queries), Linked Data pages for every IRI.")
    app.hosts = Hosts(settings)
    sparql.document(app)
    docs.install(app)  # /docs and /redoc, with their assets from this server and a Content-Security-Policy
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=False,
                       allow_methods=["GET", "POST"], allow_headers=["*"], expose_headers=sparql.EXPOSED_HEADERS)
    problems.install(app)
    app.include_router(rest.router)
    rest.add_named_query_routes(app, settings)  # one endpoint per queries/*.rq, listed in /docs
    app.include_router(pages.router)
    app.include_router(downloads.router)
    # The query UI's assets (the page itself is GET /sparql for a browser): YASGUI
    # as npm installed it, and the page's own script. Missing YASGUI is a 404 and
    # a note on the page, not a failed start.
    app.mount(ui.YASGUI_PATH, StaticFiles(directory=ui.YASGUI_ASSETS, check_dir=False), name="yasgui")
    app.mount(ui.STATIC_PATH, StaticFiles(directory=ui.STATIC), name="ui-static")
    return app
