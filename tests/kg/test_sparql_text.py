"""Lexical facts about a query (kg.sparql_text), read before it is evaluated.

Binding parameters in a query's text (with_values), for remote engines and for the
embedded engine's planner: the answers must be those of SEP-0007 substitution, also
where a parameter stands in a nested group (tests/api/test_backends.py checks the answers).
The scans the endpoint runs on every query (uses_service, has_dataset_clause,
deepest_nesting, is_volatile …) take time linear in the query's length, whatever it holds."""

from __future__ import annotations

import time

import pyoxigraph as ox
import pytest

from kg.sparql_text import (deepest_nesting, has_dataset_clause, is_update, is_volatile, query_form,
                             undeclared_prefixes, uses_service, with_values)

DATA = """
<http://e/a> a <http://e/Thing> ; <http://e/p> <http://e/b> .
<http://e/b> <http://e/label> "B"@de , "B"@en .
"""
# The label lookup is nested as in queries/*.rq: labels only of an ?o that is there.
QUERY = """SELECT ?s ?label ?lang WHERE {
  ?s a <http://e/Thing> .
  OPTIONAL {
    ?s <http://e/p> ?o .
    OPTIONAL { ?o <http://e/label> ?label FILTER (LANG(?label) = COALESCE(?lang, "de")) }
  }
}"""


@pytest.fixture(scope="module")
def store() -> ox.Store:
    s = ox.Store()
    s.load(DATA.encode(), format=ox.RdfFormat.TURTLE)
    return s


def answers(store: ox.Store, query: str, **subs: ox.Literal) -> list[tuple]:
    result = store.query(query, substitutions={ox.Variable(k): v for k, v in subs.items()})
    return [tuple(str(row[v]) for v in result.variables) for row in result]


def test_a_parameter_in_a_nested_group_is_bound_as_substitution_binds_it(store):
    bound = with_values(QUERY, {"lang": '"en"'})
    assert answers(store, bound) == answers(store, QUERY, lang=ox.Literal("en")) == [
        ("<http://e/a>", '"B"@en', '"en"')]
    # a VALUES block alone leaves ?lang unbound in the nested OPTIONAL: the German label
    plain = QUERY.replace("WHERE {", 'WHERE { VALUES ?lang { "en" }', 1)
    assert answers(store, plain) == [("<http://e/a>", '"B"@de', '"en"')]


def test_the_argument_of_bound_stays_a_variable(store):
    """BOUND takes a variable only: a term there would not parse."""
    query = 'SELECT ?s ?lang WHERE { ?s a <http://e/Thing> FILTER (BOUND(?lang) && ?lang = "en") }'
    bound = with_values(query, {"lang": '"en"'})
    assert 'FILTER (BOUND(?lang) && "en" = "en")' in bound
    assert answers(store, bound) == [("<http://e/a>", '"en"')]


@pytest.mark.parametrize("nested", ["BIND (?o AS ?lang)", 'VALUES (?o ?lang) { (<http://e/b> "en") }'])
def test_a_variable_a_nested_group_assigns_is_left_alone(nested):
    query = f"SELECT * WHERE {{ ?s ?p ?o {{ {nested} }} }}"
    bound = with_values(query, {"lang": '"en"'})
    assert bound.endswith(f"?s ?p ?o {{ {nested} }} }}")


def test_a_sub_select_is_left_alone():
    query = "SELECT ?lang WHERE { { SELECT ?lang WHERE { ?s ?p ?lang } } }"
    assert with_values(query, {"lang": '"en"'}).endswith("{ SELECT ?lang WHERE { ?s ?p ?lang } } }")


def test_a_parameter_in_a_nested_triple_pattern_is_left_to_the_join():
    """There the VALUES block binds it by the join, as substitution would; a constant
    in its place can make an engine plan the group worse."""
    query = 'SELECT * WHERE { ?s ?p ?o { ?s ?q ?role } UNION { ?s ?q ?o FILTER EXISTS { ?o ?r ?role } } }'
    bound = with_values(query, {"role": "<http://e/r>"})
    assert "{ ?s ?q ?role }" in bound
    assert "FILTER EXISTS { ?o ?r <http://e/r> }" in bound  # an EXISTS group is an expression


def test_a_parameter_in_an_expression_of_the_where_group_is_replaced(store):
    """The VALUES block binds it there too, but an engine can apply a FILTER that names a
    parameter only after the whole group (its OPTIONALs included): with the term in its
    place the filter can prune rows early. The answers stay those of substitution."""
    query = ('SELECT ?s ?o ?x ?y WHERE { ?s ?p ?o FILTER (?o = ?x || EXISTS { ?o ?q ?x }) '
             'BIND (COALESCE(?x, 1) AS ?y) }')
    bound = with_values(query, {"x": "<http://e/b>"})
    assert "FILTER (?o = <http://e/b> || EXISTS { ?o ?q <http://e/b> })" in bound
    assert "BIND (COALESCE(<http://e/b>, 1) AS ?y)" in bound and " ?s ?p ?o FILTER" in bound
    assert answers(store, bound) == answers(store, query, x=ox.NamedNode("http://e/b")) == [
        ("<http://e/a>", "<http://e/b>", "<http://e/b>", "<http://e/b>")]


