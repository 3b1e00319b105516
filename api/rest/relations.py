"""/api/v1/relations: how roles, departments and groups relate, according to whom."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import Response

from . import models as m
from .data import Repository
from .deps import ITEM_RESPONSES, LIST_RESPONSES, JsonLd, Paging, PagingDep, Repo, answer, listing
from .filters import (ClaimantFilter, DocumentFilter, DocumentPath, ModalityFilter, PartyFilter, RelationKindFilter,
                      TopicFilter, fact_path)
from .registry import CLAIMANT, Field, builder, resource

router = APIRouter(prefix="/relations", tags=["relations"])

SPEC = resource(kind="relation", path="relations", model=m.Relation, rdf_class="erkg:RelationClaim",
                names={"en": "Relation claim", "de": "Beziehungsaussage"}, router=router,
                fields=(Field("first", "erkg:firstParty"), Field("second", "erkg:secondParty"),
                        Field("kind", "erkg:relationKind"), Field("modality", "erkg:modality"),
                        Field("about", "erkg:about"), CLAIMANT))
build = builder(SPEC)  # each field from its property

PARTIES = ("role", "department", "group")
AGENTS = ("person", "organization", "study", "group")


def relations_of(request: Request, repo: Repository, paging: Paging, as_jsonld: bool, *, party: str | None = None,
                 kind: str | None = None, modality: str | None = None, claimant: str | None = None,
                 topic: str | None = None, document: str | None = None) -> Response:
    """A page of relation claims; the filters are ids or IRIs (a path's resource already checked)."""
    described = repo.items(
        "relations", party=repo.resolve("party", party, *PARTIES), kind=repo.resolve("kind", kind, "relation-kind"),
        modality=repo.resolve("modality", modality, "modality"), claimant=repo.resolve("claimant", claimant, *AGENTS),
        topic=repo.resolve("topic", topic, "topic", "responsibility"),
        in_document=repo.resolve("document", document, "document"))
    return listing(request, repo, as_jsonld, paging, described, m.Relation, lambda d: build(repo, d),
                   repo.sort_key_text)


@router.get("", response_model=m.Page[m.Relation], responses=LIST_RESPONSES, summary="List relation claims")
def list_relations(request: Request, repo: Repo, paging: PagingDep, as_jsonld: JsonLd, party: PartyFilter = None,
                   kind: RelationKindFilter = None, modality: ModalityFilter = None, claimant: ClaimantFilter = None,
                   topic: TopicFilter = None, document: DocumentFilter = None) -> Response:
    """How two roles, departments or respondent groups relate according to the documents: conflict
    (the fight of CMO and CIO over the mobile web strategy), collaboration, tempo mismatch, alignment …,
    with the modality, who says so, what it is over, and the quotation. In the order of the documents."""
    return relations_of(request, repo, paging, as_jsonld, party=party, kind=kind, modality=modality,
                        claimant=claimant, topic=topic, document=document)


@router.get("/{document}/{relation}", response_model=m.Relation, responses=ITEM_RESPONSES,
            summary="Get a relation claim")
def get_relation(request: Request, repo: Repo, as_jsonld: JsonLd, document: DocumentPath,
                 relation: Annotated[str, fact_path("relation", "r-cio-cmo-different-priorities")]) -> Response:
    return answer(request, repo, as_jsonld, build(repo, repo.item("relations", "relation", f"{document}/{relation}")))
