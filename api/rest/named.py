"""Named queries as endpoints: every queries/*.rq is GET /api/v1/queries/{name}.

The routes are made when the app is made, one per query, from the query's
header: its parameters become documented query parameters (so /docs lists
them), values are validated with kg.queries.bind (a bad value is a 422 naming
the parameter) and bound by substitution. The answer is JSON (columns and a
row object per solution, values as plain strings, numbers and booleans) or,
with `Accept: text/csv` or `format=csv`, SPARQL CSV results (kg.formats). GET /api/v1/queries lists them.
Adding a .rq file adds an endpoint at the next start, with no code change;
*-violation.rq files are build checks, not endpoints.
"""

from __future__ import annotations

import inspect
import logging
import re
from functools import lru_cache
from typing import Annotated, Literal

import pyoxigraph as ox
from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse, Response

from kg.errors import QueryError
from kg.formats import by_name
from kg.namespaces import Iris
from kg.queries import NamedQuery, bind

from ..engine import Request as EngineRequest
from ..formats import choose, parse_accept
from ..problems import Problem
from ..service import Service, ServiceDep, load_named_queries
from ..settings import Settings
from ..ui import with_prefixes
from . import models as m
from .terms import plain
from .deps import JSON, PROBLEM_RESPONSE, reject_unknown_parameters

log = logging.getLogger("erkg")

PREFIX = "/api/v1/queries"
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
DECIMAL = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$"
INTEGER = r"^[+-]?[0-9]+$"
CSV = by_name("csv")
OFFERS = (JSON, CSV)  # the answer's formats, the default first
SPARQL_QUERY = "application/sparql-query"
PLAIN = "text/plain"

router = APIRouter(tags=["named queries"])


def info(query: NamedQuery) -> m.NamedQueryInfo:
    return m.NamedQueryInfo(
        name=query.name, title=query.title, description=query.description, url=f"{PREFIX}/{query.name}",
        parameters=[m.QueryParameter(name=p.name, type=p.kind, optional=p.optional, description=p.description)
                    for p in query.params])


@router.get("/queries", response_model=m.NamedQueryList, summary="List the named queries")
def list_queries(service: ServiceDep) -> m.NamedQueryList:
    """Every named query (queries/*.rq) with its title, description, parameters (name, type,
    whether optional, description) and the URL of its endpoint."""
    prefixes = tuple(sorted(service.iris.prefixes().items()))
    items = [info(q) for _, q in sorted(service.named_queries.items()) if unservable(q, prefixes) is None]
    return m.NamedQueryList(total=len(items), items=items)


def _wants_csv(request: Request, fmt: str | None) -> bool:
    if fmt is not None:
        return fmt == "csv"
    return choose(OFFERS, request.headers.get("accept")) is CSV


def bound(service: Service, name: str, values: dict[str, str]) -> tuple[NamedQuery, dict[ox.Variable, ox.NamedNode | ox.Literal]]:
    """The named query and its parameters' values validated and bound as terms (422 naming a bad one):
    what both its endpoint and the text of it with them bound (`bound_text`) use."""
    query = service.named_queries.get(name)
    if query is None:  # the file was removed since start-up
        raise Problem(404, f"there is no named query {name!r}", title="Not found")
    try:
        return query, bind(query, values, service.iris.prefixes())
    except QueryError as e:
        named = [p.name for p in query.params if repr(p.name) in str(e)] or sorted(values)
        raise Problem(422, str(e), title="Invalid parameter",
                      errors=[{"in": "query", "name": n, "message": str(e)} for n in named]) from None


def _text_type(accept: str | None) -> str:
    """application/sparql-query, or text/plain for a client that prefers it (the same text)."""
    for media, q in parse_accept(accept):
        if q > 0 and media in (SPARQL_QUERY, "application/*", "*/*"):
            return SPARQL_QUERY
        if q > 0 and media in (PLAIN, "text/*"):
            return PLAIN
    return SPARQL_QUERY


