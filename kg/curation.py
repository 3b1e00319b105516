"""The curation file formats (docs/curation.md) as pydantic models, and their loading.

Models forbid unknown fields. A field that refers to another item carries a
`Ref` naming the kinds it may point at; `references()` walks any model for
them, so reference checking needs no per-type code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from .errors import CurationError, Problem
from .namespaces import ENTITY_KINDS, FACT_KINDS, INFERRED

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Text = Annotated[str, StringConstraints(min_length=1)]

AGENTS = ("person", "organization", "study", "group")
PARTIES = ("role", "department", "group")
ANY = (*ENTITY_KINDS, "role", "department")


@dataclass(frozen=True)
class Ref:
    """Marks a field as a reference to items of these kinds."""

    kinds: tuple[str, ...]


def ref(*kinds: str) -> Ref:
    return Ref(kinds)


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Label(Model):
    de: Text
    en: Text


class Quoted(Model):
    quote: Text
    context: Text | None = None


# ---------------------------------------------------------------- entities

class Entity(Quoted):
    id: Slug


class Person(Entity):
    type: Literal["person"]
    name: Text


class Organization(Entity):
    type: Literal["organization"]
    name: Text


class Place(Entity):
    type: Literal["place"]
    name: Text


class Study(Entity):
    type: Literal["study"]
    label: Label
    title: Text | None = None
    publisher: Annotated[Slug, ref("organization")] | None = None
    sample_size: Annotated[int, Field(ge=1)] | None = None
    sample: Text | None = None
    scope: Text | None = None


class Group(Entity):
    type: Literal["group"]
    label: Label
    department: Annotated[Slug, ref("department")] | None = None
    role: Annotated[Slug, ref("role")] | None = None


class Proposition(Entity):
    type: Literal["proposition"]
    label: Label


class Topic(Entity):
    type: Literal["topic"]
    label: Label


class Responsibility(Entity):
    type: Literal["responsibility"]
    label: Label


class Checklist(Entity):
    type: Literal["checklist"]
    label: Label
    audience: list[Annotated[Slug, ref(*PARTIES)]] = []


AnyEntity = Annotated[
    Union[Person, Organization, Place, Study, Group, Proposition, Topic, Responsibility, Checklist],
    Field(discriminator="type"),
]

# ---------------------------------------------------------------- facts

class Fact(Quoted):
    id: Slug
    label: Label | None = None


class Post(Fact):
    person: Annotated[Slug, ref("person")]
    role: Annotated[Slug, ref("role")]
    organization: Annotated[Slug, ref("organization")]
    title: Text | None = None
    since: Annotated[int, Field(ge=1800, le=2100)] | None = None
    former: bool = False


class Affiliation(Fact):
    person: Annotated[Slug, ref("person")]
    organization: Annotated[Slug, ref("organization")]


class Finding(Fact):
    study: Annotated[Slug, ref("study")]
    group: Annotated[Slug, ref("group")]
    proposition: Annotated[Slug, ref("proposition")]
    share: Annotated[float, Field(ge=0, le=100, description="percent")] | None = None
    qualifier: Annotated[Slug, ref("qualifier")] | None = None
    wording: Text | None = None
    about: list[Annotated[Slug, ref("topic", "responsibility")]] = []
    about_group: Annotated[Slug, ref("group")] | None = None
    compared_with: Annotated[Slug, ref("finding")] | None = None

    @model_validator(mode="after")
    def _wording_in_quote(self) -> Finding:
        if self.wording is not None and self.wording not in self.quote:
            raise ValueError(f"wording {self.wording!r} does not occur in the quote")
        if self.qualifier is not None and self.share is None:
            raise ValueError("a qualifier needs a share")
        return self


class Claim(Fact):
    subject: Annotated[Slug, ref(*PARTIES)]
    responsibility: Annotated[Slug, ref("responsibility")]
    modality: Annotated[Slug, ref("modality")]
    claimant: Annotated[Slug, ref(*AGENTS)] | None = None


class Relation(Fact):
    between: Annotated[list[Annotated[Slug, ref(*PARTIES)]], Field(min_length=2, max_length=2)]
    kind: Annotated[Slug, ref("relation-kind")]
    claimant: Annotated[Slug, ref(*AGENTS)] | None = None
    modality: Annotated[Slug, ref("modality")] | None = None
    about: list[Annotated[Slug, ref("topic", "responsibility")]] = []


class Recommendation(Fact):
    label: Label
    checklist: Annotated[Slug, ref("checklist")] | None = None
    position: Annotated[int, Field(ge=1)] | None = None
    audience: list[Annotated[Slug, ref(*PARTIES)]] = []
    claimant: Annotated[Slug, ref(*AGENTS)] | None = None


class Statement(Fact):
    label: Label
    subject: Annotated[Slug, ref(*ANY)]
    kind: Annotated[Slug, ref("statement-kind")]
    object: Annotated[Slug, ref(*ANY)] | None = None
    value: Text | None = None
    claimant: Annotated[Slug, ref(*AGENTS)] | None = None


class Found(Model):
    """A span of the text found by `erkg extract` (offsets as in kg.text), with its confidence."""

    text: Text
    start: Annotated[int, Field(ge=0)]
    end: Annotated[int, Field(ge=0)]
    confidence: Annotated[float, Field(ge=0, le=1)]


class RoleMention(Found):
    """A mention of a role in the text."""

    role: Annotated[Slug, ref("role")]


class PostWithoutOrganization(Found):
    """A person's post whose organization the text does not name: the curator places it (a
    curated post needs its organization)."""

    person: Text
    title: Text
    role: Annotated[Slug, ref("role")] | None = None


class Review(Model):
    """The review state of a facts file drafted by `erkg extract`: an unreviewed draft is
    left out of `erkg build` unless asked for; `confidence` is the extractor's, per item id."""

    status: Literal["unreviewed", "reviewed"]
    extracted_by: Text | None = None
    confidence: dict[str, Annotated[float, Field(ge=0, le=1)]] = {}
    role_mentions: list[RoleMention] = []
    posts_without_organization: list[PostWithoutOrganization] = []


