"""Dependencies and helpers shared by the resource routers.

The dependencies are async: they do not block, and a plain def would cost every
request a hop through the thread pool. The routes themselves are plain defs: they
wait for the query workers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import UnionType
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from fastapi import Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from ..conditional import known_answer
from ..formats import Format, choose
from ..problems import MEDIA_TYPE as PROBLEM_MEDIA_TYPE
from ..problems import invalid_parameters
from . import jsonld
from . import models as m
from .data import Described, Repository, get_repository

T = TypeVar("T", bound=BaseModel)

Repo = Annotated[Repository, Depends(get_repository)]

MAX_LIMIT = 500
DEFAULT_LIMIT = 50


@dataclass(frozen=True)
class Paging:
    offset: int
    limit: int


async def _paging(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"items per page (1–{MAX_LIMIT})")] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, description="how many matching items to skip")] = 0,
) -> Paging:
    return Paging(offset, limit)


PagingDep = Annotated[Paging, Depends(_paging)]


JSON = Format("json", "application/json")
JSON_LD = Format("jsonld", jsonld.MEDIA_TYPE)


async def _wants_jsonld(request: Request) -> bool:
    """True when the client prefers JSON-LD to plain JSON (Accept, q-values honoured);
    a 406 when it takes neither."""
    return choose((JSON, JSON_LD), request.headers.get("accept")) is JSON_LD


JsonLd = Annotated[bool, Depends(_wants_jsonld)]


def _known_query_parameters(dependant) -> dict[str, bool]:
    """The route's query parameters, each with whether it takes a list (is repeatable)."""
    names = {f.alias: _takes_a_list(f.field_info.annotation) for f in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _known_query_parameters(sub)
    return names


def _takes_a_list(annotation: Any) -> bool:
    options = get_args(annotation) if get_origin(annotation) in (Union, UnionType) else (annotation,)
    return any((get_origin(a) or a) in (list, set, frozenset, tuple) for a in options)


async def reject_unknown_parameters(request: Request) -> None:
    """A query parameter the route does not take, or one that takes a single value given
    twice, is a 422 naming it (a misspelt filter would otherwise silently be ignored, a
    repeated one silently be its last value)."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    known = _known_query_parameters(dependant)
    takes = ", ".join(sorted(known)) or "none"
    errors = [(name, f"unknown parameter; this resource takes: {takes}")
              for name in sorted(set(request.query_params) - set(known))]
    errors += [(name, "given more than once; give it once") for name, repeatable in sorted(known.items())
               if not repeatable and len(request.query_params.getlist(name)) > 1]
    if errors:
        raise invalid_parameters(*errors)


# ---------------------------------------------------------------- answers

PROBLEM_RESPONSE = {"model": m.ProblemDetails,
                    "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}}}
_LD = {"content": {jsonld.MEDIA_TYPE: {"schema": {"type": "object"}}}}

LIST_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {**_LD, "description": "the page of items; JSON-LD with Accept: application/ld+json"},
    406: {**PROBLEM_RESPONSE, "description": "the client accepts neither JSON nor JSON-LD"},
    422: {**PROBLEM_RESPONSE, "description": "a parameter is invalid (out of range, names nothing of its kind, "
                                             "or is given twice)"},
    503: {**PROBLEM_RESPONSE, "description": "the query workers are busy; retry"},
}
ITEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {**_LD, "description": "the item; JSON-LD with Accept: application/ld+json"},
    404: {**PROBLEM_RESPONSE, "description": "there is no such item"},
    406: LIST_RESPONSES[406],
    422: {**PROBLEM_RESPONSE, "description": "a parameter is invalid"},
    503: {**PROBLEM_RESPONSE, "description": "the query workers are busy; retry"},
}
SUB_LIST_RESPONSES = {**LIST_RESPONSES, 404: ITEM_RESPONSES[404]}


def answer(request: Request, repo: Repository, as_jsonld: bool, model: BaseModel,
           headers: dict[str, str] | None = None) -> Response:
    """The model as JSON, or as JSON-LD (the same data with a context and types), with an ETag
    over the dataset's version and the request (If-None-Match gives 304)."""
    service = repo.service
    etag = service.etag("rest", service.settings.base, request.url.path, request.url.query, str(as_jsonld))
    headers = {"Vary": "Accept", "ETag": etag, **(headers or {})}
    known = known_answer(request, service.cache, etag, headers)
    if known is not None:
        return known
    data = model.model_dump(mode="json")
    if not as_jsonld:
        return JSONResponse(data, headers=headers)
    body = jsonld.Converter(repo).document(data, str(request.url_for("jsonld_context")))
    return JSONResponse(body, media_type=jsonld.MEDIA_TYPE, headers=headers)


def page(request: Request, model: type[T], paging: Paging, total: int, items: list) -> tuple[BaseModel, dict]:
    """A page of a list with the URLs of the next and previous pages, and its Link header."""
    def at(offset: int) -> str:
        return f"{request.url.path}?{request.url.include_query_params(offset=offset, limit=paging.limit).query}"

    following = at(paging.offset + paging.limit) if paging.offset + paging.limit < total else None
    previous = at(max(paging.offset - paging.limit, 0)) if paging.offset > 0 else None
    links = [f'<{url}>; rel="{rel}"' for url, rel in ((following, "next"), (previous, "prev")) if url]
    body = m.Page[model](total=total, offset=paging.offset, limit=paging.limit, next=following, prev=previous,
                         items=items)
    return body, ({"Link": ", ".join(links)} if links else {})


def listing(request: Request, repo: Repository, as_jsonld: bool, paging: Paging, described: list[Described],
            item_model: type[T], build: Callable[[Described], T], key: Callable[[Described], Any]) -> Response:
    """A page of a list: all matching items sorted by `key`, only the page's items built."""
    ordered = sorted(described, key=key)
    items = [build(d) for d in ordered[paging.offset:paging.offset + paging.limit]]
    body, links = page(request, item_model, paging, len(ordered), items)
    return answer(request, repo, as_jsonld, body, links)
