"""ERKG's knowledge-graph builder: curated facts + ontology -> validated RDF dataset.

The package knows nothing of HTTP; `api` serves what it builds.
"""

__version__ = "0.1.0"
