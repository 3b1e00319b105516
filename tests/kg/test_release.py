"""`erkg release`: two releases of a copy of the project's sources, the second after
changes to the ontology; what the release writes, and the diff between them."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys

import httpx
import pyoxigraph as ox
import pytest

from kg.release import ReleaseError, release, releases
from tests.conftest import ROOT, repo_config

pytestmark = pytest.mark.build  # runs the builder (reasoner included) itself

ONTOLOGY = "https://w3id.org/erkg/ontology"
DATA, FULL = "https://w3id.org/erkg/data", "https://w3id.org/erkg/full"
PREFIXES = {"owl": "http://www.w3.org/2002/07/owl#", "dcterms": "http://purl.org/dc/terms/",
            "xsd": "http://www.w3.org/2001/XMLSchema#"}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A copy of the sources, released as 0.1.0."""
    root = tmp_path_factory.mktemp("project")
    for name in ("data", "ontology", "queries"):
        shutil.copytree(ROOT / name, root / name)
    (root / "CHANGELOG.md").write_text("# Changelog\n\n## Unreleased\n\nThe first release.\n\n", encoding="utf-8")
    return root


def config(root):
    return repo_config(data=root / "data", ontology=root / "ontology" / "erkg.ttl",
                       shapes=root / "ontology" / "shapes.ttl", queries=root / "queries", out=root / "build",
                       reason=False)  # the reasoner is the build's, tested there


@pytest.fixture(scope="module")
def two_releases(project):
    """0.1.0, then 0.2.0 after a class is added and a role's German label changed."""
    ontology = project / "ontology" / "erkg.ttl"
    _, first = release("0.1.0", config(project), project / "releases", project / "CHANGELOG.md", dt.date(2026, 12, 1))

    # 0.2.0: a class added, a role's German label changed
    text = ontology.read_text(encoding="utf-8")
    text = text.replace('"Chief Marketing Officer"@de', '"Marketingvorstand"@de')  # the role's labels
    text = text.replace("erkg:Checklist a owl:Class ;", 'erkg:Board a owl:Class ; rdfs:label "Vorstand"@de , '
                        '"board"@en ;\n    skos:definition "Das Leitungsgremium."@de , "The governing body."@en .\n'
                        "erkg:Checklist a owl:Class ;", 1)
    assert text != ontology.read_text(encoding="utf-8")
    ontology.write_text(text, encoding="utf-8")
    changelog = project / "CHANGELOG.md"
    changelog.write_text(changelog.read_text().replace("## Unreleased\n", "## Unreleased\n\nA board class.\n"))
    _, second = release("0.2.0", config(project), project / "releases", changelog, dt.date(2026, 12, 6))
    return first, second


