"""The REST API's response models: what /docs documents and every answer follows.

Every resource item carries its IRI, its id (the slug of its URL; for facts
`{document}/{fact}`), its type, its labels in German and English and its
provenance: the quotations of the source documents it rests on. References to
other resources are `Ref`s: IRI, id, type and labels, enough to show them and
to follow them (the `url` of a reference names the API resource where there is one).
"""

from __future__ import annotations

from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class Labels(BaseModel):
    """A text in German and English (null where the graph has none). Names of
    people, organizations and places are language-neutral: both hold the name."""

    de: str | None = None
    en: str | None = None


class AltLabels(BaseModel):
    """Alternative labels (abbreviations, synonyms) per language."""

    de: list[str] = []
    en: list[str] = []


class Ref(BaseModel):
    """A reference to another resource of the graph."""

    iri: str = Field(description="the resource's IRI")
    id: str = Field(description="its id: the slug of its IRI (for facts: document/fact)")
    type: str = Field(description="its kind: role, department, person, organization, group, finding …")
    labels: Labels
    url: str | None = Field(None, description="the API resource that describes it, where there is one")


class Provenance(BaseModel):
    """A quotation an item rests on: the exact words of a source document, where
    they stand (0-based character offsets into the stored text, end excluded:
    text[start:end] == quote), and the sentence around them."""

    document: Ref
    quote: str
    start: int
    end: int
    sentence: str
    sentence_start: int
    sentence_end: int
    quotation: str = Field(description="the IRI of the quotation (an erkg:Quotation)")
    url: str | None = Field(None, description="the API resource that describes the quotation")


class Item(BaseModel):
    iri: str = Field(description="the IRI of the resource in the graph")
    id: str = Field(description="the id in this API's URLs (the slug of the IRI; for facts: document/fact)")
    type: str
    labels: Labels
    provenance: list[Provenance] = Field(
        description="the quotations the item rests on; empty for terms of the ontology (roles, departments) "
                    "and for source documents, which are the sources themselves")


class Page(BaseModel, Generic[T]):
    """One page of a list: `total` items match, `items` are those from `offset` on, at most `limit`."""

    total: int = Field(description="how many items match the filters, on all pages")
    offset: int
    limit: int
    next: str | None = Field(None, description="the URL of the next page; null on the last")
    prev: str | None = Field(None, description="the URL of the previous page; null on the first")
    items: list[T]


# ---------------------------------------------------------------- resources


class Role(Item):
    type: Literal["role"] = "role"
    alt_labels: AltLabels
    definition: Labels
    executive: bool = Field(description="a C-level role (erkg:ExecutiveRole)")
    leads_department: list[Ref] = Field(description="the departments the role leads by definition")
    exact_match: list[str] = Field(description="IRIs of concepts of other vocabularies with the same meaning (ESCO)")
    close_match: list[str] = Field(description="IRIs of close concepts of other vocabularies (FIBO)")
    broad_match: list[str] = Field(description="IRIs of broader concepts of other vocabularies (FIBO)")
    isco08: list[str] = Field(description="ISCO-08 codes")


class Department(Item):
    type: Literal["department"] = "department"
    alt_labels: AltLabels
    definition: Labels
    led_by: list[Ref] = Field(description="the roles that lead the department by definition")


class Responsibility(Item):
    type: Literal["responsibility"] = "responsibility"


class Organization(Item):
    type: Literal["organization"] = "organization"
    name: str


class Post(Item):
    type: Literal["post"] = "post"
    person: Ref
    role: Ref
    organization: Ref
    title: str | None = Field(None, description="the post's wording in the document, e.g. 'Marketing Manager DACH'")
    since: int | None = Field(None, description="the year since which the post is held")
    former: bool = Field(False, description="a post held before, no longer")


class Person(Item):
    type: Literal["person"] = "person"
    name: str
    posts: list[Post] = Field(description="the posts the person holds or held")


class Study(Item):
    type: Literal["study"] = "study"
    title: str | None = None
    publisher: Ref | None = None
    sample_size: int | None = None
    sample: str | None = Field(None, description="the sample as worded, e.g. '1.700 Marketing-Experten'")
    scope: str | None = None


class Finding(Item):
    type: Literal["finding"] = "finding"
    study: Ref
    group: Ref = Field(description="the respondent group")
    group_role: Ref | None = Field(None, description="the role the members of the respondent group hold")
    proposition: Ref = Field(description="what the share of the group agrees with, or the trait it ascribes")
    share: float | None = Field(None, ge=0, le=1, description="the share of the group, in [0, 1]")
    qualifier: Ref | None = Field(None, description="how exactly the share holds: exactly, at least, less than …")
    wording: str | None = Field(None, description="the share as the document words it, e.g. '53 Prozent'")
    about: list[Ref] = Field(description="topics and responsibilities the finding is about")
    about_group: Ref | None = Field(None, description="the group the respondents judge (perceptions of another group)")
    compared_with: list[Ref] = Field(description="findings the document sets this one against")


