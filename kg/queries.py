"""Named SPARQL queries (queries/*.rq) and running them on a built dataset.

A query file starts with a comment header:

    # title: Responsibilities per role
    # description: Which responsibilities each role holds, claims or should hold,
    #   with the sentence each claim rests on.
    # param: ?role (iri, optional): the role, e.g. role:cmo

Parameters are variables of the query; a value given for one is bound with
SEP-0007 substitution (pyoxigraph), never pasted into the query text. The
project's prefixes (erkg:, role:, …) are supplied from the base IRI, so the
files declare none of their own. Files named *-violation.rq are quality
checks: the build fails if one returns a row.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from . import namespaces
from .errors import QueryError
from .namespaces import expand_id
from .sparql_text import has_dataset_clause

PARAM = re.compile(r"^\?(?P<name>[A-Za-z_]\w*)\s*\((?P<kind>iri|string|integer|decimal)(?P<opt>,\s*optional)?\)\s*:\s*(?P<doc>.+)$")
KINDS = ("iri", "string", "integer", "decimal")


# What a parameter's description says of its values: an example ("e.g. role:cmo"), the value the
# query takes when it is not given ("responsibility:x when not given"), the values it takes ("de or en:").
EXAMPLE = re.compile(r"\be\.g\. ([A-Za-z][\w-]*:[^\s,;]+)")
DEFAULT = re.compile(r"([A-Za-z][\w-]*:[^\s,;]+) when not given")
CHOICES = re.compile(r"^(\w+(?:, \w+)* or \w+):")


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    optional: bool
    description: str

    @property
    def example(self) -> str | None:
        m = EXAMPLE.search(self.description)
        return m.group(1) if m else None

    @property
    def default(self) -> str | None:
        """The value the query itself takes when the parameter is not given, as the header says."""
        m = DEFAULT.search(self.description)
        return m.group(1) if m else None

    @property
    def choices(self) -> list[str]:
        """The only values the parameter takes, where the header lists them ("de or en: …")."""
        m = CHOICES.match(self.description)
        return re.split(r", | or ", m.group(1)) if m else []


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str
    path: Path

    @property
    def is_check(self) -> bool:
        return self.name.endswith("-violation")


def parse_query_file(path: Path) -> NamedQuery:
    """Read a .rq file and its header; raise QueryError naming the file and line."""
    text = path.read_text(encoding="utf-8")
    fields: dict[str, list[str]] = {}
    params: list[Param] = []
    key = None
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#"):
            break
        body = line[1:].strip()
        m = re.match(r"^(title|description|param):\s*(.*)$", body)
        if m:
            key = m.group(1)
            if key == "param":
                p = PARAM.match(m.group(2))
                if p is None:
                    raise QueryError(f"{path}:{lineno}: malformed param line; expected "
                                     f"'# param: ?name ({'|'.join(KINDS)}[, optional]): description'")
                params.append(Param(p["name"], p["kind"], bool(p["opt"]), p["doc"].strip()))
            else:
                fields.setdefault(key, []).append(m.group(2))
        elif body and key in ("title", "description"):
            fields[key].append(body)  # continuation line
        elif body and key == "param":
            params[-1] = Param(params[-1].name, params[-1].kind, params[-1].optional,
                               f"{params[-1].description} {body}")
    for required in ("title", "description"):
        if required not in fields:
            raise QueryError(f"{path}: the header comment has no '# {required}:' line")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    for p in params:
        if not re.search(rf"[?$]{p.name}\b", body):
            raise QueryError(f"{path}: param ?{p.name} is not used in the query")
    return NamedQuery(path.stem, " ".join(fields["title"]), " ".join(fields["description"]),
                      tuple(params), text, path)


def load_queries(directory: Path) -> dict[str, NamedQuery]:
    return {q.name: q for q in map(parse_query_file, sorted(directory.glob("*.rq")))}


def _term(param: Param, raw: str, prefixes: Mapping[str, str]) -> ox.NamedNode | ox.Literal:
    try:
        if param.kind == "iri":  # a parameter named like a kind (role, study …) takes that kind's ids too
            kinds = (param.name,) if param.name in namespaces.KINDS else ()
            return ox.NamedNode(expand_id(raw, dict(prefixes), kinds)[0])
        if param.kind == "integer":
            return ox.Literal(str(int(raw)), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
        if param.kind == "decimal":
            float(raw)
            return ox.Literal(raw, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))
        return ox.Literal(raw)
    except ValueError as e:
        raise QueryError(f"parameter {param.name!r}: {raw!r} is not a valid {param.kind}: {e}") from None


def bind(query: NamedQuery, values: Mapping[str, str], prefixes: Mapping[str, str]) -> dict[ox.Variable, ox.NamedNode | ox.Literal]:
    """Validate raw parameter values against the query's header; return substitutions."""
    known = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise QueryError(f"query {query.name!r} has no parameter {', '.join(map(repr, unknown))}; "
                         f"it takes: {', '.join(known) or 'none'}")
    missing = [p.name for p in query.params if not p.optional and p.name not in values]
    if missing:
        raise QueryError(f"query {query.name!r} needs parameter {', '.join(map(repr, missing))}")
    return {ox.Variable(name): _term(known[name], raw, prefixes) for name, raw in values.items()}


def load_store(dataset: Path) -> ox.Store:
    """An in-memory Oxigraph store holding a built dataset file (format from its extension)."""
    store = ox.Store()
    try:
        store.bulk_load(path=dataset)
    except (OSError, SyntaxError, ValueError) as e:
        raise QueryError(f"{dataset}: cannot load the dataset: {e}") from None
    return store


def asserted_graphs(store: ox.Store, inferred: str) -> list[ox.NamedNode]:
    """Every named graph of the store but the inferred one: what is asserted."""
    return sorted((g for g in store.named_graphs() if isinstance(g, ox.NamedNode) and g.value != inferred), key=str)


def run(store: ox.Store, sparql: str, prefixes: Mapping[str, str],
        substitutions: Mapping[ox.Variable, ox.NamedNode | ox.Literal] | None = None,
        default_graph: list[ox.NamedNode] | None = None):
    """Evaluate with the union of all graphs (or of `default_graph`) as default graph, as
    researchers expect of one knowledge graph, unless the query names its own dataset (FROM)."""
    own = has_dataset_clause(sparql)
    dataset = {} if own or default_graph is None else {"default_graph": default_graph}
    try:
        return store.query(sparql, prefixes=dict(prefixes), use_default_graph_as_union=not own and default_graph is None,
                           substitutions=dict(substitutions or {}), **dataset)
    except SyntaxError as e:
        raise QueryError(f"SPARQL syntax error: {e}") from None
    except RuntimeError as e:  # e.g. substituting a variable the query does not project
        raise QueryError(f"cannot evaluate the query: {e}") from None


def violations(store: ox.Store, queries: Mapping[str, NamedQuery], prefixes: Mapping[str, str]) -> dict[str, list[str]]:
    """Run every *-violation query; return the rows of those that found any."""
    found = {}
    for q in queries.values():
        if q.is_check:
            rows = [" ".join(str(v) for v in row) for row in run(store, q.text, prefixes)]
            if rows:
                found[q.name] = rows
    return found
