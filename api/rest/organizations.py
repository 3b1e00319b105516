"""/api/v1/organizations: companies, publishers, associations, universities …"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from . import models as m
from . import posts
from .data import Described, Repository
from .deps import ITEM_RESPONSES, LIST_RESPONSES, SUB_LIST_RESPONSES, JsonLd, PagingDep, Repo, answer, listing
from .filters import DocumentFilter, OrganizationPath, RoleFilter
from .registry import NAME, resource

router = APIRouter(prefix="/organizations", tags=["organizations"])

SPEC = resource(kind="organization", path="organizations", model=m.Organization, rdf_class="org:Organization",
                names={"en": "Organization", "de": "Organisation"}, router=router, fields=(NAME,))


def build(repo: Repository, d: Described) -> m.Organization:
    common = repo.common(d)
    name = repo.things[d.iri].name() if d.iri in repo.things else None
    return m.Organization(**common, name=name or common["labels"].en or d.iri)


@router.get("", response_model=m.Page[m.Organization], responses=LIST_RESPONSES, summary="List organizations")
def list_organizations(request: Request, repo: Repo, paging: PagingDep, as_jsonld: JsonLd,
                       document: DocumentFilter = None) -> Response:
    """The organizations the documents name, sorted by name, each with the quotation it was curated from."""
    described = repo.items("organizations", in_document=repo.resolve("document", document, "document"))
    return listing(request, repo, as_jsonld, paging, described, m.Organization, lambda d: build(repo, d),
                   repo.sort_key_label)


@router.get("/{organization}", response_model=m.Organization, responses=ITEM_RESPONSES,
            summary="Get an organization")
def get_organization(request: Request, repo: Repo, as_jsonld: JsonLd, organization: OrganizationPath) -> Response:
    return answer(request, repo, as_jsonld, build(repo, repo.item("organizations", "organization", organization)))


@router.get("/{organization}/posts", response_model=m.Page[m.Post], responses=SUB_LIST_RESPONSES,
            summary="The posts in an organization")
def organization_posts(request: Request, repo: Repo, paging: PagingDep, as_jsonld: JsonLd,
                       organization: OrganizationPath, role: RoleFilter = None) -> Response:
    """Who holds or held which post in the organization. The same as /api/v1/posts?organization=…"""
    return posts.posts_of(request, repo, paging, as_jsonld, organization=repo.require("organization", organization),
                          role=role)