class FactsFile(Model):
    """data/facts/<doc>.yaml"""

    document: Slug
    review: Review | None = None
    entities: list[AnyEntity] = []
    posts: list[Post] = []
    affiliations: list[Affiliation] = []
    findings: list[Finding] = []
    claims: list[Claim] = []
    relations: list[Relation] = []
    recommendations: list[Recommendation] = []
    statements: list[Statement] = []


# The fact lists of a facts file: (field name, kind of fact used in IRIs).
FACT_LISTS: tuple[tuple[str, str], ...] = (
    ("posts", "post"), ("affiliations", "affiliation"), ("findings", "finding"),
    ("claims", "claim"), ("relations", "relation"), ("recommendations", "recommendation"),
    ("statements", "statement"),
)
assert {kind for _, kind in FACT_LISTS} == set(FACT_KINDS)


class DocumentMeta(Model):
    """data/sources/<doc>.yaml"""

    id: Slug
    label: Label
    title: Text | None = None
    publisher: Annotated[Slug, ref("organization")] | None = None
    authors: list[Annotated[Slug, ref("person")]] = []
    editors: list[Annotated[Slug, ref("person")]] = []
    date: dt.date | None = None
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
    original: Text | None = None
    # The address of the original, only where the document names it (never looked up).
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    # Why a field is empty, or how a value was read from the document (in English). An empty
    # field without a note is said to be "not stated in the document" (kg.graph).
    notes: dict[Literal["url", "date", "publisher", "authors"], Text] = {}


# ---------------------------------------------------------------- loading

@dataclass(frozen=True)
class Document:
    """A source document with its text, metadata and curated facts."""

    meta: DocumentMeta
    text: str
    facts: FactsFile
    text_path: Path
    facts_path: Path

    @property
    def id(self) -> str:
        return self.meta.id


def references(model: BaseModel) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """Yield (field name, referenced slug, allowed kinds) for every Ref field of a model."""
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        if value is None:
            continue
        kinds = _ref_kinds(info.annotation, info.metadata)
        if kinds is None:
            continue
        for slug in value if isinstance(value, list) else [value]:
            yield name, slug, kinds


def _ref_kinds(annotation: Any, metadata: list[Any]) -> tuple[str, ...] | None:
    for m in metadata:
        if isinstance(m, Ref):
            return m.kinds
    for arg in getattr(annotation, "__args__", ()) or ():
        kinds = _ref_kinds(arg, list(getattr(arg, "__metadata__", ())))
        if kinds is not None:
            return kinds
    return None


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing a key given twice in one mapping (PyYAML keeps the
    last one silently: a finding with two shares would lose one without a word)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, Hashable):
                continue  # the safe loader refuses it with its own message
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping", node.start_mark, f"found the key {key!r} twice", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except FileNotFoundError:
        raise CurationError([Problem(path, "", "file not found")]) from None
    except UnicodeDecodeError as e:
        raise CurationError([Problem(path, "", f"not UTF-8 ({e.reason} at byte {e.start})")]) from None
    except yaml.YAMLError as e:
        raise CurationError([Problem(path, "", f"not valid YAML: {e}")]) from None


