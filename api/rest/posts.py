"""/api/v1/posts: who holds (or held) which role in which organization, since when."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import Response


from . import models as m
from .data import Described, Repository
from .terms import plain
from .deps import ITEM_RESPONSES, LIST_RESPONSES, JsonLd, Paging, PagingDep, Repo, answer, listing
from .filters import DocumentFilter, DocumentPath, OrganizationFilter, PersonFilter, RoleFilter, fact_path
from .registry import Field, builder, resource

router = APIRouter(prefix="/posts", tags=["posts"])

SPEC = resource(
    kind="post", path="posts", model=m.Post, rdf_class="org:Post", names={"en": "Post", "de": "Posten"},
    router=router,
    fields=(Field("person", "org:heldBy", names={"en": "Person", "de": "Person"}),
            Field("role", "org:role", names={"en": "Role", "de": "Rolle"}),
            Field("organization", "org:postIn", names={"en": "Organization", "de": "Organisation"}),
            Field("title", "erkg:postTitle", names={"en": "Title", "de": "Bezeichnung"}),
            Field("since", "erkg:heldSince", "xsd:integer", names={"en": "Since", "de": "Seit"}),
            Field("former", "erkg:former", names={"en": "former", "de": "früher"})))
build = builder(SPEC)  # each field from its property


def key(repo: Repository):
    """Current posts before former ones, the earliest first, then in document order."""
    def key(d: Described) -> tuple:
        since = plain(d.one(repo.term("heldSince")))
        return (bool(plain(d.one(repo.term("former")))), since is None, since or 0, *repo.sort_key_text(d))
    return key


def posts_of(request: Request, repo: Repository, paging: Paging, as_jsonld: bool, *, person: str | None = None,
             role: str | None = None, organization: str | None = None, document: str | None = None) -> Response:
    """A page of posts; the filters are ids or IRIs (a path's resource already checked)."""
    described = repo.items("posts", person=repo.resolve("person", person, "person"),
                           role=repo.resolve("role", role, "role"),
                           organization=repo.resolve("organization", organization, "organization"),
                           in_document=repo.resolve("document", document, "document"))
    return listing(request, repo, as_jsonld, paging, described, m.Post, lambda d: build(repo, d), key(repo))


@router.get("", response_model=m.Page[m.Post], responses=LIST_RESPONSES, summary="List posts")
def list_posts(request: Request, repo: Repo, paging: PagingDep, as_jsonld: JsonLd, person: PersonFilter = None,
               role: RoleFilter = None, organization: OrganizationFilter = None,
               document: DocumentFilter = None) -> Response:
    """Posts: a person holding a role in an organization, with the post's title as worded, the
    year since which it is held, whether it is a former post, and the quotation."""
    return posts_of(request, repo, paging, as_jsonld, person=person, role=role, organization=organization,
                    document=document)


@router.get("/{document}/{post}", response_model=m.Post, responses=ITEM_RESPONSES, summary="Get a post")
def get_post(request: Request, repo: Repo, as_jsonld: JsonLd, document: DocumentPath,
             post: Annotated[str, fact_path("post", "post-weisbeck-cmo-netbiscuits")]) -> Response:
    return answer(request, repo, as_jsonld, build(repo, repo.item("posts", "post", f"{document}/{post}")))
