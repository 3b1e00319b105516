"""Linked Data routes: every IRI of the graph dereferences on this server.

An IRI `{base}X` is served at the path `/X`: `/id/…` (entities, facts,
quotations, sentences, documents, concepts), `/ontology` (the ontology and all
its `ontology#Term`s; its version IRI too), `/graph/{doc}` (a named graph).
A fragment IRI (a quotation's `#quote`/`#position` selector, `ontology#Term`)
is described within its document resource.

Content negotiation by Accept or a `format` parameter: HTML (the default, for
browsers), Turtle, JSON-LD, RDF/XML, N-Triples; 406 otherwise. RDF answers are
the concise bounded description of the resource (for the ontology and a named
graph: the graph). `/findings` is the findings chart page (HTML only).

Each answer comes from one query by the query engine, carries an ETag over the
dataset version and what was asked (If-None-Match gives 304), and small
answers are kept in the service's answer cache.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from kg.versions import releases

from ..engine import EngineError
from ..formats import GRAPH_FORMATS, Format, choose
from ..problems import Problem, invalid_parameters
from ..service import Service, get_service
from ..ui import TEMPLATES, wants_html
from . import chart, home, i18n, queries, views
from .rdf import Graph, iri, used_prefixes

router = APIRouter(tags=["Linked Data"])

HTML = Format("html", "text/html", ("application/xhtml+xml",))
# HTML first: a client that accepts anything (*/*, or no Accept) gets the page.
OFFERS: tuple[Format, ...] = (HTML, *GRAPH_FORMATS.values())

CSP = "; ".join((
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'self'",
))

# What OpenAPI says a page answers: HTML, or (where `rdf`) the RDF formats too.
def _content(rdf: bool = True) -> dict:
    offers = OFFERS if rdf else (HTML,)
    return {"response_class": Response,
            "responses": {200: {"content": {f.media_type: {"schema": {"type": "string"}} for f in offers}}}}


OWL_VERSION_IRI = iri("http://www.w3.org/2002/07/owl#versionIRI")


# ---------------------------------------------------------------- negotiation


def _format(request: Request, offers: tuple[Format, ...] = OFFERS) -> Format:
    return choose(offers, request.headers.get("accept"), request.query_params.get("format"))


def _language(request: Request) -> str:
    return i18n.choose_language(request.query_params.get("lang"), request.headers.get("accept-language"),
                                request.cookies.get(i18n.COOKIE))


def _remember_language(request: Request) -> dict[str, str]:
    """A Set-Cookie header that keeps the language a reader chose with `lang` for the next
    pages (their links do not carry it), or nothing."""
    lang = i18n.chosen(request.query_params.get("lang"))
    if lang is None or request.cookies.get(i18n.COOKIE) == lang:
        return {}
    path = request.scope.get("root_path", "").rstrip("/") + "/"
    return {"Set-Cookie": f"{i18n.COOKIE}={lang}; Path={path}; Max-Age=31536000; SameSite=Lax"}


# ---------------------------------------------------------------- answers


@lru_cache(maxsize=1)
def _templates() -> Environment:
    env = Environment(loader=FileSystemLoader(Path(TEMPLATES)), autoescape=select_autoescape(["html", "svg"]),
                      trim_blocks=True, lstrip_blocks=True)
    return env


class NotFound(Exception):
    """Raised by a page's producer: the IRI asked for is not in the graph."""

    def __init__(self, resource: str) -> None:
        super().__init__(resource)
        self.resource = resource


def _triples(service: Service, query: str, **params: ox.NamedNode) -> list[ox.Triple]:
    """A page's query; a busy engine or a timeout is a problem (503)."""
    try:
        return service.triples(query, **params)
    except EngineError as e:
        raise Problem(e.status, str(e)) from None


