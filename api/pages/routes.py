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
from collections.abc import Callable, Mapping
from urllib.parse import urlencode

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from kg.formats import Format, graph_formats
from kg.layout import BuildLayout
from kg.namespaces import expand_id
from kg.versions import releases

from ..conditional import known_answer
from ..formats import choose
from ..problems import Problem, invalid_parameters
from ..service import Service, ServiceDep
from ..ui import wants_html
from . import chart, home, i18n, queries, views
from .rdf import Graph, iri, used_prefixes

router = APIRouter(tags=["Linked Data"])

HTML = Format("html", "text/html", ("application/xhtml+xml",), label="HTML")


def offers() -> tuple[Format, ...]:
    """HTML first: a client that accepts anything (*/*, or no Accept) gets the page."""
    return (HTML, *graph_formats())


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
    return {"response_class": Response,
            "responses": {200: {"content": {f.media_type: {"schema": {"type": "string"}}
                                            for f in (offers() if rdf else (HTML,))}}}}


OWL_VERSION_IRI = iri("http://www.w3.org/2002/07/owl#versionIRI")


# ---------------------------------------------------------------- negotiation


def _format(request: Request, only: tuple[Format, ...] | None = None) -> Format:
    return choose(only or offers(), request.headers.get("accept"), request.query_params.get("format"))


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


class NotFound(Exception):
    """Raised by a page's producer: the IRI asked for is not in the graph."""

    def __init__(self, resource: str) -> None:
        super().__init__(resource)
        self.resource = resource


def _answer(request: Request, service: Service, fmt: Format, key: tuple[str, ...],
            produce: Callable[[], bytes], rdf: bool = True) -> Response:
    """The cached answer or a fresh one, with ETag, Vary and (for HTML) the CSP.

    `produce` runs the page's query only when the answer is not cached; it
    raises NotFound for an IRI that is not in the graph (a 404, never cached)."""
    etag = service.etag("pages", service.settings.base, request.url.path, fmt.name, *key)
    headers = {"ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept, Accept-Language, Cookie",
               **_remember_language(request)}
    alternates = [f'<?format={f.name}>; rel="alternate"; type="{f.media_type}"'
                  for f in graph_formats() if f is not fmt]
    if fmt is HTML:
        headers["Content-Security-Policy"] = CSP
        if rdf:
            headers["Link"] = ", ".join(alternates)
    known = known_answer(request, service.cache, etag, headers)
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
    return fmt.write(triples, prefixes=used_prefixes(triples, service.iris.prefixes()))


def _not_found(request: Request, service: Service, fmt: Format, resource: str) -> Response:
    if fmt is HTML and wants_html(request.headers.get("accept")):
        lang = _language(request)
        site = _site(service, request, Graph(), lang)
        html = _render(service, "not_found.html", site, lang, rdf=False, iri=resource)
        return HTMLResponse(html, status_code=404, headers={"Content-Security-Policy": CSP})
    raise Problem(404, f"{resource} is not a resource of this graph", "Not Found")


# ---------------------------------------------------------------- shared pieces of a page

def vocabulary(service: Service) -> Graph:
    """Types, labels and definitions of the ontology's terms, loaded once per dataset version."""
    return service.per_version("vocabulary", lambda: Graph(
        service.triples(queries.VOCABULARY, g=ox.NamedNode(str(service.iris.ontology)))))


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
    alternates = [(f.name, f.media_type, f.label, "?format=" + f.name) for f in graph_formats()] if rdf else []
    return {"languages": languages, "alternates": alternates, "root": site.root}


