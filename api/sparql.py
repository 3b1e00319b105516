"""The SPARQL 1.1 Protocol endpoint (queries only): GET and POST at /sparql.

The graph is rebuilt from its sources, never edited over HTTP: updates are
refused. A query never leaves this machine: SERVICE is refused before
evaluation. Relative IRIs in a query resolve against the project's base IRI
(Settings.base), the same for every client. Answers small enough are cached;
`X-Cache: hit` or `miss` says whether one came from the cache.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Request
from fastapi.responses import PlainTextResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from kg.sparql_text import has_dataset_clause, uses_service

from .engine import EngineError, NotAcceptable
from .engine import Request as EngineRequest
from .formats import FORMATS, OFFERS
from .service import Service, get_service
from .ui import wants_html

router = APIRouter(tags=["SPARQL"])

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
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
    if request.method == "GET":
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
        body = await _body(request, service.settings.max_body)
        try:
            return body.decode("utf-8"), url_params
        except UnicodeDecodeError as e:
            raise ProtocolError(400, f"the query in the request body is not valid UTF-8 (byte {e.start})") from None
    raise ProtocolError(415, f"unsupported content type {media or '(none)'!r}: POST a query as {DIRECT} "
                             f"or as {FORM} with a 'query' parameter")


@router.get("/sparql", summary="SPARQL 1.1 query (GET), service description or query UI",
            operation_id="sparql_get",
            response_description="query results, the service description, or the query UI")
@router.post("/sparql", summary="SPARQL 1.1 query (POST form or application/sparql-query)",
             operation_id="sparql_post", response_description="query results")
async def sparql(request: Request, service: Annotated[Service, Depends(get_service)]) -> Response:
    try:
        return await _answer(request, service)
    except ProtocolError as e:
        return error_response(e.status, str(e))
    except EngineError as e:
        return error_response(e.status, str(e), {"Retry-After": "1"} if e.status == 503 else None)


@router.api_route("/sparql", methods=["PUT", "DELETE", "PATCH", "OPTIONS"], include_in_schema=False)
async def other_methods(request: Request) -> Response:
    return error_response(405, f"{request.method} is not allowed here: query with GET or POST",
                          {"Allow": "GET, POST"})


async def _answer(request: Request, service: Service) -> Response:
    query, params = await _read_request(request, service)
    if query is None:
        if request.method == "POST":
            raise ProtocolError(400, "no query: give the SPARQL query in the 'query' parameter")
        if wants_html(request.headers.get("accept")):
            return service.ui_page()
        return service.description_response(request)
    if not query.strip():
        raise ProtocolError(400, "the query is empty")
    limit = service.settings.max_query_length
    if len(query) > limit:
        raise ProtocolError(413, f"the query is {len(query)} characters long; the limit is {limit}")
    default_graphs = tuple(v for k, v in params if k == "default-graph-uri")
    named_graphs = tuple(v for k, v in params if k == "named-graph-uri")
    requested = _single(params, "format")
    accept = request.headers.get("accept")
    base_iri = service.settings.base
    etag = service.etag(query, "\x1e".join(default_graphs), "\x1e".join(named_graphs),
                 accept or "", requested or "", base_iri)
    headers = {"ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept"}
    known = service.known_answer(request, etag, headers)
    if known is not None:
        return known
    headers["X-Cache"] = "miss"
    # Checked after the cache: an answer there was checked when it was computed.
    if uses_service(query):
        raise ProtocolError(400, "SERVICE (federated query) is not allowed: this endpoint never "
                                 "makes outbound requests")

    engine_request = EngineRequest(
        query, default_graphs, named_graphs,
        # A protocol dataset replaces the query's; a FROM in the query replaces the union default graph.
        union_default_graph=not (default_graphs or named_graphs or has_dataset_clause(query)),
        base_iri=base_iri, accept=accept, format=requested,
    )
    try:
        answer = await service.engine.ask_async(engine_request)
    except NotAcceptable as e:
        offered = ", ".join(f.media_type for f in OFFERS[e.kind])
        asked = f"format {requested!r}" if requested else f"Accept: {accept}"
        raise ProtocolError(406, f"cannot answer this {e.kind} query as {asked}; available: {offered}") from None
    content_type = FORMATS[answer.format].content_type
    if answer.whole is not None:  # the common case: a small answer, the worker already free
        service.cache.put(etag, (answer.whole, content_type))
        return Response(answer.whole, media_type=content_type, headers=headers)

    # A larger answer: hold its first chunks so that one up to the cache limit still
    # gets a normal response and is cached; beyond that it streams.
    chunks = answer.chunks()
    held, finished = await run_in_threadpool(_prefetch, chunks, service.settings.cache_max_bytes)
    if finished:
        body = b"".join(held)
        service.cache.put(etag, (body, content_type))
        return Response(body, media_type=content_type, headers=headers)
    return StreamingResponse(_chain(held, chunks), media_type=content_type, headers=headers)


def _prefetch(chunks: Iterator[bytes], limit: int) -> tuple[list[bytes], bool]:
    """Chunks until more than `limit` bytes were read, and whether that was all of them."""
    held, size = [], 0
    for chunk in chunks:
        held.append(chunk)
        size += len(chunk)
        if size > limit:
            return held, False
    return held, True


def _chain(held: list[bytes], rest: Iterator[bytes]) -> Iterator[bytes]:
    yield from held
    yield from rest