def bound_text(request: Request, service: Service, name: str, values: dict[str, str]) -> Response:
    """The named query's text with its parameters bound as the embedded engine's substitution binds them
    (kg.sparql_text.with_values, which a remote engine gets), and the PREFIX lines it uses: a query any
    SPARQL client can send, the one the query UI's parameter form runs."""
    query, substitutions = bound(service, name, values)
    try:
        text = EngineRequest(query.text, substitutions=substitutions).bound_text()
    except ValueError as e:
        raise Problem(400, f"cannot bind the parameters of {name!r}: {e}", title="Cannot bind") from None
    return Response(with_prefixes(text, service.iris.prefixes()), media_type=_text_type(request.headers.get("accept")),
                    headers={"Vary": "Accept"})


def run_named_query(request: Request, service: Service, name: str, values: dict[str, str],
                    csv_wanted: bool) -> Response:
    query, substitutions = bound(service, name, values)
    # An engine error becomes its problem document by the app's handler (api.problems).
    terms = {v.value: term for v, term in substitutions.items()}
    if csv_wanted:
        return Response(CSV.write(service.solutions(query.text, **terms)), media_type=CSV.content_type,
                        headers={"Vary": "Accept"})
    names = columns(service, query)
    table = [{c: plain(row.get(c)) for c in names} for row in service.select(query.text, **terms)]
    body = m.NamedQueryResult(query=name, title=query.title, parameters=values, columns=names, rows=table,
                              count=len(table))
    return JSONResponse(body.model_dump(mode="json"), headers={"Vary": "Accept"})


@lru_cache(maxsize=256)
def _columns(text: str, prefixes: tuple[tuple[str, str], ...]) -> list[str]:
    """The query's result columns in order (SELECT *: those of its pattern), read by evaluating it on an
    empty store, which is instant."""
    return [v.value for v in ox.Store().query(text, prefixes=dict(prefixes)).variables]


def unservable(query: NamedQuery, prefixes: tuple[tuple[str, str], ...]) -> str | None:
    """Why a named query cannot be an endpoint, or None when it can."""
    if not SAFE_NAME.match(query.name):
        return f"its name {query.name!r} cannot be a URL path segment"
    try:
        _columns(query.text, prefixes)
    except SyntaxError as e:
        return f"it does not parse: {e}"
    except AttributeError:
        return "it is not a SELECT query (an endpoint answers with columns and rows)"
    return None


def columns(service: Service, query: NamedQuery) -> list[str]:
    return _columns(query.text, tuple(sorted(service.iris.prefixes().items())))


# ---------------------------------------------------------------- one route per query


def _parameter(p) -> tuple[str, object, object]:
    """(annotation, Query, default) of a query parameter from its header line."""
    kinds = {"iri": "an IRI (absolute, or in <>) or a prefixed name with one of the project's prefixes "
                    "(role:cmo, study:netbiscuits-study …)",
             "integer": "an integer", "decimal": "a decimal number such as 0.5", "string": "a string"}
    doc = f"{p.description} — {kinds[p.kind]}"
    if p.kind == "iri":
        query = Query(alias=p.name, description=doc, min_length=1)
    elif p.kind == "integer":
        query = Query(alias=p.name, description=doc, pattern=INTEGER)
    elif p.kind == "decimal":
        query = Query(alias=p.name, description=doc, pattern=DECIMAL)
    else:
        query = Query(alias=p.name, description=doc)
    default = None if p.optional else ...
    annotation = str | None if p.optional else str
    return annotation, query, default


