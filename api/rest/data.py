"""The REST API's access to the graph.

Everything goes through the service's query engine (Service.select), with the
API's own queries from api/rest/queries/*.rq: filters are bound by SEP-0007
substitution, never pasted into a query. A list request is one query for the
items and the quotations they rest on together (a row per property value, a
row per quotation); the rows are grouped per item here, sorted and cut into
pages. Answers are kept per query and parameters in a small LRU cache: the
dataset never changes while the service runs, so paging through a list costs
one query.

Labels of everything (for the references in answers, and for label search)
are loaded once per service with one query.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from fastapi import Request

from kg.namespaces import FOAF, ID_FORMS, RDFS, expand_id
from kg.queries import NamedQuery, load_queries

from ..cache import LRUCache
from ..problems import Problem, invalid_parameters
from ..service import Service, ServiceDep
from . import models as m
from .registry import REGISTRY, Registry
from .terms import plain

QUERIES = Path(__file__).resolve().parent / "queries"

# Columns of the API's item queries (besides the parameters, which are projected
# so that they can be bound, and the extra columns of a query).
PROVENANCE_COLUMNS = ("quotation", "document", "quote", "start", "end", "sentence", "sentence_text",
                      "sentence_start", "sentence_end")

_LABEL = str(RDFS.label)

@dataclass
class Thing:
    """What the label index knows of one resource under {base}id/."""

    iri: str
    kind: str
    id: str
    types: set[str] = field(default_factory=set)
    labels: list[tuple[str, str, str]] = field(default_factory=list)  # (property IRI, text, language)

    def display(self) -> m.Labels:
        """The German and English rdfs:label (every resource has one per language)."""
        out: dict[str, str] = {}
        for p, text, lang in self.labels:
            if p == _LABEL and lang in ("de", "en"):
                out.setdefault(lang, text)
        return m.Labels(**out)

    def name(self) -> str | None:
        return next((t for p, t, _ in self.labels if p == str(FOAF.name)), None)


@dataclass
class Described:
    """One item of an item query: its property values, extra columns and quotations."""

    iri: str
    props: dict[str, list] = field(default_factory=dict)  # predicate IRI -> terms
    extra: dict[str, list] = field(default_factory=dict)  # extra column -> terms
    provenance: list[dict] = field(default_factory=list)  # provenance columns -> terms

    def all(self, predicate) -> list:
        return self.props.get(str(predicate), [])

    def one(self, predicate):
        values = self.all(predicate)
        return min(values, key=str) if values else None

    def first_start(self) -> int:
        starts = [plain(p["start"]) for p in self.provenance]
        return min(starts) if starts else 0

    def document(self) -> str:
        docs = sorted(p["document"].value for p in self.provenance)
        return docs[0] if docs else ""


class Repository:
    """The API's view of one service's graph."""

    def __init__(self, service: Service, registry: Registry = REGISTRY) -> None:
        self.service = service
        self.registry = registry
        self.iris = service.iris
        self.prefixes = service.iris.prefixes()
        self.base = service.settings.base
        self.prefix = f"{self.base}id/"
        self.erkg = str(self.iris.erkg)
        self.queries: dict[str, NamedQuery] = load_queries(QUERIES)
        self._cache: LRUCache[list[Described]] = LRUCache(128)
        self._things: dict[str, Thing] | None = None
        self._lock = threading.Lock()

    # ------------------------------------------------------------ terms and IRIs

    def term(self, local: str) -> str:
        """An ontology term's IRI under this service's base: term('study') -> …ontology#study."""
        return self.erkg + local

    def expand(self, curie: str) -> str:
        """A CURIE of the API's specs (erkg:study, org:heldBy) as an IRI under this service's base."""
        prefix, _, local = curie.partition(":")
        return self.prefixes[prefix] + local

    def thing_iri(self, kind: str, slug: str) -> str:
        return f"{self.prefix}{kind}/{slug}"

    def split(self, iri: str) -> tuple[str, str] | None:
        """(kind, id) of an IRI under {base}id/, else None."""
        if not iri.startswith(self.prefix):
            return None
        kind, sep, rest = iri[len(self.prefix):].partition("/")
        return (kind, rest) if sep and rest else None

    # ------------------------------------------------------------ running queries

    def select(self, name: str, **params: str | None) -> list[dict]:
        """Rows of one of the API's queries, parameters given as IRIs (None: not given).
        An engine error becomes its problem document by the app's handler (api.problems)."""
        substitutions = {k: ox.NamedNode(v) for k, v in params.items() if v is not None}
        return self.service.select(self.queries[name].text, **substitutions)

    def items(self, name: str, **params: str | None) -> list[Described]:
        """The items of an item query, grouped, in the order of first appearance (cached)."""
        key = "\x1f".join([name, *(f"{k}={v}" for k, v in sorted(params.items()) if v is not None)])
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        query = self.queries[name]
        skip = {"item", "property", "value", *PROVENANCE_COLUMNS, *(p.name for p in query.params)}
        grouped: dict[str, Described] = {}
        for row in self.select(name, **params):
            item = row["item"].value
            d = grouped.get(item) or grouped.setdefault(item, Described(item))
            if "property" in row and "value" in row:
                d.props.setdefault(row["property"].value, []).append(row["value"])
            if "quotation" in row:
                prov = {c: row.get(c) for c in PROVENANCE_COLUMNS}
                if prov not in d.provenance:
                    d.provenance.append(prov)
            for column, value in row.items():
                if column not in skip:
                    values = d.extra.setdefault(column, [])
                    if value not in values:
                        values.append(value)
        result = list(grouped.values())
        for d in result:
            d.provenance.sort(key=lambda p: (p["document"].value, plain(p["start"]), plain(p["end"])))
        self._cache.put(key, result)
        return result

    def require(self, kind: str, value: str, parameter: str | None = None) -> str:
        """The IRI of the resource a path names (its id, CURIE or IRI), or a 404 problem naming
        the path parameter."""
        iri = self._find(value, (kind,))
        if iri is None:
            name = parameter or kind.replace("-", "_")
            raise Problem(404, f"path parameter {name!r}: there is no {kind} {value!r}; give {ID_FORMS}",
                          title="Not found", errors=[{"in": "path", "name": name,
                                                      "message": f"there is no {kind} {value!r}"}])
        return iri

    def _find(self, value: str, kinds: tuple[str, ...]) -> str | None:
        """The IRI of a thing of one of `kinds` that `value` names, or None."""
        try:
            candidates = expand_id(value, self.prefixes, kinds)
        except ValueError:
            return None
        return next((iri for iri in candidates if self.known(iri, *kinds)), None)

    def item(self, name: str, kind: str, slug: str, **params: str) -> Described:
        """One item by its id, CURIE or IRI, or a 404 problem."""
        found = self.items(name, item=self.require(kind, slug), **params)
        if not found:
            raise Problem(404, f"there is no {kind} {slug!r}", title="Not found")
        return found[0]

    # ------------------------------------------------------------ the label index

    @property
    def things(self) -> dict[str, Thing]:
        if self._things is None:
            with self._lock:
                if self._things is None:
                    self._things = self._load_things()
        return self._things

    def _load_things(self) -> dict[str, Thing]:
        things: dict[str, Thing] = {}
        for row in self.select("labels"):
            iri = row["thing"].value
            where = self.split(iri)
            if where is None:
                continue
            thing = things.get(iri) or things.setdefault(iri, Thing(iri, *where))
            if "type" in row:
                thing.types.add(row["type"].value)
            label = (row["property"].value, row["label"].value, row["label"].language or "")
            if label not in thing.labels:
                thing.labels.append(label)
        return things

    def known(self, iri: str, *kinds: str) -> bool:
        thing = self.things.get(iri)
        return thing is not None and (not kinds or thing.kind in kinds)

    def resolve(self, parameter: str, value: str | None, *kinds: str) -> str | None:
        """The IRI a filter parameter names (an id, a CURIE or an IRI); a 422 problem naming the
        parameter and the forms it takes when it names nothing of the wanted kinds."""
        if value is None:
            return None
        iri = self._find(value, kinds)
        if iri is None:
            wanted = " or ".join(kinds)
            raise invalid_parameters((parameter, f"there is no {wanted} {value!r}; give {ID_FORMS}"))
        return iri

    # ------------------------------------------------------------ building answers

    def url(self, kind: str, id_: str) -> str | None:
        path = self.registry.paths.get(kind)
        return f"/api/v1/{path}/{id_}" if path else None

    def ref(self, term) -> m.Ref | None:
        if term is None:
            return None
        iri = term.value if not isinstance(term, str) else term
        thing = self.things.get(iri)
        if thing is not None:
            return m.Ref(iri=iri, id=thing.id, type=thing.kind, labels=thing.display(),
                         url=self.url(thing.kind, thing.id))
        kind, id_ = self.split(iri) or ("resource", iri)
        return m.Ref(iri=iri, id=id_, type=kind, labels=m.Labels(), url=self.url(kind, id_))

    def refs(self, terms: Iterable) -> list[m.Ref]:
        refs = [self.ref(t) for t in terms]
        return sorted((r for r in refs if r is not None), key=lambda r: r.id)

    def provenance(self, d: Described) -> list[m.Provenance]:
        return [m.Provenance(document=self.ref(p["document"]), quote=p["quote"].value, start=plain(p["start"]),
                             end=plain(p["end"]), sentence=p["sentence_text"].value,
                             sentence_start=plain(p["sentence_start"]), sentence_end=plain(p["sentence_end"]),
                             quotation=p["quotation"].value, url=self.url(*self.split(p["quotation"].value)))
                for p in d.provenance]

    def common(self, d: Described) -> dict:
        """iri, id, labels and provenance of an item."""
        thing = self.things.get(d.iri)
        kind, id_ = self.split(d.iri) or ("resource", d.iri)
        return {"iri": d.iri, "id": id_, "labels": thing.display() if thing else m.Labels(),
                "provenance": self.provenance(d)}

    def text(self, d: Described, predicate, lang: str | None = None) -> str | None:
        values = [v for v in d.all(predicate) if isinstance(v, ox.Literal) and (lang is None or v.language == lang)]
        return min(values, key=lambda v: v.value).value if values else None

    def lang_texts(self, d: Described, predicate) -> tuple[m.Labels, m.AltLabels]:
        values = [v for v in d.all(predicate) if isinstance(v, ox.Literal)]
        by_lang = {lang: sorted(v.value for v in values if v.language == lang) for lang in ("de", "en")}
        return (m.Labels(**{lang: texts[0] for lang, texts in by_lang.items() if texts}), m.AltLabels(**by_lang))

    def sort_key_label(self, d: Described) -> tuple:
        thing = self.things.get(d.iri)
        labels = thing.display() if thing else m.Labels()
        return ((labels.en or labels.de or "").casefold(), d.iri)

    @staticmethod
    def sort_key_text(d: Described) -> tuple:
        """Facts in the order of their documents."""
        return (d.document(), d.first_start(), d.iri)


async def get_repository(request: Request, service: ServiceDep) -> Repository:
    """The Repository of the running service and the router's registry: one per dataset version
    (its caches hold answers of that version) and registry, made on first use."""
    registry = getattr(request.state, "registry", REGISTRY)  # set by the API's router (api.rest.make_router)
    return service.per_version(f"rest-{id(registry)}", lambda: Repository(service, registry))

