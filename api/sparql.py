"""The SPARQL 1.1 Protocol endpoint (queries only): GET and POST at /sparql.

The graph is rebuilt from its sources, never edited over HTTP: updates are
refused. A query never leaves this machine: SERVICE is refused before
evaluation. Relative IRIs in a query resolve against the project's base IRI
(Settings.base), the same for every client. The project's prefixes are
predeclared as `erkg query` predeclares them (kg.queries.run): a query's own
PREFIX wins. Answers small enough are cached, but not those of a query that
calls NOW, RAND, UUID, STRUUID or BNODE; `X-Cache: hit` or `miss` says whether
one came from the cache.

The answer's format is named by a `format`, `output` or `results` parameter
(clients written for other servers send one of the latter) or else by Accept;
see `requested_format`.

/sparql is the service's hottest path, so it is not a route: the app hands
its requests to `serve` before its middleware stack (api.app.App), skipping
the router, dependency injection and the error, telemetry, body-limit and CORS
middleware (benchmarks/README.md has the gains). `serve` adds the CORS headers
itself; a CORS preflight goes to the app's CORS middleware. Its OpenAPI entry
is declared here (PATH_ITEM) and added to the app's schema by `document`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Generator
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qsl

import anyio
from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import PlainTextResponse, Response, StreamingResponse
from starlette.types import Receive, Scope, Send

import pyoxigraph as ox

from kg.formats import TABLE, by_name, graph_formats, results_formats
from kg.sparql_text import (deepest_nesting, has_dataset_clause, is_update, is_volatile, undeclared_prefixes,
                            uses_service)

from . import ui
from .conditional import known_answer
from .description import description_response
from .engine import Answer, EngineError, NotAcceptable, QuerySyntaxError
from .engine import Request as EngineRequest
from .fairness import TooManyQueries
from .formats import is_format, offers, refusal
from .problems import engine_problem, problem
from .service import Service

PATH = "/sparql"
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
log = logging.getLogger("erkg")
READ_ONLY = ("this endpoint is read-only: ERKG is rebuilt from its curated sources, "
             "never updated over HTTP")


class ProtocolError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)


def _params(raw: bytes, where: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(raw.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError as e:
        raise ProtocolError(400, f"the {where} is not valid UTF-8 (byte {e.start})") from None


def _single(params: list[tuple[str, str]], name: str) -> str | None:
    values = [v for k, v in params if k == name]
    if len(values) > 1:
        raise ProtocolError(400, f"the parameter {name!r} is given {len(values)} times; give it once")
    return values[0] if values else None


# The parameters that name a format, in order of precedence: this server's `format` (also
# Virtuoso's, Fuseki's), and `output` and `results`, which SPARQLWrapper sends as well.
FORMAT_PARAMETERS = ("format", "output", "results")


def requested_format(params: list[tuple[str, str]]) -> str | None:
    """The format the parameters ask for, or None to let Accept decide: the first of
    FORMAT_PARAMETERS given once (not counting empty values) with a value that names a
    format. A value no format has, or a parameter given more than once (SPARQLWrapper
    sends `format=tsv&format=text/tab-separated-values`), is passed over, as Oxigraph
    server passes over them all. A format that does not fit the answer (CSV for a
    CONSTRUCT) stays asked for: that is a 406."""
    for name in FORMAT_PARAMETERS:
        values = [v for k, v in params if k == name and v.strip()]
        if len(values) == 1 and is_format(values[0]):
            return values[0].strip().lower()
    return None


async def _body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise ProtocolError(413, f"the request body is larger than the limit of {limit} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise ProtocolError(413, f"the request body is larger than the limit of {limit} bytes")
    return bytes(body)


def _charset(content_type: str) -> str | None:
    for param in content_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


async def _read_request(request: Request, service: Service) -> tuple[str | None, list[tuple[str, str]]]:
    """(query text or None, all parameters) from a GET or POST request."""
    url_params = _params(request.scope.get("query_string", b""), "query string")
    if any(k == "update" for k, _ in url_params):
        raise ProtocolError(403, READ_ONLY)
    if request.method in ("GET", "HEAD"):
        if request.headers.get("content-length", "0") != "0" or "transfer-encoding" in request.headers:
            raise ProtocolError(400, "a GET request carries no body: give the query in the 'query' "
                                     "parameter of the URL, or POST it")
        return _single(url_params, "query"), url_params
    content_type = request.headers.get("content-type", "")
    media = content_type.split(";")[0].strip().lower()
    if media == UPDATE:
        raise ProtocolError(403, READ_ONLY)
    charset = _charset(content_type)
    if media in (FORM, DIRECT) and charset not in (None, "utf-8", "utf8", "us-ascii"):
        raise ProtocolError(415, f"unsupported charset {charset!r}: send the request body in UTF-8")
    if media == FORM:
        params = url_params + _params(await _body(request, service.settings.max_body), "request body")
        if any(k == "update" for k, _ in params):
            raise ProtocolError(403, READ_ONLY)
        return _single(params, "query"), params
    if media == DIRECT:
        if any(k == "query" for k, _ in url_params):
            raise ProtocolError(400, f"a query POSTed as {DIRECT} is the request body: the 'query' parameter "
                                     "of the URL would be a second one; give one of them")
        body = await _body(request, service.settings.max_body)
        try:
            return body.decode("utf-8-sig"), url_params  # a byte order mark, as some editors save a file, is no text
        except UnicodeDecodeError as e:
            raise ProtocolError(400, f"the query in the request body is not valid UTF-8 (byte {e.start})") from None
    raise ProtocolError(415, f"unsupported content type {media or '(none)'!r}: POST a query as {DIRECT} "
                             f"or as {FORM} with a 'query' parameter")


# CORS as the app's middleware does it for everything else: any origin, no credentials.
EXPOSED_HEADERS = ("ETag", "X-Cache")
_VARY = (b"vary", b"Origin")
_CORS = [(b"access-control-allow-origin", b"*"), (b"access-control-expose-headers", ", ".join(EXPOSED_HEADERS).encode())]


def is_sparql_request(scope: Scope) -> bool:
    """True for an HTTP request for /sparql that is not a CORS preflight."""
    if scope["type"] != "http" or scope["path"].removeprefix(scope.get("root_path", "")) != PATH:
        return False
    if scope["method"] != "OPTIONS":
        return True
    names = {name for name, _ in scope["headers"]}
    return not (b"origin" in names and b"access-control-request-method" in names)


async def serve(scope: Scope, receive: Receive, send: Send, service: Service) -> None:
    """Answer an HTTP request for /sparql (see is_sparql_request)."""
    request = Request(scope, receive)
    try:
        response = await respond(request, service)
        response.raw_headers += [_VARY, *_CORS] if "origin" in request.headers else [_VARY]
        await response(scope, receive, send)
    except ClientDisconnect:  # gone while sending its request: no one to answer
        return
    finally:
        service.clients.release(scope)  # its query's share of the workers, if it had one (api.fairness)


async def respond(request: Request, service: Service) -> Response:
    if request.method not in ("GET", "HEAD", "POST"):
        return error_response(405, f"{request.method} is not allowed here: query with GET or POST",
                              {"Allow": "GET, HEAD, POST"})
    try:
        return await _answer(request, service)
    except ProtocolError as e:
        return error_response(e.status, str(e))
    except EngineError as e:  # the status and headers every route gives (api.problems)
        p = engine_problem(e)
        if isinstance(e, TooManyQueries):  # a problem document, as the REST API's clients get it
            return problem(p.status, p.detail, PATH, headers=p.headers)
        return error_response(p.status, p.detail, p.headers)  # plain text, as SPARQL clients show it


async def _answer(request: Request, service: Service) -> Response:
    query, params = await _read_request(request, service)
    if query is None:
        if request.method == "POST":
            raise ProtocolError(400, "no query: give the SPARQL query in the 'query' parameter")
        if ui.wants_html(request.headers.get("accept")):
            return ui.page(service)
        return description_response(service, request, requested_format(params))
    if not query.strip():
        raise ProtocolError(400, "the query is empty")
    limit = service.settings.max_query_length
    if len(query) > limit:
        raise ProtocolError(413, f"the query is {len(query)} characters long; the limit is {limit}")
    default_graphs = _graphs(params, "default-graph-uri")
    named_graphs = _graphs(params, "named-graph-uri")
    requested = requested_format(params)
    accept = request.headers.get("accept")
    base_iri = service.settings.base
    etag = service.etag(query, default_graphs, named_graphs, accept or "", requested or "", base_iri)
    headers = {"ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept"}
    known = known_answer(request, service.cache, etag, headers)
    if known is not None:
        return known
    headers["X-Cache"] = "miss"
    deadline = time.monotonic() + service.settings.timeout  # for the whole answer, sent
    # Checked after the cache (each scans the query): an answer there was checked when
    # it was computed, and neither an update nor a refused query is ever cached.
    if is_update(query):  # a malformed query to the protocol (400), but say what it is
        raise ProtocolError(400, f"this is a SPARQL Update, not a query; {READ_ONLY}")
    depth, at = deepest_nesting(query)
    if depth > service.settings.max_nesting:
        line = query.count("\n", 0, at) + 1
        column = at - query.rfind("\n", 0, at)
        raise ProtocolError(400, f"brackets nest {depth} levels deep in the query (the deepest at line {line}, "
                                 f"column {column}); the limit is {service.settings.max_nesting}")
    if uses_service(query):
        raise ProtocolError(400, "SERVICE (federated query) is not allowed: this endpoint never "
                                 "makes outbound requests")
    cacheable = not is_volatile(query)
    if not cacheable:  # nor may a client revalidate it: it has no ETag
        del headers["ETag"]
        headers["Cache-Control"] = "no-store"

    engine_request = EngineRequest(
        query, default_graphs, named_graphs,
        # A protocol dataset replaces the query's; a FROM in the query replaces the union default graph.
        union_default_graph=not (default_graphs or named_graphs or has_dataset_clause(query)),
        base_iri=base_iri, accept=accept, format=requested,
    )
    service.clients.admit(request.scope)  # released when the answer has been sent (serve)
    try:
        answer = await _ask(service, engine_request)
    except QuerySyntaxError as e:
        if unknown := [p for p in undeclared_prefixes(query) if p not in service.prefixes]:
            hint = ", ".join(f"'{p}:'" for p in unknown)
            raise ProtocolError(400, f"{e} (the query uses the prefix{'es' if len(unknown) > 1 else ''} {hint} "
                                     "without declaring it, and it is not one of the prefixes this endpoint "
                                     "declares (see its service description): add PREFIX … <…>)") from None
        raise
    except NotAcceptable as e:
        raise ProtocolError(406, refusal(offers(e.kind), accept, requested, f"this {e.kind} query as ")) from None
    content_type = by_name(answer.format).content_type
    if answer.whole is not None:  # the common case: a small answer, the worker already free
        if cacheable:
            service.cache.put(etag, (answer.whole, content_type))
        return Response(answer.whole, media_type=content_type, headers=headers)

    # A larger answer: hold its first chunks so that one up to the cache limit still
    # gets a normal response and is cached; beyond that it streams.
    chunks = answer.chunks()
    held, finished = await run_in_threadpool(_prefetch, chunks, service.settings.cache_max_bytes)
    if finished:
        body = b"".join(held)
        if cacheable:
            service.cache.put(etag, (body, content_type))
        return Response(body, media_type=content_type, headers=headers)
    return AnswerStream(held, chunks, deadline, media_type=content_type, headers=headers)


async def _ask(service: Service, request: EngineRequest) -> Answer:
    """The engine's answer, the project's prefixes predeclared. They are given only to a
    query that does not parse without them, which is then asked again: Oxigraph takes
    some 40-60 µs to read them, as long as many a query takes. A query that parses
    without them uses none of them undeclared, so its answer is the same."""
    try:
        return await service.engine.ask_async(request)
    except QuerySyntaxError:
        return await service.engine.ask_async(replace(request, prefixes=service.prefixes))


def _graphs(params: list[tuple[str, str]], name: str) -> tuple[str, ...]:
    """The values of a dataset parameter, each an absolute IRI."""
    graphs = tuple(v for k, v in params if k == name)
    for graph in graphs:
        try:
            ox.NamedNode(graph)
        except ValueError as e:
            raise ProtocolError(400, f"the parameter {name!r} must be an absolute IRI, not {graph!r} ({e})") from None
    return graphs


def _prefetch(chunks: Generator[bytes, None, None], limit: int) -> tuple[list[bytes], bool]:
    """Chunks until more than `limit` bytes were read, and whether that was all of them."""
    held, size = [], 0
    for chunk in chunks:
        held.append(chunk)
        size += len(chunk)
        if size > limit:
            return held, False
    return held, True


class AnswerStream(StreamingResponse):
    """An answer streamed from the engine, over by the query's deadline whatever the client does.

    The engine's worker stays busy until its answer is read: a client that stops reading
    (its socket full) or reads too slowly would hold it for good. So each chunk must go out
    by the deadline, and the engine's stream is closed as soon as the response ends, for
    whatever reason (done, cut off, client gone), not when it is collected. An answer cut
    off (the deadline, or the engine failing mid-answer) ends without its last chunk: the
    server then closes the connection, and the client sees the answer broken off, never
    a complete-looking 200."""

    def __init__(self, held: list[bytes], chunks: Generator[bytes, None, None], deadline: float, **kwargs: Any) -> None:
        super().__init__(held, **kwargs)  # sent by stream_response, then the rest
        self.held, self.chunks, self.deadline = held, chunks, deadline

    async def stream_response(self, send: Send) -> None:
        await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
        sent = 0
        try:
            for chunk in self.held:
                sent += await self._send(send, chunk)
            while (chunk := await run_in_threadpool(next, self.chunks, None)) is not None:
                sent += await self._send(send, chunk)
        except (EngineError, TimeoutError) as e:
            reason = str(e) if isinstance(e, EngineError) else "the client did not read it in time"
            log.warning("a SPARQL answer was cut off after %d bytes: %s", sent, reason)
            return
        finally:
            with anyio.CancelScope(shield=True):  # also when the client has gone
                await run_in_threadpool(self.chunks.close)  # frees the engine's worker
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    async def _send(self, send: Send, chunk: bytes) -> int:
        with anyio.fail_after(max(self.deadline - time.monotonic(), 0)):
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        return len(chunk)


# ---------------------------------------------------------------- OpenAPI entry

def _labels(formats: tuple) -> str:
    return ", ".join(f.label for f in formats)


_RESULTS = {
    "description": f"query results: {_labels(results_formats())} for SELECT and ASK, "
                   f"{_labels(graph_formats())} for CONSTRUCT and DESCRIBE",
    "content": {f.media_type: {"schema": {"type": "string"}} for f in TABLE},
}
_ERRORS = {
    "400": {"description": "a syntax error (with the parser's message and position), an update, a "
                           "repeated parameter, a dataset IRI that is not one, a body that is not UTF-8, "
                           "brackets nested too deep, or SERVICE"},
    "403": {"description": "an update: the endpoint is read-only"},
    "406": {"description": "no format the client accepts fits the kind of answer, or the `format` asked "
                           "for does not (CSV for a CONSTRUCT)"},
    "412": {"description": "a POST whose If-None-Match names the answer's ETag (a GET gets 304)"},
    "413": {"description": "the query or the request body is longer than the limit"},
    "415": {"description": "an unsupported content type or charset"},
    "429": {"description": "the client runs as many queries as it may at once, or has used its query time "
                           "per minute (Retry-After says when to try again)"},
    "503": {"description": "the query ran out of time, every query worker is busy, or the engine failed"},
}
_PARAMETERS = [
    {"name": "query", "in": "query", "schema": {"type": "string"},
     "description": "the SPARQL 1.1 query; without it, GET answers the service description "
                    "(or the query UI for a browser)"},
    {"name": "default-graph-uri", "in": "query", "schema": {"type": "array", "items": {"type": "string"}},
     "description": "a graph of the query's default graph (replaces FROM)"},
    {"name": "named-graph-uri", "in": "query", "schema": {"type": "array", "items": {"type": "string"}},
     "description": "a named graph of the query's dataset (replaces FROM NAMED)"},
    {"name": "format", "in": "query", "schema": {"type": "string"},
     "description": f"a format name ({', '.join(f.name for f in TABLE)}; json and xml name JSON-LD and "
                    "RDF/XML for a graph) or media type; overrides Accept. So do `output` and `results`. "
                    "Given more than once, or unknown, it is passed over"},
]
PATH_ITEM: dict[str, Any] = {
    "get": {
        "tags": ["SPARQL"], "operationId": "sparqlGet",
        "summary": "SPARQL 1.1 query (GET), service description or query UI",
        "parameters": _PARAMETERS,
        "responses": {"200": {"description": f"query results, the service description ({_labels(graph_formats())}) "
                                             "or the query UI (HTML)",
                              "content": {**_RESULTS["content"], "text/html": {"schema": {"type": "string"}}}},
                      **_ERRORS},
    },
    "post": {
        "tags": ["SPARQL"], "operationId": "sparqlPost",
        "summary": "SPARQL 1.1 query (POST form or application/sparql-query)",
        "parameters": _PARAMETERS[1:],
        "requestBody": {"required": True, "content": {
            FORM: {"schema": {"type": "object", "required": ["query"], "properties": {
                "query": {"type": "string"},
                "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                "named-graph-uri": {"type": "array", "items": {"type": "string"}},
            }}},
            DIRECT: {"schema": {"type": "string"}},
        }},
        "responses": {"200": _RESULTS, **_ERRORS},
    },
}


def document(app: FastAPI) -> None:
    """Add /sparql, which no FastAPI route serves, to the app's OpenAPI schema."""
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            FastAPI.openapi(app)["paths"][PATH] = PATH_ITEM
        return app.openapi_schema

    app.openapi = openapi
