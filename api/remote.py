"""A remote SPARQL 1.1 endpoint as the service's engine (SPARQLWrapper over HTTP).

For deployments that outgrow one process: Oxigraph server, Virtuoso, Fuseki,
GraphDB or Neptune answer, loaded with `erkg load`. The engine must take the
union of its named graphs as the default graph (Virtuoso and GraphDB do;
Oxigraph server with --union-default-graph; Fuseki with unionDefaultGraph).

The service's contract holds as with the embedded engine: the answer is
negotiated here, and the engine is always asked for one wire format per kind
of answer (SPARQL JSON results, N-Triples), which pyoxigraph rewrites into the
format the client wants: engines differ in how they write the other formats
(Virtuoso's CSV and TSV, its JSON booleans as "1"), and so every engine's
answers are written the same way. Answers asked for in the wire format stream
through as the engine wrote them; a rewritten one is held whole while it is
rewritten. Parameters are bound in the query text (Request.bound_text: a
VALUES block, and the value itself in expressions and nested groups, as
substitution binds them). An engine that is down, refuses or is too slow gives Unavailable or
QueryTimeout (503) within the time limit, and every query opens a new
connection, so the service recovers by itself once the engine is back. At most
`concurrency` queries are sent at once.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import socket
import threading
import time
import urllib.error
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPException, HTTPResponse

import pyoxigraph as ox
from SPARQLWrapper import SPARQLWrapper
from SPARQLWrapper import SPARQLExceptions as sw_errors

from kg.formats import Format, by_name
from kg.sparql_http import Redirected, engine_said, graph_sizes_query, sparql_client
from kg.sparql_text import query_form
from kg.store import DatasetStats

from .engine import Answer, Busy, EvaluationError, NotAcceptable, QuerySyntaxError, QueryTimeout, Request, Unavailable
from .formats import negotiate, offers

log = logging.getLogger("erkg")

CHUNK = 1 << 16
KINDS = {"SELECT": "solutions", "ASK": "boolean", "CONSTRUCT": "graph", "DESCRIBE": "graph"}
# Not XML results: pyoxigraph 0.5 trims white space off the literals it reads from them.
WIRE = {"solutions": by_name("json"), "boolean": by_name("json"), "graph": by_name("ntriples")}


class RemoteEngine:
    isolated = False  # the engine's own host decides what it may reach; the SERVICE check guards

    def __init__(self, url: str, *, base: str, timeout: float = 30.0, concurrency: int = 8,
                 queue_timeout: float = 5.0, user: str | None = None, password: str | None = None,
                 auth: str = "basic", stats_interval: float = 60.0) -> None:
        self.url, self.base, self.timeout, self.queue_timeout = url, base, timeout, queue_timeout
        self.user, self.password, self.auth = user, password, auth
        self._slots = threading.BoundedSemaphore(concurrency)
        # Threads for ask_async: beyond `concurrency`, they wait for a slot (at most queue_timeout).
        self._threads = ThreadPoolExecutor(concurrency + 4, thread_name_prefix="erkg-remote")
        self._stats = DatasetStats("unknown", 0, {})
        self._stats_stop = threading.Event()
        self._refresh_stats()
        self._stats_thread = threading.Thread(target=self._keep_stats, args=(stats_interval,),
                                              name="erkg-remote-stats", daemon=True)
        self._stats_thread.start()

    # ------------------------------------------------------------------ the contract

    @property
    def stats(self) -> DatasetStats:
        return self._stats

    def ask(self, request: Request) -> Answer:
        form = query_form(request.query)
        if form is None:
            raise QuerySyntaxError("not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
        kind = KINDS[form]
        fmt = negotiate(offers(kind), request.accept, request.format)
        if fmt is None:
            raise NotAcceptable(kind)
        text = self._text(request)
        if not self._slots.acquire(timeout=self.queue_timeout):
            raise Busy("all connections to the SPARQL engine are busy; try again shortly")
        deadline = time.monotonic() + self.timeout
        try:
            response = self._send(text, form, request, WIRE[kind])
        except BaseException:
            self._slots.release()
            raise
        return self._answer(kind, fmt, response, deadline)  # its chunks release the slot

    async def ask_async(self, request: Request) -> Answer:
        return await asyncio.get_running_loop().run_in_executor(self._threads, self.ask, request)

    def close(self) -> None:
        self._stats_stop.set()
        self._threads.shutdown(wait=False, cancel_futures=True)

    # ------------------------------------------------------------------ one query

    def _text(self, request: Request) -> str:
        """The query as the remote must see it: the base, the prefixes and the bound
        parameters, which the embedded engine also takes beside the text, written into it."""
        try:
            text = request.bound_text()
        except ValueError as e:
            raise QuerySyntaxError(str(e)) from None
        prologue = [f"PREFIX {p}: <{ns}>" for p, ns in (request.prefixes or {}).items()]
        if request.base_iri:
            prologue.insert(0, f"BASE <{request.base_iri}>")
        return "\n".join([*prologue, text])

    def _client(self, text: str, form: str, accept: str) -> SPARQLWrapper:
        client = sparql_client(self.url, timeout=self.timeout, user=self.user, password=self.password,
                               auth=self.auth)
        client.setOnlyConneg(True)  # no format=/output= parameters: Accept alone
        client.setQuery(text)
        client.queryType = form  # known already; SPARQLWrapper's guess may take a query for an update
        client.addCustomHttpHeader("Accept", accept)
        return client

    def _send(self, text: str, form: str, request: Request, fmt: Format) -> HTTPResponse:
        client = self._client(text, form, fmt.media_type)
        for graph in request.default_graphs:
            client.addParameter("default-graph-uri", graph)
        for graph in request.named_graphs:
            client.addParameter("named-graph-uri", graph)
        try:
            return client.query().response
        except sw_errors.QueryBadFormed as e:
            raise QuerySyntaxError(f"the SPARQL engine refused the query: {engine_said(e)}") from None
        except (sw_errors.EndPointNotFound, sw_errors.Unauthorized) as e:
            raise Unavailable(f"the SPARQL engine at {self.url} refused the request ({type(e).__name__}): "
                              "check ERKG_ENDPOINT and its credentials") from None
        except sw_errors.URITooLong:
            raise EvaluationError("the SPARQL engine refused the query as too long") from None
        except sw_errors.EndPointInternalError as e:
            raise EvaluationError(f"the SPARQL engine failed on the query: {engine_said(e)}") from None
        except Redirected as e:
            raise Unavailable(f"the SPARQL engine cannot be asked: {e.msg}") from None
        except urllib.error.HTTPError as e:
            if e.code >= 500:
                raise Unavailable(f"the SPARQL engine at {self.url} answered {e.code}; try again shortly") from None
            raise EvaluationError(f"the SPARQL engine refused the query ({e.code}): {engine_said(e)}") from None
        except (TimeoutError, socket.timeout):
            raise self._timeout() from None
        except (urllib.error.URLError, OSError, HTTPException) as e:
            reason = getattr(e, "reason", e)
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise self._timeout() from None
            raise Unavailable(f"the SPARQL engine at {self.url} cannot be reached ({reason}); "
                              "try again shortly") from None

    def _timeout(self) -> QueryTimeout:
        return QueryTimeout(f"the SPARQL engine did not answer within the time limit of {self.timeout:g} s")

    def _answer(self, kind: str, fmt: Format, response: HTTPResponse, deadline: float) -> Answer:
        """Whole if the answer fits one chunk (the slot freed at once), else streamed;
        rewritten into `fmt` from the format the engine answered in, if another."""
        media = (response.headers.get("content-type") or "").split(";")[0].strip().lower()
        chunks = self._chunks(response, deadline)
        if media not in (fmt.media_type, *fmt.aliases):
            return Answer(kind, fmt.name, _convert(kind, media, b"".join(chunks), fmt))
        first = b""
        for chunk in chunks:
            first += chunk
            if len(first) >= CHUNK:
                return Answer(kind, fmt.name, None, _chain(first, chunks))
        return Answer(kind, fmt.name, first)

    def _chunks(self, response: HTTPResponse, deadline: float) -> Iterator[bytes]:
        try:
            while True:
                if time.monotonic() > deadline:
                    raise self._timeout()
                try:
                    chunk = response.read(CHUNK)
                except (TimeoutError, socket.timeout):
                    raise self._timeout() from None
                except (OSError, HTTPException) as e:
                    raise Unavailable(f"the SPARQL engine broke off its answer ({e})") from None
                if not chunk:
                    return
                yield chunk
        finally:
            response.close()
            self._slots.release()

    # ------------------------------------------------------------------ statistics

    def _refresh_stats(self) -> None:
        """Read the dataset's size; its version changes with it. Kept as it was while
        the engine is down."""
        try:
            answer = self.ask(Request(graph_sizes_query(self.base), format="json"))
            rows = ox.parse_query_results(answer.read(), format=ox.QueryResultsFormat.JSON)
            graphs = {row["g"].value: int(row["n"].value) for row in rows}
        except Exception as e:  # noqa: BLE001 — any failure: keep the last reading, try again later
            log.warning("cannot read the dataset's size from %s: %s", self.url, e)
            return
        total = sum(graphs.values())
        digest = hashlib.blake2b(json.dumps([self.url, sorted(graphs.items())]).encode(), digest_size=16)
        self._stats = DatasetStats(digest.hexdigest(), total, {"": 0, **graphs})

    def _keep_stats(self, interval: float) -> None:
        while not self._stats_stop.wait(interval):
            self._refresh_stats()


def _chain(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


def _convert(kind: str, media: str, body: bytes, fmt: Format) -> bytes:
    """An answer the engine gave in another format than asked, in the format asked."""
    try:
        if kind == "graph":
            source = ox.RdfFormat.from_media_type(media)
            if source is None:
                raise ValueError(f"unknown RDF media type {media!r}")
            return fmt.write(ox.parse(body, format=source))
        source = ox.QueryResultsFormat.from_media_type(media)
        if source is None:
            raise ValueError(f"unknown results media type {media!r}")
        return fmt.write(ox.parse_query_results(body, format=source))
    except (ValueError, SyntaxError) as e:
        raise Unavailable(f"the SPARQL engine's answer cannot be read as {media or 'an unnamed format'} "
                          f"to give it as {fmt.media_type}: {e}") from None
