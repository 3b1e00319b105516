"""Linked Data: every IRI of the graph dereferences here, as an HTML page or as RDF."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
