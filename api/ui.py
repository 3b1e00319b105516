"""The query UI served at /sparql to browsers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi.responses import HTMLResponse

from .formats import parse_accept

if TYPE_CHECKING:
    from .service import Service


def wants_html(accept: str | None) -> bool:
    """True when the client prefers an HTML page (a browser) to RDF."""
    ranges = parse_accept(accept)
    return bool(ranges) and ranges[0][0] in ("text/html", "application/xhtml+xml")


def page(service: Service) -> HTMLResponse:
    names = "".join(f"<li>{q.name}: {q.title}</li>" for q in service.named_queries.values())
    return HTMLResponse(f"<!doctype html><title>ERKG SPARQL</title><h1>ERKG SPARQL endpoint</h1><ul>{names}</ul>")