def test_a_parameter_in_an_optional_nested_in_a_group_is_replaced():
    """That OPTIONAL is evaluated before the VALUES block is joined: with ?role unbound
    it would match any role, and the outer join would then drop the whole branch."""
    query = "SELECT * WHERE { ?s ?p ?o OPTIONAL { ?s ?q ?role } { ?s ?q ?o OPTIONAL { ?o ?r ?role } } }"
    bound = with_values(query, {"role": "<http://e/r>"})
    assert "OPTIONAL { ?s ?q ?role }" in bound and "OPTIONAL { ?o ?r <http://e/r> }" in bound


# ---------------------------------------------------------------- the endpoint's scans

LIMIT = 100_000  # the endpoint's default limit on a query's length
# Texts of that length that made a scan quadratic: a long run of name characters
# holding the word (walked back over once per match), IRIs with "#" on one long line
# (the rest of the line sliced once per IRI), unterminated strings, deep brackets.
HOSTILE = {
    "a run of service": "SELECT ?x" + "service" * (LIMIT // 7) + " {}",
    "a variable of service": "SELECT ?" + "service" * (LIMIT // 7) + " {}",
    "a local name of service": "SELECT ex:" + "service" * (LIMIT // 7) + " {}",
    "IRIs with # on one line": "SELECT * {" + "<http://x#a> " * (LIMIT // 13) + "}",
    "IRIs with # and escapes": "SELECT * FROM {" + "<http://x#a>\\u0041 " * (LIMIT // 20) + "}",
    "unterminated strings": '"a' * (LIMIT // 2),
    "unterminated long strings": '"""\\' * (LIMIT // 4),
    "a string that never closes, its quotes escaped": 'ASK {} # x\n"' + '\\"' * (LIMIT // 2 - 10),
    "a string that never closes, nor its escapes": '"' + '\\"' * (LIMIT // 2 - 10) + "\\",
    "a long string that never closes": '"""' + '\\"' * (LIMIT // 2 - 10) + "\\",
    "runs of PREFIX": "ASK { ?s ?p ?o } " + "x-PREFIXa" * (LIMIT // 9 - 2),
    "runs of PREFIX and quotes": '\r\\""">)%' * (LIMIT // 8),
    "runs of brackets and escapes": '")}u\\' * (LIMIT // 6),
    "brackets": "(" * LIMIT,
    "prefixed names of service": "SELECT * {" + "service:x " * (LIMIT // 10) + "}",
    "a prefixed name of service with a long local part": "SELECT * { service:" + "a.service:" * (LIMIT // 10) + "}",
    "prefixed names of service before groups": "SELECT * {" + "GRAPH service:x {}" * (LIMIT // 18) + "}",
    "space before prefixed names of service": "SELECT * {" + (" " * 1000 + "service:x ") * (LIMIT // 1010) + "}",
    "function names without a call": "SELECT * {" + "NOW RAND " * (LIMIT // 9) + "}",
    "function names before space": "SELECT * {" + ("now" + " " * 100) * (LIMIT // 103) + "}",
}


@pytest.mark.min_cases(20)
@pytest.mark.parametrize("name", HOSTILE)
def test_the_scans_are_linear_in_the_query_length(name):
    """They run on the server's event loop before evaluation: a quadratic one let a
    100 kB query stall every client for 38 s. Linear, they take milliseconds."""
    query = HOSTILE[name]
    start = time.perf_counter()
    for scan in (uses_service, has_dataset_clause, query_form, deepest_nesting, is_update, undeclared_prefixes,
                 is_volatile):
        scan(query)
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize("query, flagged", [
    ("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", True),
    ("SELECT ?service { ?service ?p ?o }", False),
    ("SELECT * { ?s ex:service ?o }", False),
    ("SELECT * { ?s ?p ?o } # SERVICE <http://x/>", False),
    ("SELECT ?a-service { }", True),  # not a variable name past "-": errs on the side of yes
    ("SELECT * { ?s ex:-service ?o }", True),
    ("SELECT * { ?s ?p 1SERVICE <http://x/> { } }", True),
    ("SELECT * { ?s ?p ?o \\u0053ERVICE <http://x/> { } }", True),
    ("SELECT * { sErViCe <http://x/> { ?s ?p ?o } }", True),
    ("SELECT * { \u017fERV\u0131CE <http://x/> { ?s ?p ?o } }", True),  # letters other engines may fold to ASCII
    # An engine that reads \u escapes first, but not one behind an escaped backslash,
    # reads the second string as closed and the SERVICE as a keyword.
    ('SELECT * { BIND("\\\\u000A" AS ?x) BIND("a\\u0022 AS ?y) SERVICE <http://x/> { ?s ?p ?o } }', True),
    # a prefix named service: the keyword only where a group follows the prefixed name
    ("PREFIX service: <http://x/> SELECT * { ?s service:p ?o }", False),
    ("PREFIX service: <http://x/> SELECT * { service:s service:p ?o }", False),
    ("PREFIX service: <http://x/> SELECT * { GRAPH service:g { ?s ?p ?o } }", False),
    ("PREFIX service: <http://x/> SELECT * { service:g { ?s ?p ?o } }", True),  # SERVICE :g
    ("PREFIX service: <http://x/> SELECT * { ?o.service:g\n{ ?s ?p ?o } }", True),
    ("PREFIX service: <http://x/> SELECT * { ?graph service:g { ?s ?p ?o } }", True),
    ("SELECT * { servicesilent:g { ?s ?p ?o } }", True),
])
def test_uses_service(query, flagged):
    assert uses_service(query) is flagged


@pytest.mark.parametrize("query, volatile", [
    ("SELECT (NOW() AS ?t) {}", True),
    ("SELECT ?x { BIND (rand ( ) AS ?x) }", True),
    ("SELECT (UUID() AS ?u) (STRUUID() AS ?s) {}", True),
    ("CONSTRUCT { ?b ?p ?o } WHERE { ?s ?p ?o BIND (BNODE(STR(?s)) AS ?b) }", True),
    ("SELECT (\\u004EOW() AS ?t) {}", True),  # as a parser that reads \\u escapes first sees it
    ("SELECT (NOW # a comment\n() AS ?t) {}", True),
    ('SELECT ?x { BIND ("NOW()" AS ?x) } # RAND()', False),
    ("SELECT ?now ?rand { ?now ex:uuid ?rand ; ex:bnode() ?b }", False),
    ("SELECT * { ?s <http://x/now> ?o }", False),
    ("SELECT * { ?s ?p ?o } ORDER BY ?s", False),
])
def test_is_volatile(query, volatile):
    assert is_volatile(query) is volatile


@pytest.mark.parametrize("query, update", [
    ("InSeRt DATA { <http://x/s> <http://x/p> <http://x/o> }", True),
    ("PREFIX ex: <http://e/> WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", True),
    ("drop all", True),
    ("\u0130NSERT DATA { <http://x/s> <http://x/p> <http://x/o> }", True),
    ('SELECT * { ?s ?p "INSERT DATA" }', False),
    ("SELECT ?insert { ?insert ex:drop ?o } # DELETE", False),
    ("ask {}", False),
])
def test_is_update(query, update):
    assert is_update(query) is update


@pytest.mark.parametrize("query, named", [
    ("SELECT * FrOm <http://x/g> { ?s ?p ?o }", True),
    ("SELECT * FROM NAMED <http://x/g> { GRAPH ?g { ?s ?p ?o } }", True),
    ("SELECT ?from { ?from ex:from ?o } # FROM <http://x/g>", False),
    ('SELECT * { ?s ?p "from" }', False),
])
def test_has_dataset_clause(query, named):
    assert has_dataset_clause(query) is named


@pytest.mark.parametrize("query, depth", [
    ("ASK {}", 1),
    ("SELECT (STR(STR(1)) AS ?x) { { ?s ?p [ ?q ?o ] } }", 3),
    ('SELECT * { ?s ?p "((((" } # {{{{', 1),
    ("SELECT * { ?s ?p <http://x/(((> }", 1),
    ("SELECT 1", 0),
])
def test_deepest_nesting_counts_brackets_outside_strings_iris_and_comments(query, depth):
    assert deepest_nesting(query)[0] == depth


@pytest.mark.parametrize("query, undeclared", [
    ("PREFIX ex: <http://x/> SELECT * { ex:a ex2:b ?c }", ["ex2"]),
    ("PREFIX e.x-y: <http://x/> PREFIX : <http://y/> SELECT * { e.x-y:a :b }", []),
    ("PREFIX a-PREFIXb: <http://x/> SELECT * { ?s b:p ?o }", ["b"]),  # no PREFIX within a declared name
    ("PREFIX 1a-PREFIXb: <http://x/> SELECT * { ?s b:p ?o }", []),  # but within one that is not a name
])
def test_undeclared_prefixes(query, undeclared):
    assert undeclared_prefixes(query) == undeclared
