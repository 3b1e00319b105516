"""Conditional requests: strong ETags over what determines an answer, If-None-Match
(RFC 9110, 13.1.2 and 13.2.2), and answers the service has cached under their ETag."""

from __future__ import annotations

import hashlib
import json

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from .cache import LRUCache


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


def known_answer(request: Request, cache: LRUCache, etag: str, headers: dict[str, str]) -> Response | None:
    """304 when the client holds this answer (If-None-Match; 412 for a POST), the answer
    `cache` holds under `etag` when there is one, else None: the answer must be computed."""
    cached = cache.get(etag)
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
