"""/api/v1/statements: what else the documents state about organizations, people, roles, studies, topics."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import Response

from . import models as m
from .data import Repository
from .deps import ITEM_RESPONSES, LIST_RESPONSES, JsonLd, Paging, PagingDep, Repo, answer, listing
from .filters import (ClaimantFilter, DocumentFilter, DocumentPath, ObjectFilter, StatementKindFilter, SubjectFilter,
                      fact_path)
from .registry import CLAIMANT, Field, builder, resource

router = APIRouter(prefix="/statements", tags=["statements"])

SPEC = resource(kind="statement", path="statements", model=m.Statement, rdf_class="erkg:Statement",
                names={"en": "Statement", "de": "Sachaussage"}, router=router,
                fields=(Field("subject", "erkg:concerns"), Field("kind", "erkg:statementKind"),
                        Field("object", "erkg:object"), Field("value", "erkg:value"), CLAIMANT))
build = builder(SPEC)  # each field from its property

# What a statement may be about or name (kg.curation.ANY, less the facts).
ANY = ("role", "department", "organization", "person", "place", "study", "group", "proposition", "topic",
       "responsibility", "checklist", "document")
AGENTS = ("person", "organization", "study", "group")


def statements_of(request: Request, repo: Repository, paging: Paging, as_jsonld: bool, *, subject: str | None = None,
                  object_: str | None = None, kind: str | None = None, claimant: str | None = None,
                  document: str | None = None) -> Response:
    """A page of statements; the filters are ids or IRIs (a path's resource already checked)."""
    described = repo.items(
        "statements", subject=repo.resolve("subject", subject, *ANY), object=repo.resolve("object", object_, *ANY),
        kind=repo.resolve("kind", kind, "statement-kind"), claimant=repo.resolve("claimant", claimant, *AGENTS),
        in_document=repo.resolve("document", document, "document"))
    return listing(request, repo, as_jsonld, paging, described, m.Statement, lambda d: build(repo, d),
                   repo.sort_key_text)


@router.get("", response_model=m.Page[m.Statement], responses=LIST_RESPONSES, summary="List statements")
def list_statements(request: Request, repo: Repo, paging: PagingDep, as_jsonld: JsonLd,
                    subject: SubjectFilter = None, object: ObjectFilter = None,  # noqa: A002 (public name)
                    kind: StatementKindFilter = None, claimant: ClaimantFilter = None,
                    document: DocumentFilter = None) -> Response:
    """Anything else the documents state about an organization, person, role, department, study or
    topic: its headquarters, customers, funding, what a role focuses on (`subject=cmo`) …, with the
    kind of statement, the resource or value it names, who says so, and the quotation."""
    return statements_of(request, repo, paging, as_jsonld, subject=subject, object_=object, kind=kind,
                         claimant=claimant, document=document)


@router.get("/{document}/{statement}", response_model=m.Statement, responses=ITEM_RESPONSES,
            summary="Get a statement")
def get_statement(request: Request, repo: Repo, as_jsonld: JsonLd, document: DocumentPath,
                  statement: Annotated[str, fact_path("statement", "s-cmo-focus-customer-experience")]) -> Response:
    return answer(request, repo, as_jsonld,
                  build(repo, repo.item("statements", "statement", f"{document}/{statement}")))
