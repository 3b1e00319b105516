"""Downloads of the built dataset over HTTP (/download/{file}), as VoID lists them: the same
bytes as build/, with an ETag, compressed for a client that accepts gzip, and in ranges."""

from __future__ import annotations

import gzip

import httpx
import pytest
from pyoxigraph import NamedNode, RdfFormat, parse

from kg.output import FILES

VOID = "http://rdfs.org/ns/void#"
DCTERMS = "http://purl.org/dc/terms/"


@pytest.fixture(scope="module")
def described(server) -> dict[str, list]:
    """Predicate -> objects of the service description's dataset."""
    body = httpx.get(f"{server.url}/sparql", headers={"Accept": "text/turtle"}).content
    triples = list(parse(body, format=RdfFormat.TURTLE))
    dataset = next(t.subject for t in triples if t.predicate == NamedNode(VOID + "sparqlEndpoint"))
    out: dict[str, list] = {}
    for t in triples:
        if t.subject == dataset:
            out.setdefault(t.predicate.value, []).append(t.object)
    return out


def test_void_lists_every_rdf_file_of_the_build_with_licence_date_and_version(server, build_dir, described):
    dumps = sorted(d.value for d in described[VOID + "dataDump"])
    rdf = [n for n in FILES if n.rsplit(".", 1)[1] in ("trig", "nq", "jsonld", "ttl", "owl")]
    assert len(rdf) == 8
    assert dumps == sorted(f"{server.url}/download/{name}" for name in rdf)
    assert [lic.value for lic in described[DCTERMS + "license"]] == ["https://creativecommons.org/licenses/by/4.0/"]
    assert described[DCTERMS + "modified"][0].datatype.value.endswith("#dateTime")
    assert described["http://www.w3.org/2002/07/owl#versionInfo"][0].value == "0.1.0"


def test_each_download_is_the_built_file_byte_for_byte(server, build_dir, described):
    for dump in described[VOID + "dataDump"]:
        name = dump.value.rsplit("/", 1)[1]
        plain = httpx.get(dump.value, headers={"Accept-Encoding": "identity"})
        assert plain.status_code == 200 and "content-encoding" not in plain.headers
        assert plain.content == (build_dir / name).read_bytes(), name
        assert plain.headers["accept-ranges"] == "bytes"
        assert f'filename="{name}"' in plain.headers["content-disposition"]
        zipped = httpx.get(dump.value, headers={"Accept-Encoding": "gzip"})
        assert zipped.headers["content-encoding"] == "gzip"
        assert zipped.content == plain.content  # httpx decoded it
        assert zipped.headers["etag"] != plain.headers["etag"]  # another representation, another tag
    nquads = httpx.get(f"{server.url}/download/erkg.nq", headers={"Accept-Encoding": "gzip"})
    assert nquads.headers["content-type"] == "application/n-quads"


def test_a_held_download_is_304_and_a_range_is_206(server, build_dir):
    url = f"{server.url}/download/erkg.trig"
    whole = (build_dir / "erkg.trig").read_bytes()
    first = httpx.get(url, headers={"Accept-Encoding": "gzip"})
    again = httpx.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    part = httpx.get(url, headers={"Range": "bytes=100-199", "Accept-Encoding": "gzip"})
    assert part.status_code == 206 and "content-encoding" not in part.headers
    assert part.content == whole[100:200]
    identity_tag = httpx.head(url, headers={"Accept-Encoding": "identity"}).headers["etag"]
    still = httpx.get(url, headers={"Range": "bytes=100-199", "If-Range": identity_tag})
    assert still.status_code == 206
    changed = httpx.get(url, headers={"Range": "bytes=100-199", "If-Range": '"another-version"',
                                      "Accept-Encoding": "identity"})
    assert changed.status_code == 200 and changed.content == whole


@pytest.mark.parametrize("name", ["summary.json", "stores", "erkg.nq.", "..%2Ferkg.nq", "%2Fetc%2Fpasswd"])
def test_only_the_build_files_are_offered(server, name):
    response = httpx.get(f"{server.url}/download/{name}")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    if "%2F" not in name:  # a name with a slash matches no route at all
        assert "erkg.nq" in response.json()["detail"]  # it names what is offered
