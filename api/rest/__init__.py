"""The JSON REST API under /api/v1: one module per resource, collected by the registry.

Resources (list with filters and pagination, get by id): roles, departments,
responsibilities, organizations, persons, posts, studies, findings, claims,
relations, statements, recommendations, documents, and the things their answers
refer to (groups, propositions, topics, places, checklists, affiliations,
modalities, qualifiers, relation and statement kinds, quotations); label search;
the named queries of queries/ as endpoints (added when the app is made:
`add_named_query_routes`). Each resource is declared once, as a spec in its
module (api/rest/registry.py); the routes, the reference URLs, the search kinds
and the JSON-LD context are derived from the specs. Every item carries its IRI,
labels in German and English and its provenance; with `Accept:
application/ld+json` lists and items are JSON-LD with the context published at
/api/v1/context.jsonld. Errors are RFC 9457 problem details. The API's own
SPARQL is in api/rest/queries/.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse

from kg.namespaces import ID_FORMS

from ..problems import Problem

from . import jsonld, named, search
from . import models as m
from .deps import Repo, reject_unknown_parameters
from .named import add_named_query_routes
from .registry import Registry, Resource, collect
from .routes import resource_router

__all__ = ["add_named_query_routes", "make_router", "router"]


def by_iri(spec: Resource):
    """A route for an item path that holds a full IRI (its slashes decoded): it leads to the item's own path."""

    def route(request: Request, repo: Repo, iri: str) -> RedirectResponse:
        # Absolute, on the request's URL: its host and scheme are the public ones (api.hosts), never
        # the client's Host header; the query string is kept.
        if not iri:  # /api/v1/{path}/: the list, as the trailing slash redirect of every other path does
            return RedirectResponse(str(request.url.replace(path=f"/api/v1/{spec.path}")), status_code=307)
        where = repo.split(iri)
        if where is None or where[0] != spec.kind or not repo.known(iri, spec.kind):
            raise Problem(404, f"there is no {spec.kind} {iri!r}; an item path takes {ID_FORMS}", title="Not found")
        return RedirectResponse(str(request.url.replace(path=f"/api/v1/{spec.path}/{where[1]}")), status_code=308)
    return route


def make_router(registry: Registry) -> APIRouter:
    """The API's routes for the resources of `registry`."""

    async def use_registry(request: Request) -> None:
        request.state.registry = registry  # for get_repository: the registry these routes serve

    router = APIRouter(prefix="/api/v1", dependencies=[Depends(use_registry), Depends(reject_unknown_parameters)])

    @router.get("", response_model=m.ApiIndex, tags=["API"], summary="What this API offers")
    def index(request: Request) -> m.ApiIndex:
        """The entry point: the resources, label search, the named queries, the JSON-LD context and the
        OpenAPI description."""
        return m.ApiIndex(title="ERKG REST API", docs="/docs", openapi="/openapi.json",
                          context="/api/v1/context.jsonld", search="/api/v1/search", queries="/api/v1/queries",
                          resources={path: f"/api/v1/{path}" for path in registry.paths.values()})

    @router.get("/context.jsonld", name="jsonld_context", tags=["API"], summary="The JSON-LD context",
                responses={200: {"content": {jsonld.MEDIA_TYPE: {"schema": {"type": "object"}}},
                                 "description": "the context every JSON-LD answer of this API names"}})
    def context(repo: Repo) -> JSONResponse:
        """Maps the keys of the API's JSON to the ontology's IRIs (JSON-LD 1.1, type-scoped contexts)."""
        return JSONResponse(jsonld.context(repo.erkg, registry), media_type=jsonld.MEDIA_TYPE,
                            headers={"Cache-Control": "public, max-age=3600"})

    for spec in registry:
        router.include_router(spec.router or resource_router(spec))
    router.include_router(search.make_router(registry.kinds))
    router.include_router(named.router)

    for spec in registry:  # after every resource's own routes, which they must not shadow
        router.add_api_route(f"/{spec.path}/{{iri:path}}", by_iri(spec), methods=["GET"], include_in_schema=False,
                             name=f"{spec.path}_by_iri")
    return router


router = make_router(collect())
