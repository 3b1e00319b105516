"""/api/v1/findings: what studies found, per respondent group, with shares."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import Response

from . import models as m
from .data import Described, Repository
from .terms import plain
from .deps import ITEM_RESPONSES, LIST_RESPONSES, JsonLd, Paging, PagingDep, Repo, answer, listing
from .filters import DocumentFilter, DocumentPath, GroupFilter, RoleFilter, StudyFilter, TopicFilter, fact_path
from .registry import Field, resource

router = APIRouter(prefix="/findings", tags=["findings"])

SPEC = resource(
    kind="finding", path="findings", model=m.Finding, rdf_class="erkg:Finding",
    names={"en": "Finding", "de": "Befund"}, router=router,
    fields=(Field("study", "erkg:study"), Field("group", "erkg:respondentGroup"),
            Field("proposition", "erkg:proposition"), Field("share", "erkg:share", "xsd:decimal"),
            Field("qualifier", "erkg:shareQualifier"), Field("wording", "erkg:shareWording"),
            Field("about", "erkg:about"), Field("about_group", "erkg:aboutGroup"),
            Field("compared_with", "erkg:comparedWith")))


def build(repo: Repository, d: Described) -> m.Finding:
    t = repo.term
    roles = d.extra.get("group_role", [])
    return m.Finding(**repo.common(d), study=repo.ref(d.one(t("study"))), group=repo.ref(d.one(t("respondentGroup"))),
                     group_role=repo.ref(min(roles, key=str)) if roles else None,
                     proposition=repo.ref(d.one(t("proposition"))), share=plain(d.one(t("share"))),
                     qualifier=repo.ref(d.one(t("shareQualifier"))), wording=repo.text(d, t("shareWording")),
                     about=repo.refs(d.all(t("about"))), about_group=repo.ref(d.one(t("aboutGroup"))),
                     compared_with=repo.refs(d.all(t("comparedWith"))))


def findings_of(request: Request, repo: Repository, paging: Paging, as_jsonld: bool, *, role: str | None = None,
                study: str | None = None, group: str | None = None, topic: str | None = None,
                document: str | None = None) -> Response:
    """A page of findings; the filters are ids or IRIs (a path's resource already checked)."""
    described = repo.items(
        "findings", role=repo.resolve("role", role, "role"), study=repo.resolve("study", study, "study"),
        group=repo.resolve("group", group, "group"),
        topic=repo.resolve("topic", topic, "topic", "responsibility"),
        in_document=repo.resolve("document", document, "document"))
    return listing(request, repo, as_jsonld, paging, described, m.Finding, lambda d: build(repo, d), repo.sort_key_text)


@router.get("", response_model=m.Page[m.Finding], responses=LIST_RESPONSES, summary="List survey findings")
def list_findings(request: Request, repo: Repo, paging: PagingDep, as_jsonld: JsonLd, role: RoleFilter = None,
                  study: StudyFilter = None, group: GroupFilter = None, topic: TopicFilter = None,
                  document: DocumentFilter = None) -> Response:
    """Survey findings: which share of a respondent group (the CMOs, the IT staff …) agrees with a
    proposition or ascribes a trait, with the share's qualifier and wording, what it is about, and
    the quotation. `role` selects findings whose respondent group consists of holders of that role.
    In the order of the documents."""
    return findings_of(request, repo, paging, as_jsonld, role=role, study=study, group=group, topic=topic,
                       document=document)


@router.get("/{document}/{finding}", response_model=m.Finding, responses=ITEM_RESPONSES, summary="Get a finding")
def get_finding(request: Request, repo: Repo, as_jsonld: JsonLd, document: DocumentPath,
                finding: Annotated[str, fact_path("finding", "f-cmos-interaction-channels")]) -> Response:
    return answer(request, repo, as_jsonld, build(repo, repo.item("findings", "finding", f"{document}/{finding}")))
