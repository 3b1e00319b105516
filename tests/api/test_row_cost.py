"""The floors of benchmarks/row_cost.py (benchmarks/row-cost/*.rq) stand under the
questions they are compared with: on the project's graph each finds the same rows as
its question, so its time is a floor under that question's answer, not another question's."""

from __future__ import annotations

import pytest

from kg.queries import bind, run

from tests.conftest import ROOT

FLOORS = ROOT / "benchmarks" / "row-cost"

# floor file -> (question, its parameters, the columns that identify a row in both)
STANDS_UNDER = {
    "relations-core": ("role-relations", {"party": "role:cmo"}, ("relation",)),
    "finding-pairs-core": ("cmo-vs-cio-findings", {"roleA": "role:cmo", "roleB": "role:cio"},
                           ("findingA", "findingB")),
    "party-index": ("role-relations", {"party": "role:cmo"}, ("relation",)),
}


def rows(result, columns: tuple[str, ...]) -> list[tuple[str, ...]]:
    return sorted(tuple(row[c].value for c in columns) for row in result)


@pytest.mark.min_cases(3)
@pytest.mark.parametrize("floor", sorted(STANDS_UNDER))
def test_floor_finds_the_rows_of_its_question(floor, store, named_queries, iris):
    question, params, columns = STANDS_UNDER[floor]
    prefixes = iris.prefixes()
    query = named_queries[question]
    asked = rows(run(store, query.text, prefixes, bind(query, params, prefixes)), columns)
    found = rows(run(store, (FLOORS / f"{floor}.rq").read_text(), prefixes), columns)
    assert asked, f"{question} {params} answers nothing on the project's graph"
    assert found == asked


def test_responsibilities_floor_finds_the_claims_on_the_role_itself(store, named_queries, iris):
    """responsibilities-core leaves out claims on groups of the role's holders (the synthetic
    graph has none): on the project's graph, its claims are those of role-responsibilities
    whose assignee is the CIO."""
    prefixes = iris.prefixes()
    query = named_queries["role-responsibilities"]
    cio = prefixes["role"] + "cio"
    rows = run(store, query.text, prefixes, bind(query, {"role": "role:cio"}, prefixes))
    asked = sorted({row["claim"].value for row in rows if row["assignee"].value == cio})
    floor = (FLOORS / "responsibilities-core.rq").read_text()
    found = sorted({row["claim"].value for row in run(store, floor, prefixes)})
    assert asked
    assert found == asked
