"""HermiT refuses wrong facts, and says which curated item is wrong.

Two kinds of mistake: a person where an organization must be, and two different
shares on one finding. A curator who writes either in a facts file is stopped
by an earlier check (the curation's references, the YAML reader), and these
tests show that too. To show that the reasoner refuses them by itself, the wrong
triple is put into the built graph after every earlier check has passed
(kg.build.curate), and only the reasoner stage (kg.build.reason) is run.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal

from kg import namespaces as ns
from kg.build import Curated, build, curate, reason
from kg.errors import CurationError
from kg.output import dataset_of, sorted_quads, write_all
from kg.validate import InconsistencyError

from tests.conftest import ROOT, repo_config

pytestmark = pytest.mark.build  # runs the builder (reasoner included) itself

POST_DOC = "netbiscuits-interview"
FINDING_DOC = "cmo-cio-divide"


def refused_by_the_reasoner(tmp_path: Path, curated: Curated) -> InconsistencyError:
    quads = sorted_quads(dataset_of(curated.ontology, curated.data, curated.iris))
    write_all(tmp_path, quads, curated.iris)
    with pytest.raises(InconsistencyError) as err:
        reason(tmp_path / "erkg-full.owl", curated)
    return err.value


def first_post(curated: Curated) -> tuple[str, str]:
    """The first post of POST_DOC's facts file (its item name, its IRI)."""
    doc = next(d for d in curated.documents if d.id == POST_DOC)
    post = doc.facts.posts[0]
    return f"posts[0] {post.id!r}", str(curated.iris.thing("post", POST_DOC, post.id))


def test_the_reasoner_refuses_a_person_as_the_organization_of_a_post(tmp_path):
    curated = curate(repo_config())
    item, post = first_post(curated)
    person = next(t for t in curated.builder.index.global_.values() if t.kind == "person")
    graph = curated.data.graph(curated.iris.graph(POST_DOC))
    subject = next(s for s in graph.subjects(ns.ORG.postIn, None) if str(s) == post)
    graph.set((subject, ns.ORG.postIn, person.iri))  # its organization replaced by a person

    err = refused_by_the_reasoner(tmp_path, curated)
    message = str(err)
    assert f"data/facts/{POST_DOC}.yaml: {item}" in message
    assert f"{person.defined_in}: {person.item}" in message
    assert "org:postIn" in message and "org:Organization" in message and "foaf:Person" in message
    assert {str(p.file) for p in err.problems} >= {str(ROOT / "data" / "facts" / f"{POST_DOC}.yaml")}


def test_the_reasoner_refuses_two_shares_on_one_finding(tmp_path):
    curated = curate(repo_config())
    doc = next(d for d in curated.documents if d.id == FINDING_DOC)
    i, finding = next((i, f) for i, f in enumerate(doc.facts.findings) if f.share is not None)
    node = curated.iris.thing("finding", FINDING_DOC, finding.id)
    other = (Decimal(str(finding.share)) / 100 + Decimal("0.01")).normalize()
    curated.data.graph(curated.iris.graph(FINDING_DOC)).add((node, curated.iris.erkg.share,
                                                             Literal(f"{other:f}", datatype=ns.XSD.decimal)))

    err = refused_by_the_reasoner(tmp_path, curated)
    message = str(err)
    assert f"data/facts/{FINDING_DOC}.yaml: findings[{i}] {finding.id!r}" in message
    assert "erkg:share" in message and "Functional" in message
    assert [p.item for p in err.problems] == [f"findings[{i}] {finding.id!r}"]


# ---------------------------------------------------------------- as a curator meets them


@pytest.fixture
def workspace(tmp_path) -> Path:
    for name in ("data", "ontology", "queries"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


def ws_config(ws: Path):
    return repo_config(data=ws / "data", ontology=ws / "ontology" / "erkg.ttl", shapes=ws / "ontology" / "shapes.ttl",
                       queries=ws / "queries", out=ws / "build")


def test_a_curated_person_as_organization_is_refused_naming_file_and_item(workspace):
    path = workspace / "data" / "facts" / f"{POST_DOC}.yaml"
    curated = curate(ws_config(workspace))
    item, _ = first_post(curated)
    post = next(d for d in curated.documents if d.id == POST_DOC).facts.posts[0]
    person = next(slug for slug, t in curated.builder.index.global_.items() if t.kind == "person")
    text = path.read_text(encoding="utf-8")
    assert f"organization: {post.organization}\n" in text
    path.write_text(text.replace(f"organization: {post.organization}\n", f"organization: {person}\n", 1), encoding="utf-8")
    with pytest.raises(CurationError) as err:
        build(ws_config(workspace))
    message = str(err.value)
    assert f"{path}: {item}" in message and f"{person!r} is a person" in message and "not a organization" in message


def test_a_second_share_in_a_finding_is_refused_naming_file_and_line(workspace):
    path = workspace / "data" / "facts" / f"{FINDING_DOC}.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    n = next(i for i, line in enumerate(lines) if line.strip().startswith("share:"))
    lines.insert(n + 1, lines[n].replace(lines[n].split(":")[1].strip(), "99"))
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(CurationError) as err:
        build(ws_config(workspace))
    message = str(err.value)
    assert str(path) in message and "found the key 'share' twice" in message and f"line {n + 2}" in message
