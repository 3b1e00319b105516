"""The OWL API — the library Protégé uses — loads ERKG as OWL 2 DL.

rdflib and the Python checks read RDF, not OWL: they do not notice an RDF graph
that Protégé would map to OWL only partly (unparsed triples, guessed
declarations) or that falls outside OWL 2 DL (illegal punning, undeclared
terms, datatypes outside the OWL 2 datatype map). tests/kg/owlapi/OwlCheck.java
loads a file with the OWL API and reports that as JSON; it is compiled once per
session against Debian's libowlapi-java (5.1.20) and its dependency jars.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest

pytestmark = pytest.mark.build  # runs the OWL API (Java) itself

REPO = Path(__file__).resolve().parents[2]
ONTOLOGY_TTL = REPO / "ontology" / "erkg.ttl"
CHECKER = Path(__file__).parent / "owlapi" / "OwlCheck.java"
ONTOLOGY_IRI = "https://w3id.org/erkg/ontology"  # of the source file; a build may use another --base

# Jars OwlCheck needs, found by trial against libowlapi-java 5.1.20 (the
# distribution jar has no Class-Path): the OWL API itself, then what its
# manager, RDF/XML and Turtle parsers and profile checker load.
JAR_DIR = Path(os.environ.get("ERKG_OWLAPI_JAR_DIR", "/usr/share/java"))
JARS = (
    "owlapi-distribution",  # libowlapi-java
    "guava",  # libguava-java
    "caffeine",  # libcaffeine-java
    "hppcrt",  # libhppcrt-java
    "atinject-jsr330-api",  # libatinject-jsr330-api-java (javax.inject)
    "commons-rdf-api",  # libcommons-rdf-java
    "commons-io",  # libcommons-io-java
    "xz",  # libxz-java
    "rdf4j-model-api", "rdf4j-model", "rdf4j-util", "rdf4j-rio-api",  # librdf4j-java
    "slf4j-api", "slf4j-simple",  # libslf4j-java; slf4j-simple logs the OWL API's warnings to stderr
)
INSTALL_HINT = "apt-get install default-jdk-headless libowlapi-java libslf4j-java"


@pytest.fixture(scope="session")
def owlcheck(tmp_path_factory) -> str:
    """Compile OwlCheck.java; the classpath to run it with.

    Fails rather than skips when Java or the jars are missing: CI installs them,
    so their absence there is a broken setup, not an optional check.
    """
    javac, java = shutil.which("javac"), shutil.which("java")
    if not (javac and java):
        pytest.fail(f"the OWL API check needs a JDK (javac and java on PATH): {INSTALL_HINT}")
    missing = [f"{JAR_DIR / j}.jar" for j in JARS if not (JAR_DIR / f"{j}.jar").is_file()]
    if missing:
        pytest.fail(f"the OWL API check needs these jars (set ERKG_OWLAPI_JAR_DIR if they are elsewhere): "
                    f"{', '.join(missing)}; {INSTALL_HINT}")
    classes = tmp_path_factory.mktemp("owlcheck")
    classpath = os.pathsep.join([str(classes)] + [f"{JAR_DIR / j}.jar" for j in JARS])
    compiled = subprocess.run([javac, "-d", str(classes), "-cp", classpath, str(CHECKER)],
                              capture_output=True, text=True)
    if compiled.returncode != 0:
        pytest.fail(f"javac {CHECKER.name} failed:\n{compiled.stdout}{compiled.stderr}")
    return classpath


def run_owlcheck(classpath: str, path: Path, catalog: Path | None = None) -> dict:
    """OwlCheck's JSON report on path (its stderr, the OWL API's warnings, under "stderr")."""
    cmd = [shutil.which("java") or "java", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", classpath,
           "OwlCheck"]
    if catalog is not None:
        cmd += ["--catalog", str(catalog)]
    done = subprocess.run(cmd + [str(path)], capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        pytest.fail(f"the OWL API could not load {path} (exit {done.returncode}):\n{done.stderr}")
    report = json.loads(done.stdout)
    report["stderr"] = done.stderr
    return report


def catalog_entries(catalog: Path) -> dict[str, str]:
    """Ontology IRI -> document, as the Protégé catalog maps them."""
    ns = "{urn:oasis:names:tc:entity:xmlns:xml:catalog}"
    return {e.get("name"): e.get("uri") for e in ElementTree.parse(catalog).getroot().iter(f"{ns}uri")}


def assert_owl2_dl(report: dict) -> None:
    """Loaded completely, every import resolved, inside the OWL 2 DL profile."""
    where = report["file"]
    log = f"\nOWL API log:\n{report['stderr']}" if report["stderr"].strip() else ""
    assert report["missing_imports"] == [], f"{where}: imports not resolved: {report['missing_imports']}{log}"
    assert report["unparsed_triples"] == 0, \
        f"{where}: {report['unparsed_triples']} triples the OWL API could not map to axioms{log}"
    assert report["guessed_declarations"] == 0, \
        f"{where}: {report['guessed_declarations']} entities had to be guessed (untyped terms){log}"
    violations = report["dl_violations"]
    assert violations == [], (f"{where}: {len(violations)} OWL 2 DL profile violations:\n  "
                              + "\n  ".join(violations) + log)


def assert_labelled(report: dict) -> None:
    """Every entity has an rdfs:label in German and in English, so Protégé (whose default
    renderer shows rdfs:label) names none of them by its IRI."""
    unlabelled = report["unlabelled"]
    assert unlabelled == [], (f"{report['file']}: {len(unlabelled)} entities without an rdfs:label in both "
                              f"languages:\n  " + "\n  ".join(unlabelled[:20]))


def test_source_ontology_is_owl2_dl(owlcheck):
    report = run_owlcheck(owlcheck, ONTOLOGY_TTL)
    assert report["format"] == "Turtle Syntax"
    assert report["ontology_iri"] == ONTOLOGY_IRI
    assert report["logical_axioms"] > 0
    assert_owl2_dl(report)
    assert_labelled(report)


def test_built_ontology_is_owl2_dl(owlcheck, build_dir):
    report = run_owlcheck(owlcheck, build_dir / "ontology.owl")
    assert report["format"] == "RDF/XML Syntax"
    assert report["ontology_iri"] == ONTOLOGY_IRI
    assert report["imports"] == []
    assert_owl2_dl(report)
    assert_labelled(report)


def test_built_data_imports_ontology_through_catalog(owlcheck, build_dir):
    catalog = build_dir / "catalog-v001.xml"
    # The catalog resolves the ontology's IRI and its version IRI, which the data imports.
    names = sorted(iri for iri, doc in catalog_entries(catalog).items() if doc == "ontology.owl")
    assert names[0] == ONTOLOGY_IRI and len(names) == 2 and names[1].startswith(ONTOLOGY_IRI + "/"), names
    report = run_owlcheck(owlcheck, build_dir / "erkg-data.owl", catalog=catalog)
    assert report["format"] == "RDF/XML Syntax"
    assert report["ontology_iri"] == "https://w3id.org/erkg/data"
    # OwlCheck never goes to the network, so a resolved import came from the catalog.
    assert report["imports"] == [ONTOLOGY_IRI], f"import of {names[1]} not loaded: {report}"
    assert report["logical_axioms"] > 0
    assert_owl2_dl(report)
    assert_labelled(report)


def test_built_full_file_is_owl2_dl(owlcheck, build_dir):
    report = run_owlcheck(owlcheck, build_dir / "erkg-full.owl")
    assert report["format"] == "RDF/XML Syntax"
    assert report["ontology_iri"] == "https://w3id.org/erkg/full"
    assert report["imports"] == []
    assert_owl2_dl(report)
    assert_labelled(report)


# The checker itself: it must be able to fail.

def test_checker_reports_dl_violations(owlcheck, tmp_path):
    bad = tmp_path / "punned.ttl"
    bad.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix : <http://example.org/punned#> .\n"
        "<http://example.org/punned> a owl:Ontology .\n"
        ":p a owl:ObjectProperty , owl:DatatypeProperty .  # one IRI, two property kinds: not OWL 2 DL\n"
        ':x :p :y ; :p "literal" .\n',
        encoding="utf-8")
    report = run_owlcheck(owlcheck, bad)
    assert report["ontology_iri"] == "http://example.org/punned"
    assert any(v.startswith("IllegalPunning:") for v in report["dl_violations"]), report


def test_checker_reports_entities_without_labels_in_both_languages(owlcheck, tmp_path):
    file = tmp_path / "labels.ttl"
    file.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "@prefix : <http://example.org/labels#> .\n"
        "<http://example.org/labels> a owl:Ontology .\n"
        "skos:prefLabel a owl:AnnotationProperty ; rdfs:label \"bevorzugte Bezeichnung\"@de , \"preferred label\"@en .\n"
        ':Both a owl:Class ; rdfs:label "beide"@de , "both"@en .\n'
        ':English a owl:Class ; rdfs:label "English only"@en .\n'
        ':Plain a owl:Class ; rdfs:label "no language" .\n'
        ':date a owl:AnnotationProperty ; rdfs:label "Datum"@de , "date"@en .\n'
        ':Both :date "2024-05-01"^^<http://www.w3.org/2001/XMLSchema#date> .  # W3C\'s datatype: not ours to label\n'
        ':skos a owl:NamedIndividual , :Both ; skos:prefLabel "nur SKOS"@de , "SKOS only"@en .\n',
        encoding="utf-8")
    report = run_owlcheck(owlcheck, file)
    assert report["unlabelled"] == ["http://example.org/labels#English lacks de",
                                    "http://example.org/labels#Plain lacks de, en",
                                    "http://example.org/labels#skos lacks de, en"], report


def test_checker_reports_missing_import(owlcheck, tmp_path):
    catalog = tmp_path / "catalog-v001.xml"
    catalog.write_text(
        '<catalog prefer="public" xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">'
        f'<uri name="{ONTOLOGY_IRI}" uri="ontology.owl"/></catalog>\n', encoding="utf-8")
    importing = tmp_path / "importing.ttl"
    importing.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "<http://example.org/importing> a owl:Ontology ;\n"
        "    owl:imports <http://example.invalid/not-in-any-catalog> .\n",
        encoding="utf-8")
    report = run_owlcheck(owlcheck, importing, catalog=catalog)
    assert report["missing_imports"] == ["http://example.invalid/not-in-any-catalog"], report
    assert report["imports"] == []