def _item_name(raw: Any, loc: tuple[int | str, ...]) -> str:
    """'findings[3] 'cmo-channels'' from a pydantic error location, with the item's id."""
    if len(loc) >= 2 and isinstance(loc[1], int):
        item = raw.get(loc[0], [])[loc[1]] if isinstance(raw, dict) else None
        ident = item.get("id") if isinstance(item, dict) else None
        return f"{loc[0]}[{loc[1]}]" + (f" {ident!r}" if ident else "")
    return str(loc[0]) if loc else ""


def _problems(path: Path, raw: Any, error: ValidationError) -> list[Problem]:
    problems = []
    for e in error.errors():
        loc = tuple(e["loc"])
        # Drop the discriminator tag pydantic adds for tagged unions (e.g. 'person').
        if len(loc) >= 3 and isinstance(loc[1], int) and isinstance(loc[2], str) and loc[0] == "entities":
            loc = loc[:2] + loc[3:]
        in_item = len(loc) >= 2 and isinstance(loc[1], int)
        field = ".".join(map(str, loc[2:] if in_item else loc))
        if e["type"] == "extra_forbidden":
            reason = f"unknown field {field!r}"
        elif e["type"] == "missing":
            reason = f"missing required field {field!r}"
        else:
            msg = e["msg"].removeprefix("Value error, ")
            reason = f"field {field!r}: {msg}" if field else msg
        problems.append(Problem(path, _item_name(raw, loc), reason))
    return problems


def _parse(model: type[Model], path: Path) -> Model:
    raw = _read_yaml(path)
    if not isinstance(raw, dict):
        raise CurationError([Problem(path, "", "expected a YAML mapping at the top level")])
    try:
        return model.model_validate(raw)
    except ValidationError as e:
        raise CurationError(_problems(path, raw, e)) from None


def load_documents(data_dir: Path, include_unreviewed: bool = False) -> list[Document]:
    """Load every document under data_dir (sources/<doc>.{txt,yaml} and facts/<doc>.yaml),
    collecting the problems of all files before failing. Documents whose facts file is an
    unreviewed draft (`review: {status: unreviewed}`) are skipped unless include_unreviewed."""
    sources, facts_dir = data_dir / "sources", data_dir / "facts"
    documents, problems = [], []
    metas = sorted(sources.glob("*.yaml"))
    if not metas:
        raise CurationError([Problem(sources, "", "no document metadata (*.yaml) found")])
    for meta_path in metas:
        doc_id = meta_path.stem
        text_path, facts_path = sources / f"{doc_id}.txt", facts_dir / f"{doc_id}.yaml"
        try:
            meta = _parse(DocumentMeta, meta_path)
            facts = _parse(FactsFile, facts_path)
            text = text_path.read_bytes().decode("utf-8")
        except CurationError as e:
            problems += e.problems
            continue
        except FileNotFoundError:
            problems.append(Problem(text_path, "", "source text not found"))
            continue
        except UnicodeDecodeError as e:
            problems.append(Problem(text_path, "", f"not UTF-8 ({e.reason} at byte {e.start})"))
            continue
        if facts.review is not None and facts.review.status == "unreviewed" and not include_unreviewed:
            continue
        if meta.id != doc_id:
            problems.append(Problem(meta_path, "id", f"id {meta.id!r} does not match the file name {doc_id!r}"))
        if doc_id == INFERRED:
            problems.append(Problem(meta_path, "id", f"the id {INFERRED!r} is reserved: the graph of inferred "
                                                     "triples has that name"))
        if facts.document != doc_id:
            problems.append(Problem(facts_path, "document", f"names {facts.document!r}, expected {doc_id!r}"))
        documents.append(Document(meta, text, facts, text_path, facts_path))
    orphans = sorted({p.stem for p in facts_dir.glob("*.yaml")} - {p.stem for p in metas})
    problems += [Problem(facts_dir / f"{o}.yaml", "", f"no data/sources/{o}.yaml for this facts file") for o in orphans]
    if problems:
        raise CurationError(problems)
    return documents