def endpoint(query: NamedQuery, text: bool = False):
    """A route function for one named query, its signature built from the query's parameters:
    it runs the query, or (`text`) answers with the query's text with them bound."""
    names = [p.name for p in query.params]
    takes_format = "format" not in names and not text

    def run(request: Request, service: ServiceDep, **values: str | None) -> Response:
        fmt = values.pop("_format", None)
        given = {name: values[f"p_{i}"] for i, name in enumerate(names) if values.get(f"p_{i}") is not None}
        if text:
            return bound_text(request, service, query.name, given)
        return run_named_query(request, service, query.name, given, _wants_csv(request, fmt))

    parameters = [
        inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request),
        inspect.Parameter("service", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                          annotation=ServiceDep),
    ]
    for i, p in enumerate(query.params):
        annotation, q, default = _parameter(p)
        parameters.append(inspect.Parameter(f"p_{i}", inspect.Parameter.KEYWORD_ONLY,
                                            annotation=Annotated[annotation, q], default=default))
    if takes_format:
        parameters.append(inspect.Parameter(
            "_format", inspect.Parameter.KEYWORD_ONLY, default=None,
            annotation=Annotated[Literal[tuple(f.name for f in OFFERS)] | None,  # type: ignore[misc]
                                 Query(alias="format", description=f"{' or '.join(f.name for f in OFFERS)} "
                                                                   f"(the first is the default); or ask with "
                                                                   f"Accept: {CSV.media_type}")]))
    run.__signature__ = inspect.Signature(parameters, return_annotation=Response)
    run.__name__ = ("text_of_" if text else "query_") + re.sub(r"\W", "_", query.name)
    run.__doc__ = query.description
    return run


RESPONSES: dict[int | str, dict] = {
    200: {"description": "the solutions: JSON, or CSV with Accept: text/csv or format=csv",
          "content": {CSV.media_type: {"schema": {"type": "string"}}}},
    400: {**PROBLEM_RESPONSE, "description": "the query cannot be evaluated with these parameters"},
    406: {**PROBLEM_RESPONSE, "description": "the client accepts neither JSON nor CSV"},
    422: {**PROBLEM_RESPONSE, "description": "a parameter is missing, unknown or not a valid value of its type"},
    503: {**PROBLEM_RESPONSE, "description": "the query workers are busy or the query took too long; retry"},
}


TEXT_RESPONSES: dict[int | str, dict] = {
    # text/plain first: a client generator (openapi-python-client) reads the answer as the first
    # media type it knows, and knows no application/sparql-query
    200: {"description": "the query with its parameters bound: application/sparql-query, or text/plain "
                         "for a client that prefers it",
          "content": {PLAIN: {"schema": {"type": "string"}}, SPARQL_QUERY: {"schema": {"type": "string"}}}},
    400: {**PROBLEM_RESPONSE, "description": "the parameters cannot be bound in this query"},
    422: RESPONSES[422],
}


def add_named_query_routes(app: FastAPI, settings: Settings) -> None:
    """One GET route per named query of settings.queries (the service's named queries, checks left out)."""
    prefixes = tuple(sorted(Iris(settings.base).prefixes().items()))
    for name, query in sorted(load_named_queries(settings.queries).items()):
        reason = unservable(query, prefixes)
        if reason is not None:
            log.warning("named query %s is not served by the REST API: %s", query.path, reason)
            continue
        app.add_api_route(f"{PREFIX}/{name}", endpoint(query), methods=["GET"], response_model=m.NamedQueryResult,
                          summary=query.title, description=query.description, tags=["named queries"],
                          name=f"query-{name}", responses=RESPONSES,
                          dependencies=[Depends(reject_unknown_parameters)])
        app.add_api_route(f"{PREFIX}/{name}/text", endpoint(query, text=True), methods=["GET"],
                          response_class=Response, summary=f"{query.title}: the query with its parameters bound",
                          description="The text of the query with the parameters given bound as its endpoint "
                                      "binds them, with the PREFIX lines it uses: a query for any SPARQL client.",
                          tags=["named queries"], name=f"text-of-{name}", responses=TEXT_RESPONSES,
                          dependencies=[Depends(reject_unknown_parameters)])
