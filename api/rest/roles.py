"""/api/v1/roles: the roles of the vocabulary (CMO, CIO, CCO …) and what is said of them."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kg.namespaces import RDF, SKOS

from . import claims, findings, posts, relations, statements
from . import models as m
from .data import Described, Repository
from .deps import ITEM_RESPONSES, LIST_RESPONSES, SUB_LIST_RESPONSES, JsonLd, PagingDep, Repo, answer, listing
from .filters import (DepartmentFilter, DocumentFilter, ExecutiveFilter, ModalityFilter, RelationKindFilter,
                      ResponsibilityFilter, RolePath, StatementKindFilter, StudyFilter, TopicFilter)
from .registry import CONCEPT, Field, resource

router = APIRouter(prefix="/roles", tags=["roles"])

SPEC = resource(
    kind="role", path="roles", model=m.Role, rdf_class="erkg:Role", subclasses=("erkg:ExecutiveRole",),
    names={"en": "Role", "de": "Rolle"}, router=router,
    fields=(*CONCEPT, Field("leads_department", "erkg:leadsDepartment"),
            Field("exact_match", "skos:exactMatch", "@id"), Field("close_match", "skos:closeMatch", "@id"),
            Field("broad_match", "skos:broadMatch", "@id"), Field("isco08", "skos:notation", "erkg:ISCO08")))


def build(repo: Repository, d: Described) -> m.Role:
    definition, _ = repo.lang_texts(d, SKOS.definition)
    _, alt = repo.lang_texts(d, SKOS.altLabel)
    iris = lambda p: sorted(v.value for v in d.all(p))  # noqa: E731
    return m.Role(**repo.common(d), alt_labels=alt, definition=definition,
                  executive=is_executive(repo, d),
                  leads_department=repo.refs(d.all(repo.term("leadsDepartment"))),
                  exact_match=iris(SKOS.exactMatch), close_match=iris(SKOS.closeMatch),
                  broad_match=iris(SKOS.broadMatch), isco08=sorted(v.value for v in d.all(SKOS.notation)))


def is_executive(repo: Repository, d: Described) -> bool:
    return repo.term("ExecutiveRole") in {v.value for v in d.all(RDF.type)}


def key(repo: Repository):
    """Executive roles first, then by id."""
    return lambda d: (not is_executive(repo, d), d.iri)


@router.get("", response_model=m.Page[m.Role], responses=LIST_RESPONSES, summary="List the roles")
def list_roles(request: Request, repo: Repo, paging: PagingDep, as_jsonld: JsonLd,
               executive: ExecutiveFilter = None, department: DepartmentFilter = None) -> Response:
    """The roles of the vocabulary: executive roles (CMO, CIO, CCO, CDO, CEO, CTO, CFO) first, then the
    others (head of marketing, founder, author …), with labels, definitions, alternative labels and
    their matches in ESCO, ISCO-08 and FIBO."""
    described = repo.items("roles", department=repo.resolve("department", department, "department"))
    if executive is not None:
        described = [d for d in described if is_executive(repo, d) == executive]
    return listing(request, repo, as_jsonld, paging, described, m.Role, lambda d: build(repo, d), key(repo))


@router.get("/{role}", response_model=m.Role, responses=ITEM_RESPONSES, summary="Get a role")
def get_role(request: Request, repo: Repo, as_jsonld: JsonLd, role: RolePath) -> Response:
    return answer(request, repo, as_jsonld, build(repo, repo.item("roles", "role", role)))


@router.get("/{role}/responsibilities", response_model=m.Page[m.Claim], responses=SUB_LIST_RESPONSES,
            summary="What a role is, should be or wants to be responsible for")
def role_responsibilities(request: Request, repo: Repo, paging: PagingDep, as_jsonld: JsonLd, role: RolePath,
                          responsibility: ResponsibilityFilter = None, modality: ModalityFilter = None,
                          document: DocumentFilter = None) -> Response:
    """The responsibility claims about the role, or about a respondent group of its holders: each
    with the responsibility, the modality (is, should, must, becoming, wants, entitled …), who says
    so, and the quotation it rests on. The same as /api/v1/claims?role=…"""
    return claims.claims_of(request, repo, paging, as_jsonld, role=repo.require("role", role),
                            responsibility=responsibility, modality=modality, document=document)


@router.get("/{role}/findings", response_model=m.Page[m.Finding], responses=SUB_LIST_RESPONSES,
            summary="Survey findings about the holders of a role")
def role_findings(request: Request, repo: Repo, paging: PagingDep, as_jsonld: JsonLd, role: RolePath,
                  study: StudyFilter = None, topic: TopicFilter = None, document: DocumentFilter = None) -> Response:
    """The findings whose respondent group consists of holders of the role. The same as
    /api/v1/findings?role=…"""
    return findings.findings_of(request, repo, paging, as_jsonld, role=repo.require("role", role), study=study,
                                topic=topic, document=document)


@router.get("/{role}/posts", response_model=m.Page[m.Post], responses=SUB_LIST_RESPONSES,
            summary="Who holds or held a post of a role")
def role_posts(request: Request, repo: Repo, paging: PagingDep, as_jsonld: JsonLd, role: RolePath) -> Response:
    """The posts of the role: person, organization, title, since when. The same as /api/v1/posts?role=…"""
    return posts.posts_of(request, repo, paging, as_jsonld, role=repo.require("role", role))


@router.get("/{role}/relations", response_model=m.Page[m.Relation], responses=SUB_LIST_RESPONSES,
            summary="How a role relates to other roles, departments and groups")
def role_relations(request: Request, repo: Repo, paging: PagingDep, as_jsonld: JsonLd, role: RolePath,
                   kind: RelationKindFilter = None, modality: ModalityFilter = None, topic: TopicFilter = None,
                   document: DocumentFilter = None) -> Response:
    """The relation claims in which the role is either party (the CMO and the CIO fighting over the
    mobile web strategy …). The same as /api/v1/relations?party=…"""
    return relations.relations_of(request, repo, paging, as_jsonld, party=repo.require("role", role), kind=kind,
                                  modality=modality, topic=topic, document=document)


@router.get("/{role}/statements", response_model=m.Page[m.Statement], responses=SUB_LIST_RESPONSES,
            summary="What else the documents state about a role")
def role_statements(request: Request, repo: Repo, paging: PagingDep, as_jsonld: JsonLd, role: RolePath,
                    kind: StatementKindFilter = None, document: DocumentFilter = None) -> Response:
    """Statements about the role: what its holders focus on (the CMOs on the customer experience),
    what they are like, what their goal is. The same as /api/v1/statements?subject=…"""
    return statements.statements_of(request, repo, paging, as_jsonld, subject=repo.require("role", role), kind=kind,
                                    document=document)
