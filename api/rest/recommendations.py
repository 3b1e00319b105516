"""/api/v1/recommendations: the advice the documents give, and to whom."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import Response

from . import models as m
from .data import Described, Repository
from .terms import plain
from .deps import ITEM_RESPONSES, LIST_RESPONSES, JsonLd, PagingDep, Repo, answer, listing
from .filters import AudienceFilter, ChecklistFilter, ClaimantFilter, DocumentFilter, DocumentPath, fact_path
from .registry import CLAIMANT, Field, builder, resource

router = APIRouter(prefix="/recommendations", tags=["recommendations"])

SPEC = resource(kind="recommendation", path="recommendations", model=m.Recommendation,
                rdf_class="erkg:Recommendation", names={"en": "Recommendation", "de": "Empfehlung"}, router=router,
                fields=(Field("checklist", "erkg:inChecklist"),
                        Field("position", "erkg:position", "xsd:positiveInteger"),
                        Field("audience", "erkg:audience"), CLAIMANT))
build = builder(SPEC)  # each field from its property


def key(repo: Repository):
    """Reading order: by document, a checklist's items by position, the others by where they stand."""
    def key(d: Described) -> tuple:
        position = plain(d.one(repo.term("position")))
        checklist = d.one(repo.term("inChecklist"))
        return (d.document(), checklist.value if checklist else "", position or 0, d.first_start(), d.iri)
    return key


@router.get("", response_model=m.Page[m.Recommendation], responses=LIST_RESPONSES, summary="List recommendations")
def list_recommendations(request: Request, repo: Repo, paging: PagingDep, as_jsonld: JsonLd,
                         audience: AudienceFilter = None, checklist: ChecklistFilter = None,
                         claimant: ClaimantFilter = None, document: DocumentFilter = None) -> Response:
    """The advice the documents give: the checklist and position, the roles, departments or groups
    addressed (`audience=cmo` also finds advice to a group of CMOs), who gives it, and the quotation."""
    described = repo.items(
        "recommendations", audience=repo.resolve("audience", audience, "role", "department", "group"),
        checklist=repo.resolve("checklist", checklist, "checklist"),
        claimant=repo.resolve("claimant", claimant, "person", "organization", "study", "group"),
        in_document=repo.resolve("document", document, "document"))
    return listing(request, repo, as_jsonld, paging, described, m.Recommendation, lambda d: build(repo, d), key(repo))


@router.get("/{document}/{recommendation}", response_model=m.Recommendation, responses=ITEM_RESPONSES,
            summary="Get a recommendation")
def get_recommendation(request: Request, repo: Repo, as_jsonld: JsonLd, document: DocumentPath,
                       recommendation: Annotated[str, fact_path("recommendation", "rec-checklist-1")]) -> Response:
    return answer(request, repo, as_jsonld,
                  build(repo, repo.item("recommendations", "recommendation", f"{document}/{recommendation}")))
