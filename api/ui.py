"""The query UI served at /sparql to browsers: YASGUI, from this server only.

A browser's GET /sparql without a query (Accept: text/html first) gets a page
that loads YASGUI (`@zazuko/yasgui`, installed by scripts/setup.sh into
node_modules/ and served under /ui/yasgui/) and a small start-up script
(api/static/, under /ui/static/). The page names no other host: the assets,
the endpoint and every example are addressed relative to the page, so it works
behind any host or path prefix, and its Content-Security-Policy keeps the
browser on this origin.

The page carries its data as JSON: the endpoint, the project's prefixes, a
starter query and one example tab per named query (queries/*.rq). The query
files declare no prefixes (the endpoint and the command-line runner predeclare
them); each tab still gets the PREFIX lines its query uses, so that a query
copied from it runs on any other endpoint too.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi.responses import HTMLResponse

from kg.sparql_text import code_only

from .formats import parse_accept

if TYPE_CHECKING:
    from kg.queries import NamedQuery, Param

    from .service import Service

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
STATIC = HERE / "static"
# The built YASGUI (yasgui.min.js, yasgui.min.css), as npm installs it from package.json.
YASGUI_ASSETS = ROOT / "node_modules" / "@zazuko" / "yasgui" / "build"

# URL paths of the mounted assets (api/app.py), and the same relative to the page at /sparql.
YASGUI_PATH = "/ui/yasgui"
STATIC_PATH = "/ui/static"
ENDPOINT = "sparql"

CSP = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",  # YASGUI and its table set element styles
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'self'",
))

STARTER = """\
# The executive roles and their English labels. The tabs hold the named
# queries (queries/*.rq); every query runs on the union of all named graphs,
# the inferred one included unless "asserted triples only" is ticked.
SELECT ?role ?label
WHERE {
  ?role a erkg:ExecutiveRole ;
        rdfs:label ?label .
  FILTER (LANG(?label) = "en")
}
ORDER BY ?label
"""


def wants_html(accept: str | None) -> bool:
    """True when the client prefers an HTML page (a browser) to RDF."""
    ranges = parse_accept(accept)
    return bool(ranges) and ranges[0][1] > 0 and ranges[0][0] in ("text/html", "application/xhtml+xml")


def assets_installed() -> bool:
    return all((YASGUI_ASSETS / name).is_file() for name in ("yasgui.min.js", "yasgui.min.css"))


# ---------------------------------------------------------------- queries with their prefixes


def used_prefixes(query: str, prefixes: Mapping[str, str]) -> dict[str, str]:
    """The prefixes of `prefixes` that `query` uses in a prefixed name (not in a
    string, an IRI or a comment), in the order of `prefixes`."""
    code = code_only(query)
    return {p: ns for p, ns in prefixes.items()
            if re.search(rf"(?<![\w.:?$-]){re.escape(p)}:", code)}


def prefix_lines(prefixes: Mapping[str, str]) -> str:
    width = max((len(p) for p in prefixes), default=0)
    return "".join(f"PREFIX {p + ':':<{width + 1}} <{ns}>\n" for p, ns in prefixes.items())


def with_prefixes(query: str, prefixes: Mapping[str, str], all_prefixes: bool = False) -> str:
    """The query as it runs on the endpoint: its header comment, the PREFIX
    declarations it needs (or all of `prefixes`), then the rest of it."""
    lines = query.splitlines(keepends=True)
    n = 0
    while n < len(lines) and lines[n].startswith("#"):
        n += 1
    header, body = "".join(lines[:n]), "".join(lines[n:]).lstrip("\n")
    declared = prefix_lines(prefixes if all_prefixes else used_prefixes(query, prefixes))
    return "".join(part for part in (header, "\n" if header else "", declared, "\n" if declared else "", body))


def example(query: NamedQuery, prefixes: Mapping[str, str]) -> dict:
    return {"id": f"erkg-{query.name}", "name": query.name, "title": query.title,
            "description": query.description, "query": with_prefixes(query.text, prefixes),
            "params": [parameter(p, prefixes) for p in query.params]}


def parameter(p: Param, prefixes: Mapping[str, str]) -> dict:
    """A field of the query's parameter form. An IRI parameter offers the resources of the
    namespace its header's example or default is in (role:cmo: the roles), by label."""
    sample = p.example or p.default
    prefix = sample.partition(":")[0] if sample and p.kind == "iri" else None
    return {"name": p.name, "kind": p.kind, "optional": p.optional, "description": p.description,
            "example": p.example, "default": p.default, "choices": p.choices,
            "namespace": prefixes.get(prefix) if prefix else None, "prefix": prefix}


# ---------------------------------------------------------------- the page


def config(service: Service) -> dict:
    """What the page's script needs, as plain JSON."""
    prefixes = service.iris.prefixes()
    inferred = str(service.iris.inferred)
    data = {
        "endpoint": ENDPOINT,
        "prefixes": prefixes,
        # The switch "asserted triples only" names these as default-graph-uri (none: no switch).
        "assertedGraphs": sorted(g for g in service.store.graphs if g and g != inferred)
        if inferred in service.store.graphs else [],
        "starter": with_prefixes(STARTER, prefixes, all_prefixes=True),
        "examples": [example(q, prefixes) for q in service.named_queries.values()],
        # Where a named query's text with its parameters bound is served (the parameter form).
        "namedQueries": "api/v1/queries",
    }
    # YASGUI keeps its tabs in localStorage under this id: another set of
    # examples (or another base) starts from fresh tabs.
    digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:12]
    return {**data, "persistenceId": f"erkg-{digest}"}


def script_json(value: object) -> str:
    """JSON that can stand inside a <script> element: no '<', '>' or '&' (so no
    '</script>' or '<!--'), and no line separators that old parsers choke on."""
    text = json.dumps(value, ensure_ascii=False, indent=None, separators=(",", ":"))
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text


def page(service: Service) -> HTMLResponse:
    data = config(service)
    html = service.templates.get_template("sparql.html").render(
        config_json=script_json(data),
        examples=data["examples"],
        endpoint=ENDPOINT,
        yasgui=YASGUI_PATH.lstrip("/"),   # relative to the page at /sparql
        static=STATIC_PATH.lstrip("/"),
        assets_installed=assets_installed(),
        asserted=bool(data["assertedGraphs"]),
        inferred=str(service.iris.inferred),
    )
    return HTMLResponse(html, headers={"Content-Security-Policy": CSP, "Vary": "Accept",
                                       "Cache-Control": "no-cache"})