def _answer(request: Request, service: Service, fmt: Format, key: tuple[str, ...],
            produce: Callable[[], bytes], rdf: bool = True) -> Response:
    """The cached answer or a fresh one, with ETag, Vary and (for HTML) the CSP.

    `produce` runs the page's query only when the answer is not cached; it
    raises NotFound for an IRI that is not in the graph (a 404, never cached)."""
    etag = service.etag("pages", service.settings.base, request.url.path, fmt.name, *key)
    headers = {"ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept, Accept-Language, Cookie",
               **_remember_language(request)}
    alternates = [f'<?format={f.name}>; rel="alternate"; type="{f.media_type}"'
                  for f in GRAPH_FORMATS.values() if f is not fmt]
    if fmt is HTML:
        headers["Content-Security-Policy"] = CSP
        if rdf:
            headers["Link"] = ", ".join(alternates)
    known = service.known_answer(request, etag, headers)
    if known is not None:
        return known
    try:
        body = produce()
    except NotFound as e:
        return _not_found(request, service, fmt, e.resource)
    if len(body) <= service.settings.cache_max_bytes:
        service.cache.put(etag, (body, fmt.content_type))
    return Response(body, media_type=fmt.content_type, headers={**headers, "X-Cache": "miss"})


def _serialize(triples: list[ox.Triple], fmt: Format, service: Service) -> bytes:
    return ox.serialize(triples, format=fmt.rdf_format, prefixes=used_prefixes(triples, service.iris.prefixes()))


def _not_found(request: Request, service: Service, fmt: Format, resource: str) -> Response:
    if fmt is HTML and wants_html(request.headers.get("accept")):
        lang = _language(request)
        site = _site(service, request, Graph(), lang)
        html = _render("not_found.html", site, lang, rdf=False, iri=resource)
        return HTMLResponse(html, status_code=404, headers={"Content-Security-Policy": CSP})
    raise Problem(404, f"{resource} is not a resource of this graph", "Not Found")


# ---------------------------------------------------------------- shared pieces of a page

_vocabulary: dict[str, Graph] = {}
_vocabulary_lock = threading.Lock()


def vocabulary(service: Service) -> Graph:
    """Types, labels and definitions of the ontology's terms, loaded once per dataset."""
    key = f"{service.version}\x1f{service.settings.base}"
    with _vocabulary_lock:
        found = _vocabulary.get(key)
    if found is None:
        found = Graph(_triples(service, queries.VOCABULARY, g=ox.NamedNode(str(service.iris.ontology))))
        with _vocabulary_lock:
            _vocabulary.clear()
            _vocabulary[key] = found
    return found


def _site(service: Service, request: Request, graph: Graph, lang: str) -> views.Site:
    # Links are relative to the page: its depth below the application's root decides.
    path, root_path = request.url.path, request.scope.get("root_path", "")
    if root_path and path.startswith(root_path):
        path = path[len(root_path):]
    return views.Site(base=service.iris.base, path=path, prefixes=service.iris.prefixes(),
                      vocabulary=vocabulary(service), graph=graph, lang=lang)


def _chrome(site: views.Site, lang: str, rdf: bool, params: Mapping[str, str]) -> dict:
    """What every page's frame needs: navigation, language switch, RDF alternates. The
    language links keep `params`, the page's own parameters: only those its cached
    answer is keyed by, else one client's query string would be served to the next."""

    def with_params(**extra: str) -> str:
        return "?" + urlencode({**params, **extra})

    languages = [(code, site.words["english" if code == "en" else "german"], with_params(lang=code))
                 for code in i18n.LANGUAGES]
    alternates = [(f.name, f.media_type, {"turtle": "Turtle", "jsonld": "JSON-LD", "rdfxml": "RDF/XML",
                                          "ntriples": "N-Triples"}[f.name], "?format=" + f.name)
                  for f in GRAPH_FORMATS.values()] if rdf else []
    return {"languages": languages, "alternates": alternates, "root": site.root}


def _render(template: str, site: views.Site, lang: str, rdf: bool = True, params: Mapping[str, str] | None = None,
            **context) -> bytes:
    html = _templates().get_template(f"pages/{template}").render(
        site=site, t=site.words, lang=lang, **_chrome(site, lang, rdf, params or {}), **context)
    return html.encode("utf-8")


# ---------------------------------------------------------------- /id/…


_OFFSET = re.compile(r"[+-]?[0-9]{1,18}")  # int() refuses more than 4,300 digits


