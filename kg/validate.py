"""Checks of the built graph: SHACL shapes (pySHACL) and OWL consistency (HermiT via owlready2)."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph

from .errors import Problem, ValidationError
from .namespaces import SH, curie


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


def check_consistency(owl_file: Path, whereabouts: Mapping[str, Problem] | None = None,
                      prefixes: Mapping[str, str] | None = None) -> None:
    """Run HermiT on an RDF/XML file of ontology + data; raise ValidationError if the
    ontology is inconsistent (InconsistencyError, naming the curated items involved, as
    found in `whereabouts`) or has unsatisfiable classes."""
    import owlready2  # heavy and starts Java: only imported when reasoning

    world = owlready2.World()
    onto = world.get_ontology(owl_file.resolve().as_uri()).load()
    try:
        with onto:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        raise InconsistencyError(owl_file, *explain_inconsistency(owl_file, whereabouts or {}, prefixes or {})) from None
    except owlready2.OwlReadyJavaError as e:
        raise ValidationError(f"{owl_file}: the reasoner failed to run: {e}") from None
    unsatisfiable = sorted(str(c.iri) for c in world.inconsistent_classes())
    if unsatisfiable:
        raise ValidationError(f"{owl_file}: unsatisfiable classes (HermiT): {', '.join(unsatisfiable)}")


class InconsistencyError(ValidationError):
    """HermiT found the ontology with its data inconsistent; `problems` are the curated
    items the explanation involves."""

    def __init__(self, owl_file: Path, problems: list[Problem], explanation: str) -> None:
        self.problems = problems
        items = "\n".join(f"  - {p}" for p in problems) or "  (no curated item could be named; see the explanation)"
        super().__init__(f"{owl_file}: the ontology with its data is inconsistent (HermiT). The curated items "
                         f"involved:\n{items}\nwhy (Pellet's explanation):\n{explanation}")


# Pellet prints entities by their short names, which are not unique (a fact id recurs across
# documents). It therefore explains a copy in which every IRI outside the W3C vocabularies
# is renamed to a unique token; the tokens in its answer are mapped back.
_TOKEN_BASE = "https://erkg.invalid/"
_W3C = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#",
        "http://www.w3.org/2002/07/owl#", "http://www.w3.org/2001/XMLSchema#")


def explain_inconsistency(owl_file: Path, whereabouts: Mapping[str, Problem],
                          prefixes: Mapping[str, str]) -> tuple[list[Problem], str]:
    """The curated items an explanation of the inconsistency involves, and the explanation
    (by the Pellet that owlready2 bundles) with IRIs shortened by `prefixes`."""
    import owlready2
    import pyoxigraph as ox

    names: dict[str, str] = {}

    def token(term):
        if isinstance(term, ox.NamedNode) and not term.value.startswith(_W3C):
            name = names.setdefault(term.value, f"x{len(names)}x")
            return ox.NamedNode(_TOKEN_BASE + name)
        return term

    triples = [ox.Triple(token(t.subject), token(t.predicate), token(t.object))
               for t in ox.parse(path=owl_file, format=ox.RdfFormat.RDF_XML)]
    iris = {v: k for k, v in names.items()}
    with tempfile.TemporaryDirectory() as tmp:
        renamed = Path(tmp) / "renamed.owl"
        ox.serialize(triples, renamed, ox.RdfFormat.RDF_XML)
        # owlready2 bundles Pellet; its own wrapper loads with Jena, which the JDK here cannot run
        jars = sorted((Path(owlready2.__file__).parent / "pellet").glob("*.jar"))
        command = [owlready2.JAVA_EXE, "-Xmx2000M", "-cp", os.pathsep.join(map(str, jars)), "pellet.Pellet",
                   "explain", "--inconsistent", "--ignore-imports", renamed.as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=600)
        except (OSError, subprocess.TimeoutExpired) as e:
            return [], f"    (Pellet could not explain it: {e})"
    output = done.stdout
    if "Explanation" not in output:
        return [], f"    (Pellet gave no explanation: {(done.stderr or output).strip()[-2000:]})"
    lines = [line.strip() for line in output.splitlines() if re.search(r"x\d+x", line)]
    involved = [iris[t] for t in dict.fromkeys(re.findall(r"x\d+x", output)) if t in iris]
    shown = "\n".join(f"    {re.sub(r'x[0-9]+x', lambda m: curie(iris.get(m.group(0), m.group(0)), dict(prefixes)), line)}"
                      for line in lines)
    return [replace(whereabouts[i], reason=f"{curie(i, dict(prefixes))} takes part in the inconsistency")
            for i in involved if i in whereabouts], shown
