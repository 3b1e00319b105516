"""Linked Data: every IRI of the graph dereferences here, as an HTML page or as RDF.

The routes are in `routes`; what each page shows is built in `views` (and the
findings chart in `chart`) from one query per page (`queries`), and rendered
by the Jinja2 templates in api/templates/pages/.
"""

from __future__ import annotations

from .routes import router

__all__ = ["router"]
