"""Linked Data pages over plain HTTP, against a real `erkg serve` of the ds graph.

Every IRI of the graph dereferences: HTML for browsers, its concise bounded
description as Turtle (checked triple by triple against the build), JSON-LD,
RDF/XML and N-Triples; the ontology and each named graph as themselves. The
source view highlights exactly the quoted characters; the findings chart has a
bar per share; the ontology page documents every term in both languages.
"""

from __future__ import annotations

import html
import re
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from kg.namespaces import DEFAULT_BASE

ROOT = Path(__file__).resolve().parents[3]
BASE = DEFAULT_BASE
ERKG = BASE + "ontology#"
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
TURTLE = {"Accept": "text/turtle"}
RDF_FORMATS = {  # Accept -> rdflib parser
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/n-triples": "nt",
}
MARK = re.compile(r'<mark id="quote">(.*?)</mark>', re.S)

# rdflib's JSON-LD parser uses its own deprecated ConjunctiveGraph.
pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


# ---------------------------------------------------------------- the ds graph


class Built:
    """The build's quads, indexed for the checks."""

    def __init__(self, path: Path) -> None:
        self.quads = list(ox.parse(path=path, format=ox.RdfFormat.N_QUADS))
        self.by_subject: dict[str, set[ox.Triple]] = defaultdict(set)
        self.by_graph: dict[str, set[ox.Triple]] = defaultdict(set)
        for q in self.quads:
            t = q.triple
            if isinstance(q.subject, ox.NamedNode):
                self.by_subject[q.subject.value].add(t)
            self.by_graph[q.graph_name.value].add(t)

        self.iris = {t.value for q in self.quads for t in (q.subject, q.object, q.graph_name)
                     if isinstance(t, ox.NamedNode) and t.value.startswith(BASE)}

    def ours(self) -> list[str]:
        """Every subject IRI under the base."""
        return sorted(s for s in self.by_subject if s.startswith(BASE))

    def resources(self) -> dict[str, list[str]]:
        """Dereferenceable resource (no fragment) -> the subject IRIs it describes."""
        out: dict[str, list[str]] = defaultdict(list)
        for s in self.ours():
            out[s.split("#", 1)[0]].append(s)
        return out

    def everything(self) -> list[str]:
        """Every IRI under the base the dataset mentions anywhere (subject, object,
        graph name), fragments dropped: what must dereference here."""
        return sorted({i.split("#", 1)[0] for i in self.iris})

    def description(self, resource: str) -> set[ox.Triple]:
        """What the RDF answer for `resource` must be: the ontology graph for the
        ontology (and its version IRI), a named graph for its name, else the
        concise bounded description (its triples and its fragments' triples)."""
        if kind_of(resource) == "ontology":
            return self.by_graph[BASE + "ontology"]
        if resource in self.by_graph:
            return self.by_graph[resource]
        return {t for s in self.resources().get(resource, ()) for t in self.by_subject[s]}

    def objects(self, s: str, p: str) -> list[ox.Term]:
        return [t.object for t in self.by_subject.get(s, ()) if t.predicate.value == p]

    def of_type(self, cls: str) -> list[str]:
        return sorted(s for s, ts in self.by_subject.items()
                      if any(t.predicate.value == str(rdflib.RDF.type) and t.object.value == cls for t in ts))


@pytest.fixture(scope="module")
def ds(build_dir) -> Built:
    return Built(build_dir / "erkg.nq")


def path_of(iri: str) -> str:
    assert iri.startswith(BASE), iri
    return "/" + iri[len(BASE):]


def kind_of(iri: str) -> str:
    rest = iri[len(BASE):]
    return rest.split("/", 2)[1] if rest.startswith("id/") else rest.split("/", 1)[0].split("#")[0]


def as_stored(triples) -> list[ox.Triple]:
    """The triples as Oxigraph's store gives them back. It keeps literal values,
    not always their spelling: a type derived from xsd:integer comes back as
    xsd:integer (oxigraph/oxigraph#1413), a decimal in canonical form ("0.0" as
    "0"). Every answer of the service, SPARQL included, has this; the build's
    files keep what was written."""
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return [q.triple for q in store]


