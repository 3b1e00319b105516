"""The front door: the home page at /, the API docs that work without internet access, and
the addresses `erkg serve` prints. The pages are opened in Debian's Chromium (headless,
driven by Playwright) against a real `erkg serve`; every request to another host is
refused and recorded, and there must be none."""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urlsplit

import httpx
import pytest
from pyoxigraph import NamedNode, RdfFormat, parse

from tests.api.pages.test_pages_browser import SHOTS, Visit, chromium  # noqa: F401 (fixture)

VOID = "http://rdfs.org/ns/void#"
ERKG = "https://w3id.org/erkg/ontology#"


@pytest.mark.parametrize("lang", ["en", "de"])
def test_every_link_on_the_home_page_answers(server, chromium, lang):  # noqa: F811
    visit = Visit(chromium, locale=lang)
    page = visit.page
    assert page.goto(f"{server.url}/").status == 200
    assert page.locator("html").get_attribute("lang") == lang
    page.screenshot(path=str(SHOTS / f"erkg-page-home-{lang}.png"), full_page=True)
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    assert len(hrefs) >= 50, hrefs  # navigation, the ways in, one per class, source and download
    outside = sorted({h for h in hrefs if urlsplit(h).hostname != "127.0.0.1"})
    assert outside == ["https://creativecommons.org/licenses/by/4.0/"]  # the licence: not followed here
    downloads = {h for h in hrefs if "/download/" in h}  # a browser saves them: fetched apart
    assert len(downloads) >= 8
    for href in downloads:
        assert httpx.head(href).status_code == 200, href
    for href in sorted({urldefrag(h).url for h in hrefs} - set(outside) - downloads):
        response = page.goto(href)
        assert response is not None and response.status == 200, href
    # the fragments lead somewhere: the skip link to the content, terms to their ontology entries
    for href in {h for h in hrefs if urldefrag(h).fragment}:
        url, fragment = urldefrag(href)
        page.goto(url)
        assert page.locator(f"[id='{fragment}']").count() == 1, href
    visit.close()


def test_the_home_page_counts_what_void_counts(server, store):
    turtle = httpx.get(f"{server.url}/sparql", headers={"Accept": "text/turtle"}).content
    description = list(parse(turtle, format=RdfFormat.TURTLE))
    partitions = {t.subject: {} for t in description if t.predicate == NamedNode(VOID + "class")}
    for t in description:
        if t.subject in partitions:
            partitions[t.subject][t.predicate.value.removeprefix(VOID)] = t.object
    void = {p["class"].value: int(p["entities"].value) for p in partitions.values()}
    engine = {row["c"].value: int(row["n"].value) for row in store.query(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(isIRI(?c)) } GROUP BY ?c", use_default_graph_as_union=True)}
    assert void == engine and len(void) >= 20

    html = httpx.get(f"{server.url}/", params={"lang": "en"}).text
    shown = {name: int(n) for name, n in re.findall(r'<th scope="row"><a href="ontology#(\w+)"[^>]*>[^<]*</a>'
                                                     r'</th><td>(\d+)</td>', html)}
    own = {c.removeprefix(ERKG): n for c, n in void.items() if c.startswith(ERKG)}
    assert shown == own and len(own) >= 20
    documents = [row["d"].value for row in store.query(
        "SELECT ?d WHERE { ?d a <https://w3id.org/erkg/ontology#SourceDocument> }", use_default_graph_as_union=True)]
    assert len(documents) == 5
    for document in documents:
        assert f'<th scope="row"><a href="{document.removeprefix("https://w3id.org/erkg/")}"' in html


@pytest.mark.parametrize("path, shown", [("docs", ".opblock"), ("redoc", "[role=menuitem]")])
def test_the_api_docs_work_without_internet(server, chromium, path, shown):  # noqa: F811
    operations = sum(len(methods) for methods in httpx.get(f"{server.url}/openapi.json").json()["paths"].values())
    visit = Visit(chromium)  # refuses, and records, every request to another host
    page = visit.page
    response = page.goto(f"{server.url}/{path}")
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(shown, timeout=20_000)
    page.screenshot(path=str(SHOTS / f"erkg-page-{path}.png"))
    if path == "docs":  # one block per operation
        assert page.locator(shown).count() == operations
    else:  # the menu lists the tags, and the operations within them
        assert page.get_by_role("menuitem", name="roles").count() >= 1
        # ReDoc's footer always asks cdn.redoc.ly for its logo; the CSP refuses it, so no request leaves
        logo = [e for e in visit.errors if "https://cdn.redoc.ly/redoc/logo-mini.svg" in e
                and "Content Security Policy" in e]
        assert len(logo) <= 1
        visit.errors = [e for e in visit.errors if e not in logo]
    visit.close()


def test_serve_prints_the_addresses_that_matter(server):
    log = server.log.read_text()
    for path in ("/", "/sparql", "/docs", "/findings", "/ontology"):
        assert f"{server.url}{path}\n" in log


def test_the_chosen_language_sticks_across_links(server, chromium):  # noqa: F811
    visit = Visit(chromium, locale="en-US")  # the browser asks for English
    page = visit.page
    page.goto(f"{server.url}/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("link", name="DE", exact=True).click()
    for link in ("Rollen", "Chief Marketing Officer", "Befunde", "Ontologie"):  # links carry no language
        assert page.locator("html").get_attribute("lang") == "de", page.url
        page.get_by_role("link", name=link, exact=True).first.click()
        page.wait_for_load_state()
        assert "lang=" not in page.url
    assert page.locator("html").get_attribute("lang") == "de"
    page.get_by_role("link", name="EN", exact=True).click()  # and back
    page.goto(f"{server.url}/findings")
    assert page.locator("html").get_attribute("lang") == "en"
    visit.close()


def test_a_page_names_the_cookie_it_varies_by(server):
    chosen = httpx.get(f"{server.url}/id/role/cmo", params={"lang": "de"}, headers={"Accept": "text/html"})
    assert chosen.headers["set-cookie"].startswith("erkg-lang=de; Path=/;")
    assert "Cookie" in chosen.headers["vary"]
    later = httpx.get(f"{server.url}/id/role/cmo", headers={"Accept": "text/html", "Accept-Language": "en",
                                                            "Cookie": "erkg-lang=de"})
    assert '<html lang="de">' in later.text and "set-cookie" not in later.headers
    assert later.headers["etag"] == chosen.headers["etag"]
