"""/api/v1/persons: the people the documents name, with their posts."""

from __future__ import annotations

from collections import defaultdict

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kg.namespaces import ORG

from . import models as m
from . import posts
from .data import Described, Repository
from .deps import ITEM_RESPONSES, LIST_RESPONSES, SUB_LIST_RESPONSES, JsonLd, PagingDep, Repo, answer, listing
from .filters import DocumentFilter, OrganizationFilter, PersonPath, RoleFilter
from .registry import NAME, Field, resource

router = APIRouter(prefix="/persons", tags=["persons"])

SPEC = resource(kind="person", path="persons", model=m.Person, rdf_class="foaf:Person",
                names={"en": "Person", "de": "Person"}, router=router, fields=(NAME, Field("posts", "^org:heldBy")))


def builder(repo: Repository, person: str | None = None):
    """Builds persons with their posts, all fetched with one query."""
    held: dict[str, list[Described]] = defaultdict(list)
    for d in repo.items("posts", person=person):
        for holder in d.all(ORG.heldBy):
            held[holder.value].append(d)

    def build(d: Described) -> m.Person:
        common = repo.common(d)
        name = repo.things[d.iri].name() if d.iri in repo.things else None
        return m.Person(**common, name=name or common["labels"].en or d.iri,
                        posts=[posts.build(repo, p) for p in sorted(held[d.iri], key=posts.key(repo))])
    return build


@router.get("", response_model=m.Page[m.Person], responses=LIST_RESPONSES, summary="List persons")
def list_persons(request: Request, repo: Repo, paging: PagingDep, as_jsonld: JsonLd,
                 organization: OrganizationFilter = None, role: RoleFilter = None,
                 document: DocumentFilter = None) -> Response:
    """The people the documents name (authors, executives, people quoted …) with their posts,
    sorted by name. `organization` selects people with a post or membership there, `role` people
    holding or having held a post of that role."""
    described = repo.items("persons", organization=repo.resolve("organization", organization, "organization"),
                           role=repo.resolve("role", role, "role"),
                           in_document=repo.resolve("document", document, "document"))
    return listing(request, repo, as_jsonld, paging, described, m.Person, builder(repo), repo.sort_key_label)


@router.get("/{person}", response_model=m.Person, responses=ITEM_RESPONSES, summary="Get a person")
def get_person(request: Request, repo: Repo, as_jsonld: JsonLd, person: PersonPath) -> Response:
    d = repo.item("persons", "person", person)
    return answer(request, repo, as_jsonld, builder(repo, d.iri)(d))


@router.get("/{person}/posts", response_model=m.Page[m.Post], responses=SUB_LIST_RESPONSES,
            summary="The posts of a person")
def person_posts(request: Request, repo: Repo, paging: PagingDep, as_jsonld: JsonLd, person: PersonPath) -> Response:
    """The same as /api/v1/posts?person=…"""
    return posts.posts_of(request, repo, paging, as_jsonld, person=repo.require("person", person))