def _offsets(request: Request) -> tuple[int | None, int | None]:
    raw = {k: request.query_params.get(k) for k in ("start", "end")}
    if raw["start"] is None and raw["end"] is None:
        return None, None
    errors = []
    values: dict[str, int] = {}
    for name, text in raw.items():
        if text is None:
            errors.append((name, "give both start and end"))
            continue
        if _OFFSET.fullmatch(text):  # not int() alone: it takes "1_0" and other scripts' digits
            values[name] = int(text)
        else:
            errors.append((name, f"not an integer: {text!r}"))
    if errors:
        raise invalid_parameters(*errors)
    return values["start"], values["end"]


def _check_range(start: int | None, end: int | None, length: int) -> None:
    if start is None or end is None:
        return
    if not 0 <= start < end <= length:
        raise invalid_parameters(("start", "out of range"), ("end", "out of range"),
                                 detail=f"the range start={start}, end={end} is not within the text: "
                                        f"0 <= start < end <= {length} is required")


@router.get("/id/{path:path}", **_content(True), summary="A resource of the graph (Linked Data)",
                  response_description="an HTML page or the resource's concise bounded description")
def resource(path: str, request: Request, service: Annotated[Service, Depends(get_service)]) -> Response:
    fmt = _format(request)
    value = service.iris.base + "id/" + path
    try:
        node = ox.NamedNode(value)
    except ValueError:
        return _not_found(request, service, fmt, value)

    if fmt is not HTML:
        def rdf() -> bytes:
            triples = _triples(service, queries.CBD, r=node)
            if not triples:
                raise NotFound(value)
            return _serialize(triples, fmt, service)
        return _answer(request, service, fmt, (), rdf)

    lang = _language(request)
    kind = path.split("/", 1)[0]
    start, end = _offsets(request) if kind == "document" else (None, None)
    query = {"role": queries.ROLE, "document": queries.DOCUMENT}.get(kind, queries.RESOURCE)

    def html() -> bytes:
        g = Graph(_triples(service, query, r=node))
        if node not in g:
            raise NotFound(value)
        site = _site(service, request, g, lang)
        if kind == "document":
            text = g.value(node, ox.NamedNode(site.erkg + "text"))
            _check_range(start, end, len(text.value) if isinstance(text, ox.Literal) else 0)
            page = views.document_page(site, node, start, end)
            offsets = {"start": str(start), "end": str(end)} if start is not None else {}
            return _render("document.html", site, lang, params=offsets, page=page, r=page.resource)
        if kind == "role":
            page = views.role_page(site, node)
            return _render("role.html", site, lang, page=page, r=page.resource)
        page = views.resource_page(site, node)
        return _render("resource.html", site, lang, r=page)

    return _answer(request, service, fmt, (lang, str(start), str(end)), html)


# ---------------------------------------------------------------- /ontology


_ontology: dict[str, list[ox.Triple]] = {}


def ontology_triples(service: Service) -> list[ox.Triple]:
    key = f"{service.version}\x1f{service.settings.base}"
    found = _ontology.get(key)
    if found is None:
        found = _triples(service, queries.GRAPH, g=ox.NamedNode(str(service.iris.ontology)))
        _ontology.clear()
        _ontology[key] = found
    return found


def _ontology_answer(request: Request, service: Service, triples: list[ox.Triple]) -> Response:
    fmt = _format(request)
    node = ox.NamedNode(str(service.iris.ontology))
    if not triples:
        return _not_found(request, service, fmt, node.value)
    if fmt is not HTML:
        return _answer(request, service, fmt, (), lambda: _serialize(triples, fmt, service))
    lang = _language(request)

    def produce() -> bytes:
        site = _site(service, request, Graph(triples), lang)
        page = views.ontology_page(site, node)
        return _render("ontology.html", site, lang, page=page)

    return _answer(request, service, fmt, (lang,), produce)


@router.get("/ontology", **_content(True), summary="The ontology (Linked Data)",
                  response_description="its documentation page, or the ontology graph")
def ontology(request: Request, service: Annotated[Service, Depends(get_service)]) -> Response:
    return _ontology_answer(request, service, ontology_triples(service))


@router.get("/ontology/{version:path}", **_content(True), summary="A version of the ontology",
                  response_description="that release's ontology (releases/VERSION/), or the one served if "
                                       "this is its version IRI")
