"""Downloads of the built dataset over HTTP, at /download/{file}.

Offered are the files of the build (kg.output.PUBLISHED) that lie beside the served dataset,
when that is a build's erkg.nq or another of its files; a dataset file served from
elsewhere (`erkg serve --data x.trig`) is offered alone. Each answer carries a strong
ETag (If-None-Match gives 304), takes byte ranges (Range, If-Range), and is sent
gzip-compressed to a client that accepts it and asks for no range (a range of the
compressed stream would not be stable). VoID lists the RDF files as void:dataDump.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterator
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response, StreamingResponse

from kg.output import dumps

from .conditional import matches
from .problems import Problem
from .service import ServiceDep

router = APIRouter(tags=["Downloads"])

# File suffix -> (media type, the format's name)
FORMATS = {".trig": ("application/trig", "TriG"), ".nq": ("application/n-quads", "N-Quads"),
           ".jsonld": ("application/ld+json", "JSON-LD"), ".ttl": ("text/turtle", "Turtle"),
           ".nt": ("application/n-triples", "N-Triples"), ".owl": ("application/rdf+xml", "OWL (RDF/XML)"),
           ".rdf": ("application/rdf+xml", "RDF/XML"), ".xml": ("application/xml", "XML catalog")}
CHUNK = 1 << 16


def _accepts_gzip(accept_encoding: str | None) -> bool:
    """True if Accept-Encoding names gzip (or x-gzip) with a q above 0 (RFC 9110, 12.5.3)."""
    for part in (accept_encoding or "").split(","):
        coding, *params = (f.strip().lower() for f in part.split(";"))
        if coding in ("gzip", "x-gzip"):
            q = next((v for k, _, v in (p.partition("=") for p in params) if k.strip() == "q"), "1")
            return q.strip() not in ("0", "0.", "0.0", "0.00", "0.000")
    return False


def _gzipped(path: Path) -> Iterator[bytes]:
    compressor = zlib.compressobj(6, zlib.DEFLATED, 16 + zlib.MAX_WBITS)  # 16+: the gzip container
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            if out := compressor.compress(chunk):
                yield out
    yield compressor.flush()


@router.get("/download/{name}", summary="Download a file of the built dataset", response_class=Response,
            response_description="the file (TriG, N-Quads, JSON-LD, Turtle, OWL as RDF/XML …)",
            # Every file is text. Turtle first: a client generator (openapi-python-client) reads every
            # answer as the first media type it knows, and would read N-Quads as JSON after JSON-LD.
            responses={200: {"content": {t: {"schema": {"type": "string"}} for t in sorted(
                {t for t, _ in FORMATS.values()}, key=lambda t: (not t.startswith("text/"), t))}},
                       206: {"description": "the byte ranges asked for"},
                       304: {"description": "the client holds this file already (If-None-Match)"},
                       403: {"description": "the file holds the full source texts, which this deployment does "
                                            "not show (ERKG_SOURCE_TEXTS=quotes)"},
                       404: {"description": "no such file is offered"}})
def download(name: str, request: Request, service: ServiceDep) -> Response:
    offered = dumps(service.settings.dataset, source_texts=service.settings.source_texts == "full")
    path = offered.get(name)
    if path is None and name in dumps(service.settings.dataset):
        raise Problem(403, f"{name!r} holds the full source texts, which this deployment does not show "
                           f"(ERKG_SOURCE_TEXTS=quotes); offered are: {', '.join(offered) or 'none'}",
                      "Full texts not shown")
    if path is None:
        raise Problem(404, f"{name!r} is not offered: the files are {', '.join(offered) or 'none'}", "Not Found")
    stat = path.stat()
    identity = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
    compress = "range" not in request.headers and _accepts_gzip(request.headers.get("accept-encoding"))
    etag = identity[:-1] + '-gzip"' if compress else identity
    headers = {"ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding",
               "Content-Disposition": f'attachment; filename="{name}"'}
    media_type = FORMATS.get(path.suffix, ("application/octet-stream", ""))[0]
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None and matches(if_none_match, etag, held=True):
        return Response(status_code=304, headers=headers)
    if compress:
        return StreamingResponse(_gzipped(path), media_type=media_type, headers={**headers, "Content-Encoding": "gzip"})
    # Starlette answers Range and If-Range (by this ETag) with 206 or the whole file
    return FileResponse(path, media_type=media_type, headers=headers, stat_result=os.stat(path))