class Claim(Item):
    type: Literal["claim"] = "claim"
    assignee: Ref = Field(description="the role, department or group the responsibility is assigned to")
    role: Ref | None = Field(None, description="the role the assignee is, or whose holders form the assignee group")
    responsibility: Ref
    modality: Ref = Field(description="is, should, must, becoming, wants, entitled …")
    claimant: Ref | None = Field(None, description="who says so: a person, organization, study or group")


class Relation(Item):
    type: Literal["relation"] = "relation"
    first: Ref = Field(description="the first party; for directed kinds (aligns, positioned below) the one that "
                                   "aligns or is placed below")
    second: Ref = Field(description="the second party")
    kind: Ref = Field(description="conflict, collaboration, tempo mismatch, aligns, positioned below …")
    modality: Ref | None = Field(None, description="is, is not, should, can, becoming …")
    claimant: Ref | None = None
    about: list[Ref] = Field(description="topics and responsibilities the relation is over")


class Statement(Item):
    type: Literal["statement"] = "statement"
    subject: Ref = Field(description="what the statement is about: an organization, person, role, study, topic …")
    kind: Ref = Field(description="headquarters, customer, funding, description, opinion …")
    object: Ref | None = Field(None, description="a second resource the statement names (customer, investor …)")
    value: str | None = Field(None, description="a value the statement gives, as worded")
    claimant: Ref | None = None


class Recommendation(Item):
    type: Literal["recommendation"] = "recommendation"
    checklist: Ref | None = None
    position: int | None = Field(None, description="1-based position in the checklist")
    audience: list[Ref] = Field(description="the roles, departments or groups addressed")
    claimant: Ref | None = None


class Document(Item):
    type: Literal["document"] = "document"
    title: str | None = None
    publisher: Ref | None = None
    authors: list[Ref]
    editors: list[Ref]
    date: str | None = Field(None, description="the date the document states (YYYY-MM-DD)")
    language: str | None = None
    original: str | None = Field(None, description="the name of the original file")
    length: int = Field(description="the length of the stored text in characters")
    text_url: str = Field(description="where the stored text is served (text/plain), which every offset points into")
    text_served: bool = Field(description="whether this server serves the full text at text_url; false where the "
                                          "deployment shows only the quoted sentences (ERKG_SOURCE_TEXTS=quotes)")
    source_url: str | None = Field(None, description="the address of the original, only where the document names it")
    source_url_note: str | None = Field(None, description="why source_url is empty (e.g. not stated in the document)")
    date_note: str | None = Field(None, description="why date is empty, or how it was read from the document")
    publisher_note: str | None = Field(None, description="why publisher is empty, or how it was read from the document")
    authors_note: str | None = Field(None, description="why authors is empty, or how they were read from the document")
    rights: Labels = Field(description="who holds the rights to the stored text, and on what terms ERKG shows it")
    rights_holders: list[Ref] = Field(description="the rights holders the document names (its authors and publisher)")


# ---------------------------------------------------------------- search, queries, problems


class SearchHit(BaseModel):
    iri: str
    id: str
    type: str
    labels: Labels
    match: Literal["exact", "prefix", "inflection", "substring"] = Field(
        description="how the best label matched: the whole label, its start or a word's start, an inflected "
                    "or differently joined form (CMOs, Marketingchef), or a part of it")
    matched_label: str = Field(description="the label that matched")
    url: str | None = Field(None, description="the API resource that describes the hit, where there is one")


class QueryParameter(BaseModel):
    name: str
    type: Literal["iri", "string", "integer", "decimal"]
    optional: bool
    description: str


class NamedQueryInfo(BaseModel):
    name: str
    title: str
    description: str
    parameters: list[QueryParameter]
    url: str = Field(description="the endpoint that runs the query")


class NamedQueryList(BaseModel):
    total: int
    items: list[NamedQueryInfo]


Value = str | int | float | bool | None


class NamedQueryResult(BaseModel):
    query: str
    title: str
    parameters: dict[str, str] = Field(description="the parameter values given")
    columns: list[str]
    rows: list[dict[str, Value]] = Field(
        description="one object per solution, a value per column: IRIs and strings as strings, numbers as "
                    "numbers, booleans as booleans, null where the column is unbound")
    count: int


class ApiIndex(BaseModel):
    model_config = ConfigDict(extra="allow")

    title: str
    docs: str
    openapi: str
    context: str
    search: str
    queries: str
    resources: dict[str, str]


class ProblemError(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    in_: str = Field(alias="in")
    name: str
    message: str


class ProblemDetails(BaseModel):
    """RFC 9457 problem details (application/problem+json)."""

    model_config = ConfigDict(extra="allow")

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[ProblemError] | None = None
