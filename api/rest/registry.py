"""The resource registry: each REST resource declares one spec, and the rest is derived.

A `Resource` names its kind (the IRI segment under {base}id/), its path under
/api/v1, its pydantic model, its RDF class and its fields as property paths
(with their names in English and German where the pages show them). From the
collected specs come the routers (a resource's own router, or a list and an
item route made from the spec and the generic query things.rq), the paths the
`url` of a reference points to, the kinds label search takes, the classes and
keys of the JSON-LD context, the pages' names of the kinds and the properties
of the pages' relation rows.

Every module of api.rest that defines a Resource at module level is collected
(`collect`): adding a resource is one module, plus its query where the generic
one does not do.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from types import UnionType
from typing import Any, Union, get_args, get_origin

from fastapi import APIRouter
from pydantic import BaseModel

from kg.namespaces import FACT_KINDS, KINDS

from . import models as m
from .terms import plain

Names = Mapping[str, str]  # {"en": …, "de": …}


@dataclass(frozen=True)
class Field:
    """A key of the resource's JSON and the property path it stands for."""

    key: str
    path: str  # a CURIE; "^org:heldBy" is the inverse of org:heldBy
    datatype: str | None = None  # "@id" for IRIs given as strings, or the xsd: datatype of a literal
    language_map: bool = False  # {"de": …, "en": …} of language-tagged literals
    language: str | None = None  # the language of a string the graph holds in one language only
    names: Names | None = None  # the field's name where the pages show it

    def context(self) -> str | dict[str, str]:
        """The key's JSON-LD term definition."""
        if self.path.startswith("^"):
            return {"@reverse": self.path[1:]}
        if self.language_map:
            return {"@id": self.path, "@container": "@language"}
        if self.datatype:
            return {"@id": self.path, "@type": self.datatype}
        if self.language:
            return {"@id": self.path, "@language": self.language}
        return self.path


@dataclass(frozen=True)
class Resource:
    """One REST resource: /api/v1/{path} lists the things of {base}id/{kind}/, /api/v1/{path}/{id} gets one."""

    kind: str
    path: str
    model: type[BaseModel]
    rdf_class: str  # a CURIE
    names: Names  # the kind's name, for the pages
    fields: tuple[Field, ...] = ()
    subclasses: tuple[str, ...] = ()  # classes whose JSON-LD keys are the resource's (erkg:ExecutiveRole)
    router: APIRouter | None = None  # its own routes; None: a list and an item route made from the spec
    description: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"resource {self.path!r}: {self.kind!r} is no kind of IRI (kg.namespaces.KINDS)")
        missing = [f.key for f in self.fields if not f.path.startswith("^") and f.key not in self.model.model_fields]
        if missing:
            raise ValueError(f"resource {self.path!r}: its model has no field {', '.join(missing)}")

    @property
    def fact(self) -> bool:
        """Facts have ids {document}/{fact}: two path segments."""
        return self.kind in FACT_KINDS or self.kind == "quote"

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)

    def context(self) -> dict[str, Any] | None:
        """The JSON-LD context scoped to the resource's class (None when it has no keys of its own)."""
        return {f.key: f.context() for f in self.fields} or None


class Registry:
    """The resources, by kind, in the order of registration."""

    def __init__(self) -> None:
        self._by_kind: dict[str, Resource] = {}

    def register(self, spec: Resource) -> Resource:
        for other in self._by_kind.values():
            if spec.kind == other.kind or spec.path == other.path:
                raise ValueError(f"resource {spec.path!r} ({spec.kind}) clashes with {other.path!r} ({other.kind})")
        self._by_kind[spec.kind] = spec
        return spec

    def __iter__(self) -> Iterator[Resource]:
        return iter(list(self._by_kind.values()))

    def __getitem__(self, kind: str) -> Resource:
        return self._by_kind[kind]

    def __contains__(self, kind: object) -> bool:
        return kind in self._by_kind

    def copy(self) -> Registry:
        other = Registry()
        other._by_kind = dict(self._by_kind)
        return other

    @property
    def paths(self) -> dict[str, str]:
        """API path by kind: where the `url` of a reference points."""
        return {s.kind: s.path for s in self}

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(self._by_kind)

    def classes(self) -> dict[str, tuple[str, dict | None]]:
        """JSON-LD class terms: term -> (class CURIE, scoped context), for each class and subclass."""
        out: dict[str, tuple[str, dict | None]] = {}
        for spec in self:
            for curie in (spec.rdf_class, *spec.subclasses):
                out[curie.partition(":")[2]] = (curie, spec.context())
        return out


def _annotation_kind(annotation: Any) -> Any:
    """The annotation without None: Ref | None -> Ref."""
    if get_origin(annotation) in (Union, UnionType):
        options = [a for a in get_args(annotation) if a is not type(None)]
        return options[0] if len(options) == 1 else annotation
    return annotation


def builder(spec: Resource) -> Callable[[Any, Any], BaseModel]:
    """Builds the spec's model from an item of the generic query: each field from its property,
    as the model's annotation of that field wants it (a reference, references, a language map, a
    literal)."""

    def build(repo, d) -> BaseModel:
        values: dict[str, Any] = {}
        for f in spec.fields:
            if f.path.startswith("^"):
                continue
            p = repo.expand(f.path)
            kind = _annotation_kind(spec.model.model_fields[f.key].annotation)
            if kind is m.Ref:
                values[f.key] = repo.ref(d.one(p))
            elif kind == list[m.Ref]:
                values[f.key] = repo.refs(d.all(p))
            elif kind is m.Labels:
                values[f.key] = repo.lang_texts(d, p)[0]
            elif kind is m.AltLabels:
                values[f.key] = repo.lang_texts(d, p)[1]
            elif kind == list[str]:
                values[f.key] = sorted(v.value for v in d.all(p))
            elif kind is str:
                values[f.key] = repo.text(d, p)
            elif kind is bool:  # the graph states only what is true (erkg:former true)
                values[f.key] = bool(plain(d.one(p)))
            else:
                values[f.key] = plain(d.one(p))
        return spec.model(**repo.common(d), **values)
    return build


# Fields several resources share.
CONCEPT = (Field("alt_labels", "skos:altLabel", language_map=True),
           Field("definition", "skos:definition", language_map=True))
NAME = Field("name", "foaf:name")  # names are foaf:name, and the rdfs:label in both languages
CLAIMANT = Field("claimant", "erkg:claimant")

REGISTRY = Registry()


def resource(**spec: Any) -> Resource:
    """Declares a resource of the API (in a module of api.rest, at module level)."""
    return REGISTRY.register(Resource(**spec))


_collected = False


def collect() -> Registry:
    """The registry, after importing every module of api.rest (each registers its resources)."""
    global _collected
    if not _collected:
        package = importlib.import_module(__package__)
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{__package__}.{module.name}")
        _collected = True
    return REGISTRY


__all__ = ["CLAIMANT", "CONCEPT", "NAME", "REGISTRY", "Field", "Registry", "Resource", "builder", "collect", "resource"]
