"""The HTML templates of api/templates/: the query UI, the API docs and the Linked Data pages."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

TEMPLATES = Path(__file__).resolve().parent / "templates"


def environment() -> Environment:
    """A Jinja environment over TEMPLATES, autoescaping HTML and SVG. Made once per
    service (Service.templates), or once when the app is made (api.docs)."""
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "svg"]),
                       trim_blocks=True, lstrip_blocks=True)
