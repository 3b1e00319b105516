"""Printing query results on a terminal or as standard result formats."""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox

from .errors import QueryError

# CLI format name -> pyoxigraph result format (None: the aligned text table).
_SOLUTION_FORMATS = {
    "table": None, "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
}
_GRAPH_FORMATS = {"table": ox.RdfFormat.TURTLE, "turtle": ox.RdfFormat.TURTLE,
                  "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}
FORMATS = sorted({*_SOLUTION_FORMATS, *_GRAPH_FORMATS})


def _show(term, prefixes: Mapping[str, str]) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, ns in sorted(prefixes.items(), key=lambda kv: -len(kv[1])):
            if term.value.startswith(ns):
                return f"{prefix}:{term.value[len(ns):]}"
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        return term.value.replace("\n", " ")
    return str(term)


def format_result(result, fmt: str, prefixes: Mapping[str, str]) -> str:
    """A SELECT, ASK, CONSTRUCT or DESCRIBE result in the requested format."""
    if isinstance(result, ox.QueryBoolean):
        return ("true" if bool(result) else "false") + "\n"
    if isinstance(result, ox.QueryTriples):
        if fmt not in _GRAPH_FORMATS:
            raise QueryError(f"format {fmt!r} does not apply to a graph; use one of {', '.join(_GRAPH_FORMATS)}")
        return ox.serialize(list(result), format=_GRAPH_FORMATS[fmt], prefixes=dict(prefixes)).decode()
    if fmt not in _SOLUTION_FORMATS:
        raise QueryError(f"format {fmt!r} does not apply to SELECT results; use one of {', '.join(_SOLUTION_FORMATS)}")
    if _SOLUTION_FORMATS[fmt] is not None:
        return result.serialize(format=_SOLUTION_FORMATS[fmt]).decode()
    names = [v.value for v in result.variables]
    rows = [[_show(row[n], prefixes) for n in names] for row in result]
    widths = [min(max([len(n), *(len(r[i]) for r in rows)]), 60) for i, n in enumerate(names)]
    def line(cells):
        return "  ".join((c if len(c) <= w else c[: w - 1] + "…").ljust(w) for c, w in zip(cells, widths)).rstrip()
    out = [line(names), line(["-" * w for w in widths]), *map(line, rows), f"({len(rows)} rows)"]
    return "\n".join(out) + "\n"
