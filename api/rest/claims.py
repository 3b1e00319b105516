"""/api/v1/claims: who is, should be, wants to be or is becoming responsible for what, says whom."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import Response

from . import models as m
from .data import Described, Repository
from .deps import ITEM_RESPONSES, LIST_RESPONSES, JsonLd, Paging, PagingDep, Repo, answer, listing
from .filters import (ClaimantFilter, DocumentFilter, DocumentPath, ModalityFilter, ResponsibilityFilter, RoleFilter,
                      fact_path)
from .registry import CLAIMANT, Field, resource

router = APIRouter(prefix="/claims", tags=["claims"])

SPEC = resource(kind="claim", path="claims", model=m.Claim, rdf_class="erkg:ResponsibilityClaim",
                names={"en": "Responsibility claim", "de": "Zuständigkeitsaussage"}, router=router,
                fields=(Field("assignee", "erkg:assignee"), Field("responsibility", "erkg:responsibility"),
                        Field("modality", "erkg:modality"), CLAIMANT))

AGENTS = ("person", "organization", "study", "group")


def build(repo: Repository, d: Described) -> m.Claim:
    t = repo.term
    roles = d.extra.get("assignee_role", [])
    return m.Claim(**repo.common(d), assignee=repo.ref(d.one(t("assignee"))),
                   role=repo.ref(min(roles, key=str)) if roles else None,
                   responsibility=repo.ref(d.one(t("responsibility"))), modality=repo.ref(d.one(t("modality"))),
                   claimant=repo.ref(d.one(t("claimant"))))


def claims_of(request: Request, repo: Repository, paging: Paging, as_jsonld: bool, *, role: str | None = None,
              responsibility: str | None = None, modality: str | None = None, claimant: str | None = None,
              document: str | None = None) -> Response:
    """A page of claims; the filters are ids or IRIs (a path's resource already checked)."""
    described = repo.items(
        "claims", role=repo.resolve("role", role, "role"),
        responsibility=repo.resolve("responsibility", responsibility, "responsibility"),
        modality=repo.resolve("modality", modality, "modality"),
        claimant=repo.resolve("claimant", claimant, *AGENTS),
        in_document=repo.resolve("document", document, "document"))
    key = lambda d: (repo.ref(d.one(repo.term("responsibility"))).id, *repo.sort_key_text(d))  # noqa: E731
    return listing(request, repo, as_jsonld, paging, described, m.Claim, lambda d: build(repo, d), key)


@router.get("", response_model=m.Page[m.Claim], responses=LIST_RESPONSES, summary="List responsibility claims")
def list_claims(request: Request, repo: Repo, paging: PagingDep, as_jsonld: JsonLd, role: RoleFilter = None,
                responsibility: ResponsibilityFilter = None, modality: ModalityFilter = None,
                claimant: ClaimantFilter = None, document: DocumentFilter = None) -> Response:
    """Claims of who is, should be, must be, wants to be, is entitled to be or is becoming responsible
    for what: the assignee (a role, department or respondent group; `role` gives the role it is or whose
    holders form the group), the responsibility, the modality and who says so, each with its quotation.
    Sorted by responsibility, then in the order of the documents."""
    return claims_of(request, repo, paging, as_jsonld, role=role,
                     responsibility=responsibility, modality=modality, claimant=claimant, document=document)


@router.get("/{document}/{claim}", response_model=m.Claim, responses=ITEM_RESPONSES, summary="Get a claim")
def get_claim(request: Request, repo: Repo, as_jsonld: JsonLd, document: DocumentPath,
              claim: Annotated[str, fact_path("claim", "c-cmo-wants-to-drive-mobile-web-strategy")]) -> Response:
    return answer(request, repo, as_jsonld, build(repo, repo.item("claims", "claim", f"{document}/{claim}")))
