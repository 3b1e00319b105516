"""/api/v1/quotations: the exact words of the source documents that facts and entities rest on."""

from __future__ import annotations

from typing import Annotated, Literal

import pyoxigraph as ox
from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from pydantic import Field as ModelField

from kg.namespaces import expand_id

from ..problems import Problem
from . import models as m
from .data import Described, Repository
from .deps import ITEM_RESPONSES, LIST_RESPONSES, JsonLd, PagingDep, Repo, answer, listing
from .filters import DocumentFilter, DocumentPath
from .registry import resource

router = APIRouter(prefix="/quotations", tags=["quotations"])


class Quotation(m.Provenance):
    """A quotation: where the words stand in the stored text (text[start:end] == quote) and the
    sentence around them. The same as a provenance entry, with its own id."""

    iri: str = ModelField(description="the quotation's IRI (equal to `quotation`)")
    id: str = ModelField(description="its id: document/start-end")
    type: Literal["quote"] = "quote"


SPEC = resource(kind="quote", path="quotations", model=Quotation, rdf_class="erkg:Quotation",
                names={"en": "Quotation", "de": "Zitat"}, router=router)


def build(repo: Repository, d: Described) -> Quotation:
    provenance = repo.provenance(d)[0]
    return Quotation(**provenance.model_dump(), iri=d.iri, id=repo.split(d.iri)[1])


@router.get("", response_model=m.Page[Quotation], responses=LIST_RESPONSES, summary="List quotations")
def list_quotations(request: Request, repo: Repo, paging: PagingDep, as_jsonld: JsonLd,
                    document: DocumentFilter = None) -> Response:
    """The quotations of the source documents that facts and entities rest on, in the order of the
    documents: the quoted words, their character offsets and the sentence around them."""
    described = repo.items("quotations", in_document=repo.resolve("document", document, "document"))
    return listing(request, repo, as_jsonld, paging, described, Quotation, lambda d: build(repo, d),
                   repo.sort_key_text)


@router.get("/{document}/{quotation}", response_model=Quotation, responses=ITEM_RESPONSES, summary="Get a quotation")
def get_quotation(request: Request, repo: Repo, as_jsonld: JsonLd, document: DocumentPath,
                  quotation: Annotated[str, Path(description="the quotation's offsets in the document's text, "
                                                             "start-end, e.g. 6032-6061")]) -> Response:
    # Quotations have no labels: they are not in the label index, the query decides.
    try:
        iri = ox.NamedNode(expand_id(f"{document}/{quotation}", repo.prefixes, ("quote",))[0]).value
    except ValueError:  # no IRI can hold it
        iri = None
    found = repo.items("quotations", item=iri) if iri else []
    if not found:
        raise Problem(404, f"path parameter 'quotation': there is no quotation {document}/{quotation}",
                      title="Not found")
    return answer(request, repo, as_jsonld, build(repo, found[0]))
