"""/api/v1/departments: marketing, IT, sales … as the documents speak of them in general."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from kg.namespaces import SKOS

from . import models as m
from .data import Described, Repository
from .deps import ITEM_RESPONSES, LIST_RESPONSES, JsonLd, PagingDep, Repo, answer, listing
from .filters import DepartmentPath
from .registry import CONCEPT, Field, resource

router = APIRouter(prefix="/departments", tags=["departments"])

SPEC = resource(kind="department", path="departments", model=m.Department, rdf_class="erkg:Department",
                names={"en": "Department", "de": "Abteilung"}, router=router,
                fields=(*CONCEPT, Field("led_by", "^erkg:leadsDepartment")))


def build(repo: Repository, d: Described) -> m.Department:
    definition, _ = repo.lang_texts(d, SKOS.definition)
    _, alt = repo.lang_texts(d, SKOS.altLabel)
    return m.Department(**repo.common(d), alt_labels=alt, definition=definition,
                        led_by=repo.refs(d.extra.get("led_by", [])))


@router.get("", response_model=m.Page[m.Department], responses=LIST_RESPONSES, summary="List the departments")
def list_departments(request: Request, repo: Repo, paging: PagingDep, as_jsonld: JsonLd) -> Response:
    """The departments of the vocabulary, with labels, definitions and the roles that lead them."""
    return listing(request, repo, as_jsonld, paging, repo.items("departments"), m.Department,
                   lambda d: build(repo, d), lambda d: d.iri)


@router.get("/{department}", response_model=m.Department, responses=ITEM_RESPONSES, summary="Get a department")
def get_department(request: Request, repo: Repo, as_jsonld: JsonLd, department: DepartmentPath) -> Response:
    return answer(request, repo, as_jsonld, build(repo, repo.item("departments", "department", department)))
