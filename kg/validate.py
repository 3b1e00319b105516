"""Checks of the built graph: SHACL shapes (pySHACL) and OWL consistency (HermiT via owlready2)."""

from __future__ import annotations

from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph

from .errors import ValidationError
from .namespaces import SH


def check_shapes(data: Graph, ontology: Graph, shapes: Graph, shapes_path: Path, limit: int = 20) -> None:
    """Raise ValidationError listing the violations, if the graph breaks any shape."""
    conforms, report, _ = shacl_validate(
        data, shacl_graph=shapes, ont_graph=ontology, inference="none", advanced=True,
        allow_warnings=True,
    )
    if conforms:
        return
    lines = []
    for result in sorted(report.subjects(SH.resultSeverity, SH.Violation), key=str):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = report.value(result, SH.resultMessage)
        lines.append(f"{focus}{f' {path}' if path else ''}: {message}")
    shown = "\n".join(f"  - {line}" for line in lines[:limit])
    more = f"\n  … and {len(lines) - limit} more" if len(lines) > limit else ""
    raise ValidationError(f"the graph breaks {len(lines)} SHACL constraint(s) of {shapes_path}:\n{shown}{more}")


def check_consistency(owl_file: Path) -> None:
    """Run HermiT on an RDF/XML file of ontology + data; raise ValidationError if the
    ontology is inconsistent or has unsatisfiable classes."""
    import owlready2  # heavy and starts Java: only imported when reasoning

    world = owlready2.World()
    onto = world.get_ontology(owl_file.resolve().as_uri()).load()
    try:
        with onto:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError as e:
        raise ValidationError(f"{owl_file}: the ontology with its data is inconsistent (HermiT): {e}") from None
    except owlready2.OwlReadyJavaError as e:
        raise ValidationError(f"{owl_file}: the reasoner failed to run: {e}") from None
    unsatisfiable = sorted(str(c.iri) for c in world.inconsistent_classes())
    if unsatisfiable:
        raise ValidationError(f"{owl_file}: unsatisfiable classes (HermiT): {', '.join(unsatisfiable)}")
