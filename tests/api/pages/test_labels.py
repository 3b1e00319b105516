"""One label everywhere: for every role, concept, respondent group and fact, the REST API,
the heading of its page and the label columns of the named queries show its rdfs:label
in the graph, in German and in English."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import httpx
import pytest

from kg.namespaces import DEFAULT_BASE, Iris

from tests.conftest import ROOT
from tests.api.pages.test_pages import fetch_all

BASE = DEFAULT_BASE
LANGUAGES = ("de", "en")
# The REST lists whose items (and the references in them) carry labels.
LISTS = ("roles", "departments", "findings", "claims", "relations", "recommendations", "statements", "posts")
H1 = re.compile(r'<h1 lang="(de|en)">(.*?)</h1>', re.S)

# Every role, concept, respondent group and fact, with what it is.
SUBJECTS = """
SELECT DISTINCT ?s ?what WHERE {
  { ?s skos:inScheme scheme:roles BIND ("role" AS ?what) }
  UNION { ?s skos:inScheme ?scheme FILTER (?scheme != scheme:roles) BIND ("concept" AS ?what) }
  UNION { ?s a erkg:RespondentGroup BIND ("group" AS ?what) }
  UNION { ?s a ?fact BIND ("fact" AS ?what)
          VALUES ?fact { erkg:Finding erkg:ResponsibilityClaim erkg:RelationClaim erkg:Recommendation
                         erkg:Statement org:Post org:Membership } }
}
"""


def _select(store, query: str):
    return store.query(query, prefixes=Iris().prefixes(), use_default_graph_as_union=True)


@pytest.fixture(scope="module")
def labels(store) -> dict[str, dict[str, str]]:
    """IRI -> language -> rdfs:label, for everything in the graph that has one."""
    out: dict[str, dict[str, str]] = {}
    for row in _select(store, "SELECT ?s ?label WHERE { ?s rdfs:label ?label FILTER (isIRI(?s)) }"):
        assert row["label"].language not in out.setdefault(row["s"].value, {}), f"{row['s']}: two labels"
        out[row["s"].value][row["label"].language] = row["label"].value
    return out


@pytest.fixture(scope="module")
def subjects(store, labels) -> dict[str, str]:
    """IRI -> role, concept, group or fact; each with its label in both languages."""
    found = {row["s"].value: row["what"].value for row in _select(store, SUBJECTS)}
    source = (ROOT / "ontology" / "erkg.ttl").read_text(encoding="utf-8")
    concepts = len(re.findall(r"skos:inScheme scheme:", source))
    roles = source.count("skos:inScheme scheme:roles")
    groups = sum(p.read_text(encoding="utf-8").count("type: group") for p in (ROOT / "data" / "facts").glob("*.yaml"))
    counted = {what: sum(1 for w in found.values() if w == what) for what in ("role", "concept", "group")}
    assert counted == {"role": roles, "concept": concepts - roles, "group": groups} and groups > 0
    assert sum(1 for w in found.values() if w == "fact") > 250
    for iri in found:
        assert sorted(labels.get(iri, {})) == list(LANGUAGES), iri
    return found


@pytest.fixture(scope="module")
def api(server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{server.url}/api/v1", timeout=60) as client:
        yield client


def _labelled(value) -> Iterator[dict]:
    """Every object in a JSON answer that names a resource with its labels."""
    if isinstance(value, dict):
        if "iri" in value and "labels" in value:
            yield value
        for v in value.values():
            yield from _labelled(v)
    elif isinstance(value, list):
        for v in value:
            yield from _labelled(v)


def test_the_rest_api_shows_the_rdfs_label(api, labels, subjects):
    shown: dict[str, dict[str, str]] = {}
    for name in LISTS:
        page = api.get(f"/{name}", params={"limit": 500})
        assert page.status_code == 200, page.text
        assert page.json()["total"] <= 500, name
        for item in _labelled(page.json()["items"]):
            shown.setdefault(item["iri"], item["labels"])
            assert item["labels"] == shown[item["iri"]], item["iri"]
    for iri, texts in shown.items():
        assert texts == labels[iri], iri
    # Memberships have no resource of the API; modalities, qualifiers, relation and statement
    # kinds that no fact uses are referred to by none.
    missing = sorted(iri for iri, what in subjects.items() if iri not in shown
                     and what != "concept" and "/id/affiliation/" not in iri)
    assert missing == []
    assert sum(1 for iri in shown if subjects.get(iri) == "concept") > 30


def test_the_pages_heading_is_the_rdfs_label(server, subjects, labels):
    for lang in LANGUAGES:
        paths = {"/" + iri[len(BASE):] + f"?lang={lang}": iri for iri in subjects}
        pages = fetch_all(server, sorted(paths), {"Accept": "text/html"})
        for path, response in pages.items():
            assert response.status_code == 200, path
            headings = H1.findall(response.text)
            assert len(headings) == 1, path
            assert (headings[0][0], html.unescape(headings[0][1])) == (lang, labels[paths[path]][lang]), path


def _label_columns(columns: list[str]) -> Iterator[tuple[str, str, str]]:
    """(label column, language, column of the IRI it labels): `group_de` labels `group`;
    `label_de` the query's first column (its subject)."""
    for column in columns:
        base, _, lang = column.rpartition("_")
        if lang in LANGUAGES:
            of = columns[0] if base == "label" else base
            if of in columns:
                yield column, lang, of


def test_the_named_queries_show_the_rdfs_label(api, labels, subjects):
    compared: dict[str, int] = {}
    listing = api.get("/queries").json()["items"]
    assert len(listing) > 8
    for query in listing:
        answer = api.get(f"/queries/{query['name']}").json()
        for row in answer["rows"]:
            for column, lang, of in _label_columns(answer["columns"]):
                if row[column] is None or row[of] not in labels:
                    continue
                assert row[column] == labels[row[of]][lang], (query["name"], column, row[of])
                what = subjects.get(row[of], "other")
                compared[what] = compared.get(what, 0) + 1
    assert {"role", "concept", "group", "fact"} <= set(compared), compared
