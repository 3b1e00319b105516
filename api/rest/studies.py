"""/api/v1/studies: the surveys the documents report on."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response


from . import findings
from . import models as m
from .deps import ITEM_RESPONSES, LIST_RESPONSES, SUB_LIST_RESPONSES, JsonLd, PagingDep, Repo, answer, listing
from .filters import DocumentFilter, GroupFilter, PublisherFilter, RoleFilter, StudyPath, TopicFilter
from .registry import Field, builder, resource

router = APIRouter(prefix="/studies", tags=["studies"])

SPEC = resource(kind="study", path="studies", model=m.Study, rdf_class="erkg:Study",
                names={"en": "Study", "de": "Studie"}, router=router,
                fields=(Field("title", "dcterms:title"), Field("publisher", "dcterms:publisher"),
                        Field("sample_size", "erkg:sampleSize", "xsd:nonNegativeInteger"),
                        Field("sample", "erkg:sampleWording"), Field("scope", "erkg:scope")))
build = builder(SPEC)  # each field from its property


@router.get("", response_model=m.Page[m.Study], responses=LIST_RESPONSES, summary="List studies")
def list_studies(request: Request, repo: Repo, paging: PagingDep, as_jsonld: JsonLd,
                 publisher: PublisherFilter = None, document: DocumentFilter = None) -> Response:
    """The studies, sorted by label: title, publisher, sample and scope, with the quotation."""
    described = repo.items("studies", publisher=repo.resolve("publisher", publisher, "organization"),
                           in_document=repo.resolve("document", document, "document"))
    return listing(request, repo, as_jsonld, paging, described, m.Study, lambda d: build(repo, d),
                   repo.sort_key_label)


@router.get("/{study}", response_model=m.Study, responses=ITEM_RESPONSES, summary="Get a study")
def get_study(request: Request, repo: Repo, as_jsonld: JsonLd, study: StudyPath) -> Response:
    return answer(request, repo, as_jsonld, build(repo, repo.item("studies", "study", study)))


@router.get("/{study}/findings", response_model=m.Page[m.Finding], responses=SUB_LIST_RESPONSES,
            summary="The findings of a study")
def study_findings(request: Request, repo: Repo, paging: PagingDep, as_jsonld: JsonLd, study: StudyPath,
                   role: RoleFilter = None, group: GroupFilter = None, topic: TopicFilter = None) -> Response:
    """The same as /api/v1/findings?study=…"""
    return findings.findings_of(request, repo, paging, as_jsonld, study=repo.require("study", study), role=role,
                                group=group, topic=topic)
