"""The list and item routes of a resource that declares no router of its own, made from its spec.

GET /api/v1/{path} lists the things of the spec's class under {base}id/{kind}/
(sorted by label, `document` selects those curated from a document), GET
/api/v1/{path}/{id} gets one (facts: /{document}/{id}); both with the generic
query things.rq, the fields built from the spec's property paths.
"""

from __future__ import annotations

import inspect
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from . import models as m
from .data import Repository
from .deps import ITEM_RESPONSES, LIST_RESPONSES, JsonLd, PagingDep, Repo, answer, listing
from .filters import DocumentFilter
from .registry import Resource, builder


def _scope(repo: Repository, spec: Resource) -> dict[str, str]:
    """The generic query's parameters that select the spec's things."""
    return {"item_class": repo.expand(spec.rdf_class), "namespace": f"{repo.prefix}{spec.kind}/"}


def resource_router(spec: Resource) -> APIRouter:
    router = APIRouter(prefix=f"/{spec.path}", tags=[spec.path])
    build = builder(spec)
    name, param = spec.path.replace("-", "_"), spec.kind.replace("-", "_")
    what = spec.names["en"].lower()

    def list_things(request: Request, repo: Repo, paging: PagingDep, as_jsonld: JsonLd,
                    document: DocumentFilter = None) -> Response:
        described = repo.items("things", **_scope(repo, spec),
                               in_document=repo.resolve("document", document, "document"))
        return listing(request, repo, as_jsonld, paging, described, spec.model, lambda d: build(repo, d),
                       repo.sort_key_label)

    router.add_api_route("", list_things, methods=["GET"], name=f"list_{name}", response_model=m.Page[spec.model],
                         responses=LIST_RESPONSES, summary=f"List {spec.path.replace('-', ' ')}",
                         description=spec.description or f"Every {what} of the graph, sorted by label.")

    def get_thing(request: Request, repo: Repo, as_jsonld: JsonLd, **ids: str) -> Response:
        slug = "/".join(ids[k] for k in (["document"] if spec.fact else []) + [param])
        return answer(request, repo, as_jsonld, build(repo, repo.item("things", spec.kind, slug, **_scope(repo, spec))))

    example = f"{spec.kind}:…" if not spec.fact else "…"
    segments = [("document", "the source document's id")] if spec.fact else []
    segments.append((param, f"the {what}'s id{' within its document' if spec.fact else ''}, its CURIE "
                            f"({example}) or its IRI"))
    get_thing.__signature__ = inspect.Signature([
        inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request),
        inspect.Parameter("repo", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Repo),
        inspect.Parameter("as_jsonld", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=JsonLd),
        *(inspect.Parameter(key, inspect.Parameter.KEYWORD_ONLY, annotation=Annotated[str, Path(description=doc)])
          for key, doc in segments),
    ], return_annotation=Response)
    router.add_api_route("/" + "/".join(f"{{{key}}}" for key, _ in segments), get_thing, methods=["GET"],
                         name=f"get_{param}", response_model=spec.model, responses=ITEM_RESPONSES,
                         summary=f"Get a {what}")
    return router