def _render(service: Service, template: str, site: views.Site, lang: str, rdf: bool = True,
            params: Mapping[str, str] | None = None, **context) -> bytes:
    html = service.templates.get_template(f"pages/{template}").render(
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
def resource(path: str, request: Request, service: ServiceDep) -> Response:
    fmt = _format(request)
    value = service.iris.base + "id/" + path
    try:
        node = ox.NamedNode(value)
    except ValueError:
        return _not_found(request, service, fmt, value)

    if fmt is not HTML:
        def rdf() -> bytes:
            triples = service.triples(queries.CBD, r=node)
            if not triples:
                raise NotFound(value)
            return _serialize(triples, fmt, service)
        return _answer(request, service, fmt, (), rdf)

    lang = _language(request)
    kind = path.split("/", 1)[0]
    start, end = _offsets(request) if kind == "document" else (None, None)
    quotes_only = service.settings.source_texts != "full"
    document_query = queries.DOCUMENT_QUOTES if quotes_only else queries.DOCUMENT
    query = {"role": queries.ROLE, "document": document_query}.get(kind, queries.RESOURCE)

    def html() -> bytes:
        g = Graph(service.triples(query, r=node))
        if node not in g:
            raise NotFound(value)
        site = _site(service, request, g, lang)
        if kind == "document":
            _check_range(start, end, views.text_length(g, node, site.erkg))
            page = views.document_page(site, node, start, end, quotes_only)
            offsets = {"start": str(start), "end": str(end)} if start is not None else {}
            return _render(service, "document.html", site, lang, params=offsets, page=page, r=page.resource)
        if kind == "role":
            page = views.role_page(site, node)
            return _render(service, "role.html", site, lang, page=page, r=page.resource)
        page = views.resource_page(site, node)
        return _render(service, "resource.html", site, lang, r=page)

    return _answer(request, service, fmt, (lang, str(start), str(end)), html)


# ---------------------------------------------------------------- /ontology


def ontology_triples(service: Service) -> list[ox.Triple]:
    """The ontology's graph, loaded once per dataset version."""
    return service.per_version("ontology", lambda: service.triples(
        queries.GRAPH, g=ox.NamedNode(str(service.iris.ontology))))


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
        return _render(service, "ontology.html", site, lang, page=page)

    return _answer(request, service, fmt, (lang,), produce)


@router.get("/ontology", **_content(True), summary="The ontology (Linked Data)",
                  response_description="its documentation page, or the ontology graph")
def ontology(request: Request, service: ServiceDep) -> Response:
    return _ontology_answer(request, service, ontology_triples(service))


@router.get("/ontology/{version:path}", **_content(True), summary="A version of the ontology",
                  response_description="that release's ontology (releases/VERSION/), or the one served if "
                                       "this is its version IRI")
def ontology_version(version: str, request: Request, service: ServiceDep) -> Response:
    released = releases(service.settings.releases)
    if version in released:
        # A release is written once: its file is parsed once per dataset version, not per request.
        path = service.settings.releases / version / BuildLayout.ONTOLOGY_TTL
        return _ontology_answer(request, service, service.per_version(f"ontology {version}", lambda: [
            q.triple for q in ox.parse(path=path, format=ox.RdfFormat.TURTLE)]))
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
def named_graph(name: str, request: Request, service: ServiceDep) -> Response:
    fmt = _format(request)
    try:
        value = str(service.iris.graph(name))
    except ValueError:  # a name no graph can have: it cannot be part of an IRI
        return _not_found(request, service, fmt, f"{service.iris.base}graph/{name}")
    if value not in service.store.graphs:
        return _not_found(request, service, fmt, value)
    node = ox.NamedNode(value)
    if fmt is not HTML:
        return _answer(request, service, fmt, (), lambda: _serialize(service.triples(queries.GRAPH, g=node),
                                                                         fmt, service))
    lang = _language(request)

    def produce() -> bytes:
        g = Graph(service.triples(queries.GRAPH, g=node))
        site = _site(service, request, g, lang)
        document = ox.NamedNode(str(service.iris.thing("document", name)))
        page = views.graph_page(site, value, document)
        return _render(service, "graph.html", site, lang, page=page)

    return _answer(request, service, fmt, (lang,), produce)


# ---------------------------------------------------------------- /findings


def _study(service: Service, value: str) -> ox.NamedNode:
    """The study a `study` parameter names: its id, CURIE or IRI."""
    try:
        return ox.NamedNode(expand_id(value, service.iris.prefixes(), ("study",))[0])
    except ValueError as e:
        raise invalid_parameters(("study", str(e))) from None


@router.get("/findings", **_content(False), summary="The survey findings as charts",
                  response_description="an HTML page: per study and proposition, the shares of each respondent group")
def findings(request: Request, service: ServiceDep) -> Response:
    fmt = _format(request, (HTML,))
    lang = _language(request)
    study_param = request.query_params.get("study")
    study = _study(service, study_param) if study_param else None

    def produce() -> bytes:
        g = Graph(service.triples(queries.FINDINGS, **({"study": study} if study else {})))
        if study is not None and study not in g:
            raise NotFound(study.value)
        site = _site(service, request, g, lang)
        return _render(service, "findings.html", site, lang, rdf=False, params={"study": study.value} if study else None,
                       charts=chart.charts(site, g), study=study)

    return _answer(request, service, fmt, (lang, study.value if study else ""), produce, rdf=False)


# ---------------------------------------------------------------- /


@router.get("/", **_content(False), summary="The home page",
            response_description="an HTML page: what ERKG is, its size, its sources, where to go, how to cite it")
def home_page(request: Request, service: ServiceDep) -> Response:
    fmt = _format(request, (HTML,))
    lang = _language(request)

    def produce() -> bytes:
        g = Graph(service.triples(queries.SOURCES))
        site = _site(service, request, g, lang)
        page = home.home_page(site, Graph(ontology_triples(service)), ox.NamedNode(str(service.iris.ontology)),
                              service.class_counts(), service.store, service.settings.dataset,
                              service.settings.source_texts)
        return _render(service, "home.html", site, lang, rdf=False, page=page)

    return _answer(request, service, fmt, (lang,), produce, rdf=False)