def test_two_releases_and_what_changed_between_them(project, two_releases):
    first, second = two_releases
    changelog = project / "CHANGELOG.md"
    assert first.prior is None and first.removed == [] and first.changed == []
    assert len(first.added) > 1000 and first.triples_removed == []

    assert releases(project / "releases") == ["0.1.0", "0.2.0"]
    assert [(i.kind, i.label, i.iri) for i in second.added] == [("Classes", "board", ONTOLOGY + "#Board")]
    assert second.removed == []
    changed = {(i.kind, i.iri) for i in second.changed}
    assert ("Individuals", "https://w3id.org/erkg/id/role/cmo") in changed
    assert ("The ontology", ONTOLOGY) in changed  # its versions
    assert ("The ontology", DATA) in changed  # the data's header: its versions
    assert len(changed) == 3, changed

    header = ox.Store()
    header.load(path=project / "releases" / "0.2.0" / "ontology.ttl", format=ox.RdfFormat.TURTLE)
    assert header.query(f"ASK {{ <{ONTOLOGY}> <http://www.w3.org/2002/07/owl#versionInfo> \"0.2.0\" ; "
                        f"<http://www.w3.org/2002/07/owl#versionIRI> <{ONTOLOGY}/0.2.0> ; "
                        f"<http://www.w3.org/2002/07/owl#priorVersion> <{ONTOLOGY}/0.1.0> }}")

    # Each artifact an ontology of its own, versioned, with the prior release, licence, creator and dates
    for name, iri, fmt in (("ontology.owl", ONTOLOGY, ox.RdfFormat.RDF_XML), ("erkg-data.ttl", DATA, ox.RdfFormat.TURTLE),
                           ("erkg-data.owl", DATA, ox.RdfFormat.RDF_XML), ("erkg-full.owl", FULL, ox.RdfFormat.RDF_XML)):
        store = ox.Store()
        store.load(path=project / "releases" / "0.2.0" / name, format=fmt)
        headers = [r["o"].value for r in store.query("SELECT ?o WHERE { ?o a owl:Ontology }", prefixes=PREFIXES)]
        assert headers == [iri], (name, headers)
        assert store.query(f"""ASK {{ <{iri}> owl:versionIRI <{iri}/0.2.0> ; owl:versionInfo "0.2.0" ;
                                 owl:priorVersion <{iri}/0.1.0> ;
                                 dcterms:license <https://creativecommons.org/licenses/by/4.0/> ;
                                 dcterms:creator "The ERKG developers" ; dcterms:title ?de , ?en ;
                                 dcterms:created "2026-12-01"^^xsd:date ; dcterms:modified "2026-12-06"^^xsd:date .
                                 FILTER(LANG(?de) = "de" && LANG(?en) = "en") }}""", prefixes=PREFIXES), name
        imports = {r["i"].value for r in store.query(f"SELECT ?i WHERE {{ <{iri}> owl:imports ?i }}", prefixes=PREFIXES)}
        assert imports == ({ONTOLOGY + "/0.2.0"} if iri == DATA else set()), name
    first_data = ox.Store()
    first_data.load(path=project / "releases" / "0.1.0" / "erkg-data.ttl", format=ox.RdfFormat.TURTLE)
    assert not first_data.query(f"ASK {{ <{DATA}> owl:priorVersion ?p }}", prefixes=PREFIXES)  # the first has none

    # The RDF diff holds exactly the triples that changed, in a graph each
    delta = ox.Store()
    delta.load(path=project / "releases" / "0.2.0" / "changes.trig", format=ox.RdfFormat.TRIG)
    graphs = {g.value.rsplit("/", 1)[1]: len(list(delta.quads_for_pattern(None, None, None, g)))
              for g in delta.named_graphs()}
    assert graphs == {"added": len(second.triples_added), "removed": len(second.triples_removed)}
    removed_label = delta.query("ASK { GRAPH ?g { role:cmo ?label \"Chief Marketing Officer\"@de } "
                                "FILTER(STRENDS(STR(?g), \"/removed\")) }",
                                prefixes={"role": "https://w3id.org/erkg/id/role/",
                                          "rdfs": "http://www.w3.org/2000/01/rdf-schema#"})
    assert removed_label

    markdown = (project / "releases" / "0.2.0" / "changes.md").read_text()
    assert markdown.startswith("## 0.2.0 – 2026-12-06\n\nA board class.\n")
    assert "- board <https://w3id.org/erkg/ontology#Board>" in markdown
    log = changelog.read_text()
    assert log.index("## Unreleased") < log.index("## 0.2.0") < log.index("## 0.1.0")
    assert "A board class." not in log.split("## 0.2.0")[0]  # the notes moved into the release


def test_the_server_serves_each_release_of_the_ontology(project, two_releases, start_server):
    """/ontology/VERSION: that release's ontology from releases/VERSION/, in every format
    /ontology offers, its page showing the version; an unknown version is a 404 naming the
    releases."""
    server = start_server(project / "build" / "erkg.nq", env={"ERKG_RELEASES": str(project / "releases")})
    turtle = {"Accept": "text/turtle"}
    for version, label in (("0.1.0", '"Chief Marketing Officer"@de'), ("0.2.0", '"Marketingvorstand"@de')):
        answer = httpx.get(f"{server.url}/ontology/{version}", headers=turtle)
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/turtle")
        graph = ox.Store()
        graph.load(answer.content, format=ox.RdfFormat.TURTLE)
        assert graph.query(f'ASK {{ <{ONTOLOGY}> owl:versionInfo "{version}" }}', prefixes=PREFIXES), version
        assert label in answer.text, version
        xml = httpx.get(f"{server.url}/ontology/{version}", headers={"Accept": "application/rdf+xml"})
        assert xml.status_code == 200 and xml.headers["content-type"].startswith("application/rdf+xml")
        page = httpx.get(f"{server.url}/ontology/{version}", headers={"Accept": "text/html"})
        assert page.status_code == 200 and f'<p class="version">Version {version}</p>' in page.text, version
    missing = httpx.get(f"{server.url}/ontology/9.9.9", headers=turtle)
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("application/problem+json")
    assert missing.json()["detail"] == f"{ONTOLOGY}/9.9.9 is no version of the ontology; released: 0.1.0, 0.2.0"


def test_a_release_refuses_an_old_or_bad_version_and_changes_nothing(project):
    ontology = project / "ontology" / "erkg.ttl"
    before = ontology.read_bytes()
    for version, message in (("0.1.0", "released already"), ("0.0.9", "not after the latest release"),
                             ("1.0", "not a version")):
        if version == "0.1.0" and "0.1.0" not in releases(project / "releases"):
            release("0.1.0", config(project), project / "releases", project / "CHANGELOG.md")
            before = ontology.read_bytes()
        with pytest.raises(ReleaseError, match=message):
            release(version, config(project), project / "releases", project / "CHANGELOG.md")
        assert ontology.read_bytes() == before


def test_the_command_line(project, tmp_path):
    result = subprocess.run([sys.executable, "-m", "api.cli", "release", "banana", "--releases",
                             str(tmp_path)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1
    assert result.stderr.strip() == ("erkg release: error: 'banana' is not a version: give MAJOR.MINOR.PATCH, "
                                     "e.g. 0.2.0")
