"""Printing query results on a terminal or as standard result formats."""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox

from .errors import QueryError
from .formats import TABLE, graph_formats, results_formats

# Besides the result formats (kg.formats): the default, an aligned text table of SELECT
# results (a graph's "table" is Turtle).
TEXT_TABLE = "table"


def format_names() -> list[str]:
    """What `erkg query --format` takes."""
    return [TEXT_TABLE, *(f.name for f in TABLE)]


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
        graphs = {TEXT_TABLE: graph_formats()[0], **{f.name: f for f in graph_formats()}}
        if fmt not in graphs:
            raise QueryError(f"format {fmt!r} does not apply to a graph; use one of {', '.join(graphs)}")
        return graphs[fmt].write(list(result), prefixes=dict(prefixes)).decode()
    if fmt != TEXT_TABLE:
        solutions = {f.name: f for f in results_formats()}
        if fmt not in solutions:
            raise QueryError(f"format {fmt!r} does not apply to SELECT results; "
                             f"use one of {', '.join([TEXT_TABLE, *solutions])}")
        return solutions[fmt].write(result).decode()
    names = [v.value for v in result.variables]
    rows = [[_show(row[n], prefixes) for n in names] for row in result]
    widths = [min(max([len(n), *(len(r[i]) for r in rows)]), 60) for i, n in enumerate(names)]
    def line(cells):
        return "  ".join((c if len(c) <= w else c[: w - 1] + "…").ljust(w) for c, w in zip(cells, widths)).rstrip()
    out = [line(names), line(["-" * w for w in widths]), *map(line, rows), f"({len(rows)} rows)"]
    return "\n".join(out) + "\n"
