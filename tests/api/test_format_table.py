"""One format table (kg.formats): a format added to it, and nowhere else, is negotiated
on /sparql and on the Linked Data pages, listed in the service description, and offered
by `erkg query --format`.

The throwaway format is N-Quads (a graph written in it is valid N-Quads: its triples in
the default graph), which no part of the project offers today. For the real server it is
added by a sitecustomize module on PYTHONPATH, so that the server and its spawned query
workers (which negotiate the format themselves) all have it before anything is imported.
"""

from __future__ import annotations

import contextlib
import io
import textwrap

import httpx
import pyoxigraph as ox
import pytest
import rdflib

from api import formats as negotiation
from kg import cli
from kg import formats as table

NQUADS = table.Format("nquads", "application/n-quads", label="N-Quads", extension="nq", w3c="N-Quads",
                      rdf_format=ox.RdfFormat.N_QUADS)
CONSTRUCT = "CONSTRUCT { ?s a ?c } WHERE { ?s a ?c } LIMIT 5"
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")

REGISTER = f"""
    import pyoxigraph as ox
    from kg import formats
    formats.TABLE.append(formats.Format("nquads", "application/n-quads", label="N-Quads", extension="nq",
                                        w3c="N-Quads", rdf_format=ox.RdfFormat.N_QUADS))
"""


@pytest.fixture
def with_nquads():
    """The table with N-Quads added, in place (as the sitecustomize below adds it)."""
    table.TABLE.append(NQUADS)
    yield
    table.TABLE.remove(NQUADS)


def test_the_table_has_what_every_part_reads():
    assert len(table.TABLE) >= 8
    names = [f.name for f in table.TABLE]
    assert len(set(names)) == len(names)
    for f in table.TABLE:
        assert f.label and f.extension and f.iri and f.iri.startswith(table.W3C)
        assert (f.results_format is None) != (f.rdf_format is None), f.name


def test_a_new_format_is_negotiated_in_process(with_nquads):
    assert negotiation.negotiate(negotiation.offers("graph"), "application/n-quads") is NQUADS
    assert negotiation.negotiate(negotiation.offers("graph"), None, "nquads") is NQUADS
    assert negotiation.negotiate(negotiation.offers("solutions"), "application/n-quads") is None
    assert negotiation.is_format("nquads")


def test_a_new_format_is_offered_by_erkg_query(with_nquads, build_dir):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(["query", CONSTRUCT, "--format", "nquads", "--dataset", str(build_dir / "erkg.nq")]) == 0
    quads = list(ox.parse(out.getvalue().encode(), format=ox.RdfFormat.N_QUADS))
    assert len(quads) == 5


def test_without_it_erkg_query_refuses_the_name(build_dir, capsys):
    with pytest.raises(SystemExit):
        cli.main(["query", CONSTRUCT, "--format", "nquads", "--dataset", str(build_dir / "erkg.nq")])
    assert "invalid choice: 'nquads'" in capsys.readouterr().err


@pytest.fixture(scope="module")
def served_with_nquads(build_dir, start_server, tmp_path_factory):
    site = tmp_path_factory.mktemp("site")
    (site / "sitecustomize.py").write_text(textwrap.dedent(REGISTER))
    return start_server(build_dir / "erkg.nq", env={"PYTHONPATH": str(site)}, query_workers=1)


def test_a_new_format_is_served_on_sparql(served_with_nquads):
    response = httpx.get(f"{served_with_nquads.url}/sparql", params={"query": CONSTRUCT},
                         headers={"Accept": "application/n-quads"}, timeout=30)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/n-quads")
    assert len(list(ox.parse(response.content, format=ox.RdfFormat.N_QUADS))) == 5
    by_name = httpx.get(f"{served_with_nquads.url}/sparql", params={"query": CONSTRUCT, "format": "nquads"},
                        timeout=30)
    assert by_name.status_code == 200 and by_name.headers["content-type"].startswith("application/n-quads")
    # Not for SELECT results: a 406 that lists it nowhere
    refused = httpx.get(f"{served_with_nquads.url}/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1"},
                        headers={"Accept": "application/n-quads"}, timeout=30)
    assert refused.status_code == 406 and "application/n-quads" not in refused.text.split("available:")[1]


def test_a_new_format_is_in_the_service_description(served_with_nquads):
    response = httpx.get(f"{served_with_nquads.url}/sparql", headers={"Accept": "text/turtle"}, timeout=30)
    g = rdflib.Graph().parse(data=response.text, format="turtle")
    formats = set(g.objects(None, SD.resultFormat))
    assert rdflib.URIRef(table.W3C + "N-Quads") in formats and len(formats) == 9


def test_a_new_format_is_offered_by_the_pages(served_with_nquads):
    base = served_with_nquads.url
    page = httpx.get(f"{base}/id/role/cmo", timeout=30)
    assert page.status_code == 200 and "?format=nquads" in page.headers["link"]
    assert 'href="?format=nquads"' in page.text and ">N-Quads<" in page.text
    rdf = httpx.get(f"{base}/id/role/cmo", headers={"Accept": "application/n-quads"}, timeout=30)
    assert rdf.status_code == 200 and rdf.headers["content-type"].startswith("application/n-quads")
    assert list(ox.parse(rdf.content, format=ox.RdfFormat.N_QUADS))
