"""Dependencies and helpers shared by the resource routers.

The dependencies are async: they do not block, and a plain def would cost every
request a hop through the thread pool. The routes themselves are plain defs: they
wait for the query workers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from ..formats import parse_accept
from ..problems import MEDIA_TYPE as PROBLEM_MEDIA_TYPE
from ..problems import Problem
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


async def _wants_jsonld(request: Request) -> bool:
    """True when the client prefers application/ld+json to plain JSON (Accept, q-values honoured)."""
    q = {"json": 0.0, "jsonld": 0.0}
    for media, quality in parse_accept(request.headers.get("accept")):
        key = ("jsonld" if media == jsonld.MEDIA_TYPE
               else "json" if media in ("application/json", "application/*", "*/*") else None)
        if key and quality > q[key]:
            q[key] = quality
    return q["jsonld"] > q["json"]


JsonLd = Annotated[bool, Depends(_wants_jsonld)]


def _known_query_parameters(dependant) -> set[str]:
    names = {f.alias for f in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _known_query_parameters(sub)
    return names


async def reject_unknown_parameters(request: Request) -> None:
    """A query parameter the route does not take is a 422 naming it (a misspelt filter
    would otherwise silently be ignored)."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    unknown = sorted(set(request.query_params) - _known_query_parameters(dependant))
    if unknown:
        known = ", ".join(sorted(_known_query_parameters(dependant))) or "none"
        errors = [{"in": "query", "name": name, "message": f"unknown parameter; this resource takes: {known}"}
                  for name in unknown]
        raise Problem(422, "; ".join(f"query parameter {e['name']!r}: {e['message']}" for e in errors),
                      title="Invalid parameter", errors=errors)


# ---------------------------------------------------------------- answers

PROBLEM_RESPONSE = {"model": m.ProblemDetails,
                    "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}}}
_LD = {"content": {jsonld.MEDIA_TYPE: {"schema": {"type": "object"}}}}

LIST_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {**_LD, "description": "the page of items; JSON-LD with Accept: application/ld+json"},
    422: {**PROBLEM_RESPONSE, "description": "a parameter is invalid (out of range, or names nothing of its kind)"},
    503: {**PROBLEM_RESPONSE, "description": "the query workers are busy; retry"},
}
ITEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {**_LD, "description": "the item; JSON-LD with Accept: application/ld+json"},
    404: {**PROBLEM_RESPONSE, "description": "there is no such item"},
    422: {**PROBLEM_RESPONSE, "description": "a parameter is invalid"},
    503: {**PROBLEM_RESPONSE, "description": "the query workers are busy; retry"},
}
SUB_LIST_RESPONSES = {**LIST_RESPONSES, 404: ITEM_RESPONSES[404]}


def answer(request: Request, repo: Repository, as_jsonld: bool, model: BaseModel) -> Response:
    """The model as JSON, or as JSON-LD (the same data with a context and types)."""
    data = model.model_dump(mode="json")
    if not as_jsonld:
        return JSONResponse(data, headers={"Vary": "Accept"})
    body = jsonld.Converter(repo).document(data, str(request.url_for("jsonld_context")))
    return JSONResponse(body, media_type=jsonld.MEDIA_TYPE, headers={"Vary": "Accept"})


def listing(request: Request, repo: Repository, as_jsonld: bool, paging: Paging, described: list[Described],
            item_model: type[T], build: Callable[[Described], T], key: Callable[[Described], Any]) -> Response:
    """A page of a list: all matching items sorted by `key`, only the page's items built."""
    ordered = sorted(described, key=key)
    items = [build(d) for d in ordered[paging.offset:paging.offset + paging.limit]]
    return answer(request, repo, as_jsonld,
                  m.Page[item_model](total=len(ordered), offset=paging.offset, limit=paging.limit, items=items))
