"""/api/v1/responsibilities: areas of accountability a role holds, claims or should hold."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from . import claims
from . import models as m
from .deps import ITEM_RESPONSES, LIST_RESPONSES, SUB_LIST_RESPONSES, JsonLd, PagingDep, Repo, answer, listing
from .filters import DocumentFilter, ModalityFilter, ResponsibilityPath, RoleFilter
from .registry import builder, resource

router = APIRouter(prefix="/responsibilities", tags=["responsibilities"])

SPEC = resource(kind="responsibility", path="responsibilities", model=m.Responsibility,
                rdf_class="erkg:Responsibility", names={"en": "Responsibility", "de": "Verantwortungsbereich"},
                router=router)
build = builder(SPEC)  # each field from its property


@router.get("", response_model=m.Page[m.Responsibility], responses=LIST_RESPONSES,
            summary="List responsibilities")
def list_responsibilities(request: Request, repo: Repo, paging: PagingDep, as_jsonld: JsonLd,
                          role: RoleFilter = None, document: DocumentFilter = None) -> Response:
    """Areas of accountability (the mobile web strategy, understanding the customer …), sorted by
    label. `role` selects those a claim assigns to the role or to a group of its holders."""
    described = repo.items("responsibilities", role=repo.resolve("role", role, "role"),
                           in_document=repo.resolve("document", document, "document"))
    return listing(request, repo, as_jsonld, paging, described, m.Responsibility, lambda d: build(repo, d),
                   repo.sort_key_label)


@router.get("/{responsibility}", response_model=m.Responsibility, responses=ITEM_RESPONSES,
            summary="Get a responsibility")
def get_responsibility(request: Request, repo: Repo, as_jsonld: JsonLd, responsibility: ResponsibilityPath) -> Response:
    return answer(request, repo, as_jsonld,
                  build(repo, repo.item("responsibilities", "responsibility", responsibility)))


@router.get("/{responsibility}/claims", response_model=m.Page[m.Claim], responses=SUB_LIST_RESPONSES,
            summary="Who is said to be responsible for it")
def responsibility_claims(request: Request, repo: Repo, paging: PagingDep, as_jsonld: JsonLd,
                          responsibility: ResponsibilityPath, role: RoleFilter = None,
                          modality: ModalityFilter = None) -> Response:
    """The claims about the responsibility. The same as /api/v1/claims?responsibility=…"""
    return claims.claims_of(request, repo, paging, as_jsonld, role=role, modality=modality,
                            responsibility=repo.require("responsibility", responsibility))