def to_rdflib(triples) -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(data=ox.serialize(as_stored(triples), format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")
    return g


def parse(response: httpx.Response, fmt: str) -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(data=response.content, format=fmt, publicID=str(response.url))
    return g


@pytest.fixture(scope="module")
def client(app) -> httpx.Client:
    return app


def fetch_all(server, paths: list[str], headers: dict[str, str]) -> dict[str, httpx.Response]:
    """GET every path, 8 at a time over one connection pool."""
    limits = httpx.Limits(max_connections=8, max_keepalive_connections=8)
    with httpx.Client(base_url=server.url, headers=headers, timeout=60, limits=limits) as c, \
            ThreadPoolExecutor(max_workers=8) as pool:
        return dict(pool.map(lambda path: (path, c.get(path)), paths))


# ---------------------------------------------------------------- every IRI, as RDF and as HTML


def test_every_iri_of_the_graph_answers_its_description_as_turtle(server, ds):
    iris = ds.everything()
    paths = {path_of(r): r for r in iris}
    assert len(paths) > 1000
    kinds = {kind_of(r) for r in iris}
    assert {"role", "document", "finding", "claim", "post", "quote", "sentence", "person", "organization",
            "department", "responsibility", "group", "study", "scheme", "qualifier", "ontology", "graph"} <= kinds
    started = time.monotonic()
    answers = fetch_all(server, sorted(paths), TURTLE)
    elapsed = time.monotonic() - started
    failures = []
    for path, response in answers.items():
        if response.status_code != 200 or not response.headers["content-type"].startswith("text/turtle"):
            failures.append(f"{path}: {response.status_code} {response.headers.get('content-type')}")
            continue
        got = parse(response, "turtle")
        expected = to_rdflib(ds.description(paths[path]))
        if not isomorphic(got, expected):
            failures.append(f"{path}: {len(set(expected) - set(got))} triples missing, "
                            f"{len(set(got) - set(expected))} extra")
    assert not failures, "\n".join(failures[:20])
    print(f"\n{len(answers)} Turtle answers in {elapsed:.1f} s")


def test_every_iri_of_the_graph_answers_an_html_page(server, ds):
    iris = ds.everything()
    paths = {path_of(r): r for r in iris}
    started = time.monotonic()
    answers = fetch_all(server, sorted(paths), BROWSER)
    elapsed = time.monotonic() - started
    failures = []
    for path, response in answers.items():
        resource = paths[path]
        if response.status_code != 200 or not response.headers["content-type"].startswith("text/html"):
            failures.append(f"{path}: {response.status_code} {response.headers.get('content-type')}")
            continue
        page = response.text
        if "<h1" not in page or "Content-Security-Policy" not in response.headers:
            failures.append(f"{path}: no heading or no CSP")
        if kind_of(resource) != "ontology" and html.escape(resource, quote=True) not in page:
            failures.append(f"{path}: the page does not name its IRI")
        derived = ds.objects(resource, "http://www.w3.org/ns/prov#wasDerivedFrom")
        if derived and ("<mark>" not in page or "?start=" not in page):
            failures.append(f"{path}: rests on a quotation, but shows no highlighted provenance")
    assert not failures, "\n".join(failures[:20])
    print(f"\n{len(answers)} HTML pages in {elapsed:.1f} s")


@pytest.fixture(scope="module")
def sample(ds) -> list[str]:
    """One resource of every kind, and every role and document."""
    first: dict[str, str] = {}
    for r in ds.resources():
        first.setdefault(kind_of(r), r)
    roles = [r for r in ds.resources() if kind_of(r) in ("role", "document")]
    return sorted({*first.values(), *roles})


@pytest.mark.min_cases(4)
@pytest.mark.parametrize("media_type", list(RDF_FORMATS))
def test_every_rdf_format_parses_to_the_same_description(server, sample, media_type):
    answers = fetch_all(server, [path_of(r) for r in sample], {"Accept": media_type})
    turtle = fetch_all(server, [path_of(r) for r in sample], TURTLE)
    for path, response in answers.items():
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith(media_type), path
        assert isomorphic(parse(response, RDF_FORMATS[media_type]), parse(turtle[path], "turtle")), path


def test_a_fragment_iri_is_described_within_its_document_resource(client, ds):
    quote = next(r for r in ds.resources() if kind_of(r) == "quote")
    g = parse(client.get(path_of(quote), headers=TURTLE), "turtle")
    for fragment in ("#quote", "#position"):
        subject = rdflib.URIRef(quote + fragment)
        assert (subject, rdflib.RDF.type, None) in g
    page = client.get(path_of(quote), headers=BROWSER).text
    assert 'id="quote"' in page and 'id="position"' in page


def test_the_format_parameter_wins_and_browsers_get_html(client):
    assert client.get("/id/role/cmo", params={"format": "turtle"}, headers=BROWSER).headers[
        "content-type"].startswith("text/turtle")
    assert client.get("/id/role/cmo", params={"format": "application/ld+json"}).headers[
        "content-type"].startswith("application/ld+json")
    assert client.get("/id/role/cmo", headers=BROWSER).headers["content-type"].startswith("text/html")
    assert client.get("/id/role/cmo", headers={"Accept": "*/*"}).headers["content-type"].startswith("text/html")
    assert client.get("/id/role/cmo", headers={"Accept": "application/json"}).headers[
        "content-type"].startswith("application/ld+json")
    assert client.get("/id/role/cmo", headers={"Accept": "text/turtle;q=0.5, application/rdf+xml"}).headers[
        "content-type"].startswith("application/rdf+xml")
    head = client.head("/id/role/cmo", headers=TURTLE)
    assert head.status_code == 200 and head.content == b""
    vary = client.get("/id/role/cmo").headers["vary"]
    assert "Accept" in vary and "Accept-Language" in vary


def test_an_unknown_iri_is_a_404_problem(client):
    for path in ("/id/role/no-such-role", "/id/nothing", "/graph/no-such-document", "/ontology/9.9.9"):
        response = client.get(path, headers=TURTLE)
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("application/problem+json"), path
        problem = response.json()
        assert problem["status"] == 404 and problem["instance"] == path
    for path in ("/graph/a%0Cb", "/graph/a%20b", "/graph/%3Cx%3E"):  # names that cannot be in an IRI
        for headers in (TURTLE, BROWSER):
            assert client.get(path, headers=headers).status_code == 404, (path, headers)
    browser = client.get("/id/role/no-such-role", headers=BROWSER)
    assert browser.status_code == 404 and browser.headers["content-type"].startswith("text/html")
    assert "no-such-role" in browser.text


def test_an_unacceptable_format_is_a_406_problem(client):
    for path in ("/id/role/cmo", "/ontology", "/graph/netbiscuits-interview", "/findings"):
        response = client.get(path, headers={"Accept": "image/png"})
        assert response.status_code == 406, path
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["status"] == 406
    assert client.get("/id/role/cmo", params={"format": "pdf"}).status_code == 406


def test_answers_carry_an_etag_and_revalidate(client):
    first = client.get("/id/role/cmo", headers=BROWSER)
    etag = first.headers["etag"]
    again = client.get("/id/role/cmo", headers={**BROWSER, "If-None-Match": etag})
    assert again.status_code == 304
    assert client.get("/id/role/cmo", headers={**BROWSER, "If-None-Match": etag, "Accept-Language": "de"}) \
        .status_code == 200  # another language is another answer
    turtle = client.get("/id/role/cmo", headers=TURTLE)
    assert turtle.headers["etag"] != etag


# ---------------------------------------------------------------- the ontology and the named graphs


def test_the_ontology_iri_serves_the_ontology_graph(client, ds):
    expected = to_rdflib(ds.by_graph[BASE + "ontology"])
    for media_type in ("text/turtle", "application/rdf+xml"):
        response = client.get("/ontology", headers={"Accept": media_type})
        assert response.status_code == 200
        assert isomorphic(parse(response, RDF_FORMATS[media_type]), expected), media_type
    version = next(o.value for o in ds.objects(BASE + "ontology", "http://www.w3.org/2002/07/owl#versionIRI"))
    assert isomorphic(parse(client.get(path_of(version), headers=TURTLE), "turtle"), expected)


def test_external_terms_declared_by_the_ontology_are_described_there(client, ds):
    external = [s for s in ds.by_subject if not s.startswith(BASE)]
    assert external
    g = parse(client.get("/ontology", headers=TURTLE), "turtle")
    for s in external:
        assert (rdflib.URIRef(s), rdflib.RDF.type, None) in g, s


def test_a_named_graph_serves_its_triples(client, ds):
    for name in ("netbiscuits-interview", "cmo-cio-divide"):
        graph = BASE + "graph/" + name
        response = client.get(f"/graph/{name}", headers=TURTLE)
        assert response.status_code == 200
        assert isomorphic(parse(response, "turtle"), to_rdflib(ds.by_graph[graph]))
        page = client.get(f"/graph/{name}", headers=BROWSER)
        assert page.status_code == 200 and graph in page.text
        assert f'href="../id/document/{name}"' in page.text


def test_the_ontology_page_documents_every_class_and_property_in_both_languages(client, ds):
    page = client.get("/ontology", headers=BROWSER).text
    text = html.unescape(page)
    kinds = ("http://www.w3.org/2002/07/owl#Class", "http://www.w3.org/2002/07/owl#ObjectProperty",
             "http://www.w3.org/2002/07/owl#DatatypeProperty", "http://www.w3.org/2002/07/owl#AnnotationProperty")
    terms = {s for k in kinds for s in ds.of_type(k)}
    assert len(terms) > 80
    for term in terms:
        anchor = term[len(ERKG):] if term.startswith(ERKG) else None
        if anchor:
            assert f'id="{anchor}"' in page, term   # ontology#Term lands on its entry
        labels = {o.language: o.value for o in ds.objects(term, str(rdflib.RDFS.label))}
        assert set(labels) == {"de", "en"}, term
        for label in labels.values():
            assert label in text, (term, label)
        definitions = {o.language: o.value for o in ds.objects(term, str(rdflib.SKOS.definition))}
        for definition in definitions.values():
            assert definition in text, (term, definition)
    # Concept schemes with their concepts, linked to their own pages.
    assert 'href="id/role/cmo"' in page and 'href="id/scheme/roles"' in page


# ---------------------------------------------------------------- the source view


def test_the_source_view_highlights_exactly_the_quoted_characters(client, ds):
    quotes = [r for r in ds.resources() if kind_of(r) == "quote"]
    by_document: dict[str, list[str]] = defaultdict(list)
    for q in quotes:
        by_document[q.split("/")[-2]].append(q)
    assert len(by_document) == 5
    for doc, found in by_document.items():
        text = (ROOT / "data" / "sources" / f"{doc}.txt").read_bytes().decode("utf-8")
        for q in found[:: max(1, len(found) // 12)]:
            start, end = map(int, q.rsplit("/", 1)[1].split("-"))
            response = client.get(f"/id/document/{doc}", params={"start": start, "end": end}, headers=BROWSER)
            assert response.status_code == 200
            marked = MARK.findall(response.text)
            assert len(marked) == 1
            assert html.unescape(marked[0]) == text[start:end]
            # The whole stored text is on the page, line breaks included.
            body = re.search(r'<div class="source-text"[^>]*>(.*?)</div>', response.text, re.S).group(1)
            assert html.unescape(re.sub(r"</?mark[^>]*>", "", body)) == text


def test_the_source_view_refuses_offsets_outside_the_text(client):
    length = len((ROOT / "data" / "sources" / "netbiscuits-interview.txt").read_bytes().decode("utf-8"))
    for params in ({"start": 5, "end": 5}, {"start": 9, "end": 3}, {"start": -1, "end": 4},
                   {"start": 0, "end": length + 1}, {"start": "a", "end": 4}, {"start": 3}, {"end": 3},
                   {"start": "\uff11", "end": 4}, {"start": "1_0", "end": 20}, {"start": " 1", "end": 4},
                   {"start": "9" * 4301, "end": 1}):
        response = client.get("/id/document/netbiscuits-interview", params=params, headers=BROWSER)
        assert response.status_code == 422, params
        assert response.headers["content-type"].startswith("application/problem+json"), params
    assert client.get("/id/document/netbiscuits-interview", params={"start": 0, "end": length},
                      headers=BROWSER).status_code == 200


def test_a_fact_links_to_its_quotation_in_the_source_view(client, ds):
    finding = BASE + "id/finding/netbiscuits-interview/f-cmos-interaction-channels"
    page = client.get(path_of(finding), headers=BROWSER).text
    link = re.search(r'<a class="source-link" href="([^"]+)">', page).group(1)
    url = urljoin(client.base_url.join(path_of(finding)).__str__(), html.unescape(link))
    assert urlsplit(url).fragment == "quote"
    source = client.get(url, headers=BROWSER)
    marked = html.unescape(MARK.search(source.text).group(1))
    assert "53 Prozent der CMOs" in marked
    assert "<mark>" + html.escape(marked, quote=False) in page  # the same words, marked in their sentence


# ---------------------------------------------------------------- the findings chart


def test_the_findings_chart_has_a_bar_per_share_and_a_text_alternative(client, ds):
    findings = ds.of_type(ERKG + "Finding")
    with_share = [f for f in findings if ds.objects(f, ERKG + "share")]
    page = client.get("/findings", headers=BROWSER)
    assert page.status_code == 200
    text = page.text
    assert "<script" not in text
    bars = re.findall(r'<rect class="bar[ "][^>]*data-finding="([^"]+)"', text)
    assert sorted(bars) == sorted(with_share)
    svgs = re.findall(r"<svg class=\"bars\"[^>]*>", text)
    assert svgs and all('role="img"' in s and "aria-labelledby=" in s for s in svgs)
    descs = " ".join(html.unescape(d) for d in re.findall(r"<desc[^>]*>(.*?)</desc>", text, re.S))
    assert "53 %" in descs and "35 %" in descs
    assert "&lt; 10 %" in text and "≥ 70 %" in text and "almost 50 %" in text
    # Findings without a share are listed in words, each linked.
    for f in findings:
        if f not in with_share:
            assert f'href="{path_of(f)[1:]}"' in text, f
    assert "<table" in text


def test_the_findings_of_one_study(client):
    page = client.get("/findings", params={"study": "netbiscuits-study"}, headers=BROWSER).text
    assert len(re.findall(r'<rect class="bar[ "]', page)) == 3
    assert client.get("/findings", params={"study": "study:netbiscuits-study"}, headers=BROWSER).status_code == 200
    assert client.get("/findings", params={"study": "no-such-study"}, headers=BROWSER).status_code == 404


def test_an_id_that_cannot_be_an_iri_is_422_and_writes_nothing_to_the_log(client, server):
    """A newline in an id taken from the URL must not reach the log, where it would forge a line."""
    offset = server.log.stat().st_size
    for study in ("x\nERROR: forged", "a b", "x<y>"):
        assert client.get("/findings", params={"study": study}).status_code == 422
    assert "forged" not in server.log.read_bytes()[offset:].decode(errors="replace")


# ---------------------------------------------------------------- the role page


def test_the_role_page_shows_responsibilities_departments_posts_and_findings(client):
    page = client.get("/id/role/cmo", headers=BROWSER).text
    for section in ('id="responsibilities"', 'id="departments"', 'id="posts"', 'id="findings"'):
        assert section in page
    posts = page.split('id="posts"', 1)[1].split("</section>", 1)[0]
    assert "Daniel Weisbeck" in posts and "Netbiscuits" in posts and "2012" in posts
    assert 'href="../../id/department/marketing"' in page
    responsibilities = page.split('id="responsibilities"', 1)[1].split("</section>", 1)[0]
    assert responsibilities.count("<tr>") >= 10
    assert "mobile web strategy" in responsibilities
    findings = page.split('id="findings"', 1)[1].split("</section>", 1)[0]
    assert "53 %" in findings and "51 %" in findings


def test_the_page_follows_the_readers_language(client):
    en = client.get("/id/role/cmo", headers=BROWSER).text
    de = client.get("/id/role/cmo", headers={**BROWSER, "Accept-Language": "de-DE,de;q=0.9,en;q=0.5"}).text
    assert '<html lang="en">' in en and '<h1 lang="en">Chief Marketing Officer</h1>' in en
    assert '<html lang="de">' in de and '<h1 lang="de">Chief Marketing Officer</h1>' in de
    assert "Verantwortungsbereiche" in de
    assert '<html lang="de">' in client.get("/id/role/cmo", params={"lang": "de"}, headers=BROWSER).text
    client.cookies.clear()  # the choice of ?lang=de is remembered (a cookie) over Accept-Language
    # The other language's label is shown as well, where it differs.
    assert 'class="other-label"' not in en
    head = client.get("/id/role/head-of-marketing", headers=BROWSER).text
    assert '<h1 lang="en">Head of Marketing</h1>' in head and '<p class="other-label" lang="de">Marketingleiter' in head


def language_links(page: str) -> list[str]:
    return re.findall(r'href="(\?[^"]*lang=[^"]*)"', page)


def test_language_links_keep_only_the_pages_own_parameters(client):
    """Pages are cached by their own parameters: a parameter the page does not read must
    not reach its links, else the next reader would get the first one's query string."""
    first = client.get("/id/role/cto", params={"injected": "x", "lang": "en"}, headers=BROWSER).text
    later = client.get("/id/role/cto", params={"lang": "en"}, headers=BROWSER).text
    assert language_links(first) == language_links(later) == ["?lang=de"]
    document = client.get("/id/document/spors-interview", params={"start": "0", "end": "20", "injected": "x"},
                          headers=BROWSER).text
    assert language_links(document) == ["?start=0&amp;end=20&amp;lang=de"]


# ---------------------------------------------------------------- safety


def test_pages_load_nothing_from_elsewhere_and_run_no_scripts(client):
    for path in ("/id/role/cmo", "/findings", "/ontology", "/id/document/cmo-cio-divide",
                 "/id/finding/netbiscuits-interview/f-cmos-interaction-channels", "/graph/spors-interview"):
        response = client.get(path, headers=BROWSER)
        csp = response.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "style-src 'self'" in csp and "script-src" not in csp
        text = response.text
        assert "<script" not in text and " style=" not in text
        refs = re.findall(r'\b(?:src|href)\s*=\s*"([^"]*)"', text)
        for ref in refs:
            if ref == "data:,":  # the empty favicon: no request for /favicon.ico
                continue
            assert not re.match(r"^([a-z][a-z0-9+.-]*:|//)", ref, re.I), f"{path}: absolute URL {ref}"
        for ref in {r for r in refs if r.endswith(".css")}:
            assert client.get(urljoin(client.base_url.join(path).__str__(), ref)).status_code == 200


def test_text_from_the_graph_is_escaped(ds):
    # Quotes like „Kampf“ and every label pass through Jinja2's autoescape: the
    # templates never mark graph text as safe.
    for template in (ROOT / "api" / "templates" / "pages").glob("*.html"):
        assert "| safe" not in template.read_text() and "|safe" not in template.read_text(), template


# ---------------------------------------------------------------- another base IRI


def test_a_configured_base_iri_is_served_at_the_same_paths(build_dir, start_server, tmp_path):
    base = "http://example.org/kg/"
    dataset = tmp_path / "rebased.nq"
    dataset.write_text((build_dir / "erkg.nq").read_text(encoding="utf-8").replace(BASE, base), encoding="utf-8")
    server = start_server(dataset, env={"ERKG_BASE": base}, query_workers=1)
    turtle = httpx.get(server.url + "/id/role/cmo", headers=TURTLE, timeout=30)
    assert turtle.status_code == 200
    g = parse(turtle, "turtle")
    assert (rdflib.URIRef(base + "id/role/cmo"), rdflib.RDF.type, None) in g
    page = httpx.get(server.url + "/id/role/cmo", headers=BROWSER, timeout=30).text
    assert base + "id/role/cmo" in page and 'href="../../id/department/marketing"' in page
    assert httpx.get(server.url + "/ontology", headers=BROWSER, timeout=30).status_code == 200