def ontology_version(version: str, request: Request, service: Annotated[Service, Depends(get_service)]) -> Response:
    released = releases(service.settings.releases)
    if version in released:
        path = service.settings.releases / version / "ontology.ttl"
        return _ontology_answer(request, service, [q.triple for q in ox.parse(path=path, format=ox.RdfFormat.TURTLE)])
    value = f"{service.iris.ontology}/{version}"
    ontology_iri = ox.NamedNode(str(service.iris.ontology))
    if any(t.subject == ontology_iri and t.predicate == OWL_VERSION_IRI and t.object.value == value
           for t in ontology_triples(service)):
        return _ontology_answer(request, service, ontology_triples(service))
    if _format(request) is HTML and wants_html(request.headers.get("accept")):
        return _not_found(request, service, HTML, value)
    raise Problem(404, f"{value} is no version of the ontology; released: {', '.join(released) or 'none'}",
                  "Not Found")


# ---------------------------------------------------------------- /graph/{doc}


@router.get("/graph/{name:path}", **_content(True), summary="A named graph (Linked Data)",
                  response_description="a summary page, or the graph's triples")
def named_graph(name: str, request: Request, service: Annotated[Service, Depends(get_service)]) -> Response:
    fmt = _format(request)
    try:
        value = str(service.iris.graph(name))
    except ValueError:  # a name no graph can have: it cannot be part of an IRI
        return _not_found(request, service, fmt, f"{service.iris.base}graph/{name}")
    if value not in service.store.graphs:
        return _not_found(request, service, fmt, value)
    node = ox.NamedNode(value)
    if fmt is not HTML:
        return _answer(request, service, fmt, (), lambda: _serialize(_triples(service, queries.GRAPH, g=node),
                                                                         fmt, service))
    lang = _language(request)

    def produce() -> bytes:
        g = Graph(_triples(service, queries.GRAPH, g=node))
        site = _site(service, request, g, lang)
        document = ox.NamedNode(str(service.iris.thing("document", name)))
        page = views.graph_page(site, value, document)
        return _render("graph.html", site, lang, page=page)

    return _answer(request, service, fmt, (lang,), produce)


# ---------------------------------------------------------------- /findings


def _study(service: Service, value: str) -> ox.NamedNode:
    prefixes = service.iris.prefixes()
    try:
        if "://" in value:
            text = value
        elif ":" in value and value.split(":", 1)[0] in prefixes:
            prefix, local = value.split(":", 1)
            text = prefixes[prefix] + local
        else:
            text = str(service.iris.thing("study", value))
        return ox.NamedNode(text)
    except ValueError:
        raise invalid_parameters(("study", f"not an IRI or study id: {value!r}")) from None


@router.get("/findings", **_content(False), summary="The survey findings as charts",
                  response_description="an HTML page: per study and proposition, the shares of each respondent group")
def findings(request: Request, service: Annotated[Service, Depends(get_service)]) -> Response:
    fmt = _format(request, (HTML,))
    lang = _language(request)
    study_param = request.query_params.get("study")
    study = _study(service, study_param) if study_param else None

    def produce() -> bytes:
        g = Graph(_triples(service, queries.FINDINGS, **({"study": study} if study else {})))
        if study is not None and study not in g:
            raise NotFound(study.value)
        site = _site(service, request, g, lang)
        return _render("findings.html", site, lang, rdf=False, params={"study": study.value} if study else None,
                       charts=chart.charts(site, g), study=study)

    return _answer(request, service, fmt, (lang, study.value if study else ""), produce, rdf=False)


# ---------------------------------------------------------------- /


@router.get("/", **_content(False), summary="The home page",
            response_description="an HTML page: what ERKG is, its size, its sources, where to go, how to cite it")
def home_page(request: Request, service: Annotated[Service, Depends(get_service)]) -> Response:
    fmt = _format(request, (HTML,))
    lang = _language(request)

    def produce() -> bytes:
        g = Graph(_triples(service, queries.SOURCES))
        site = _site(service, request, g, lang)
        try:
            counts = service.class_counts()
        except EngineError as e:
            raise Problem(e.status, str(e)) from None
        page = home.home_page(site, Graph(ontology_triples(service)), ox.NamedNode(str(service.iris.ontology)),
                              counts, service.store, service.settings.dataset)
        return _render("home.html", site, lang, rdf=False, page=page)

    return _answer(request, service, fmt, (lang,), produce, rdf=False)
