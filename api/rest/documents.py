"""/api/v1/documents: the source documents, their metadata and stored texts."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from kg.namespaces import DCTERMS, SCHEMA

from ..problems import Problem
from . import models as m
from .data import Described, Repository
from .terms import plain
from .deps import ITEM_RESPONSES, LIST_RESPONSES, JsonLd, PagingDep, Repo, answer, listing
from .filters import DocumentPath, PublisherFilter
from .registry import Field, resource

router = APIRouter(prefix="/documents", tags=["documents"])

SPEC = resource(kind="document", path="documents", model=m.Document, rdf_class="erkg:SourceDocument",
                names={"en": "Source document", "de": "Quelldokument"}, router=router,
                fields=(Field("title", "dcterms:title"), Field("publisher", "dcterms:publisher"),
                        Field("authors", "dcterms:creator"), Field("editors", "dcterms:contributor"),
                        Field("date", "dcterms:date", "xsd:date"), Field("language", "dcterms:language"),
                        Field("original", "dcterms:source"), Field("source_url", "schema:url", "@id"),
                        Field("source_url_note", "erkg:urlNote", language="en"),
                        Field("date_note", "erkg:dateNote", language="en"),
                        Field("publisher_note", "erkg:publisherNote", language="en"),
                        Field("authors_note", "erkg:creatorNote", language="en"),
                        Field("length", "erkg:textLength", "xsd:nonNegativeInteger"),
                        Field("rights", "dcterms:rights", language_map=True),
                        Field("rights_holders", "dcterms:rightsHolder")))


def build(repo: Repository, d: Described) -> m.Document:
    common = repo.common(d)
    date, url = d.one(DCTERMS.date), d.one(SCHEMA.url)
    lengths = d.extra.get("length", [])
    rights, _ = repo.lang_texts(d, DCTERMS.rights)
    notes = {f"{field}_note": repo.text(d, repo.term(prop))
             for field, prop in (("source_url", "urlNote"), ("date", "dateNote"), ("publisher", "publisherNote"),
                                 ("authors", "creatorNote"))}
    return m.Document(**common, title=repo.text(d, DCTERMS.title), publisher=repo.ref(d.one(DCTERMS.publisher)),
                      authors=repo.refs(d.all(DCTERMS.creator)), editors=repo.refs(d.all(DCTERMS.contributor)),
                      date=date.value if date is not None else None, language=repo.text(d, DCTERMS.language),
                      original=repo.text(d, DCTERMS.source), length=plain(lengths[0]) if lengths else 0,
                      text_url=f"/api/v1/documents/{common['id']}/text",
                      text_served=repo.service.settings.source_texts == "full",
                      source_url=url.value if url is not None else None, **notes, rights=rights,
                      rights_holders=repo.refs(d.all(DCTERMS.rightsHolder)))


@router.get("", response_model=m.Page[m.Document], responses=LIST_RESPONSES, summary="List the source documents")
def list_documents(request: Request, repo: Repo, paging: PagingDep, as_jsonld: JsonLd,
                   publisher: PublisherFilter = None) -> Response:
    """The source documents: labels, title, publisher, authors, editors, date, language, the
    original file, and the length of the stored text, which every quotation's offsets point into."""
    described = repo.items("documents", publisher=repo.resolve("publisher", publisher, "organization"))
    return listing(request, repo, as_jsonld, paging, described, m.Document, lambda d: build(repo, d), lambda d: d.iri)


@router.get("/{document}", response_model=m.Document, responses=ITEM_RESPONSES, summary="Get a source document")
def get_document(request: Request, repo: Repo, as_jsonld: JsonLd, document: DocumentPath) -> Response:
    return answer(request, repo, as_jsonld, build(repo, repo.item("documents", "document", document)))


@router.get("/{document}/text", response_class=PlainTextResponse, summary="The stored text of a source document",
            responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}},
                             "description": "the text exactly as stored: quotation offsets are character "
                                            "offsets into it (0-based, end excluded)"},
                       403: {**ITEM_RESPONSES[404], "description": "this deployment shows the quoted sentences "
                                                                   "only, not the full texts"},
                       404: ITEM_RESPONSES[404]})
def document_text(repo: Repo, document: DocumentPath) -> Response:
    if repo.service.settings.source_texts != "full":
        item = build(repo, repo.item("documents", "document", document))  # an unknown document stays a 404
        page = "/" + item.iri.removeprefix(repo.iris.base)  # where the server serves the IRI (README)
        raise Problem(403, f"this deployment shows the quoted sentences of the source texts only, not the full "
                           f"texts (ERKG_SOURCE_TEXTS=quotes): the quotations of {item.id!r}, each in its "
                           f"sentence, are on the document's page {page} and in the provenance of every fact",
                      title="Full text not shown")
    rows = repo.select("document-text", item=repo.require("document", document))
    if not rows:
        raise Problem(404, f"there is no document with id {document!r}", title="Not found")
    return PlainTextResponse(rows[0]["text"].value)
