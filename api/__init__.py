"""ERKG's web service: serves the dataset that `kg` builds (SPARQL, REST, entity pages)."""
