"""The query UI: a browser's GET /sparql gets YASGUI, served by this server
alone, with the project's prefixes and one tab per named query; the SPARQL
protocol around it is unchanged. One test drives Debian's Chromium (headless,
Playwright) against a real `erkg serve`; the others are plain HTTP."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qsl, urljoin, urlsplit

import httpx
import pyoxigraph as ox
import pytest

from api.ui import YASGUI_ASSETS, script_json, used_prefixes, with_prefixes
from tests.conftest import ROOT
from kg.namespaces import Iris

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
SCREENSHOT = Path("/tmp/erkg-ui.png")
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
CONFIG_BLOCK = re.compile(r'<script type="application/json" id="erkg-ui-config">(.*?)</script>', re.S)
RESULT_ROWS = ".yasr table.dataTable tbody tr:not(:has(td.dataTables_empty))"


@pytest.fixture(scope="module")
def examples(named_queries) -> list[str]:
    """The names of the named queries the UI offers (the quality checks are not examples)."""
    return [q.name for q in named_queries.values() if not q.is_check]


def html_page(server) -> httpx.Response:
    response = httpx.get(f"{server.url}/sparql", headers={"Accept": BROWSER_ACCEPT}, timeout=10)
    response.raise_for_status()
    return response


def page_config(html: str) -> dict:
    return json.loads(CONFIG_BLOCK.search(html).group(1))


# ---------------------------------------------------------------- in a browser


@pytest.fixture(scope="module")
def chromium():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: scripts/setup.sh installs Debian's chromium")
    if not (YASGUI_ASSETS / "yasgui.min.js").exists():
        pytest.fail(f"{YASGUI_ASSETS} is missing: scripts/setup.sh installs YASGUI with npm")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def test_the_page_runs_queries_in_a_browser_without_leaving_this_server(server, chromium, examples):
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})  # a fresh profile
    page = context.new_page()
    outside: list[str] = []   # every request to another host: recorded and refused
    errors: list[str] = []

    def only_loopback(route) -> None:
        host = urlsplit(route.request.url).hostname
        if host is None or host == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_loopback)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        response = page.goto(f"{server.url}/sparql")
        assert response.status == 200
        assert response.headers["content-type"].startswith("text/html")
        assert page.title() == "ERKG SPARQL endpoint"
        page.wait_for_selector(".yasqe .CodeMirror", timeout=15_000)

        # The starter tab has the project's prefixes and this server as its endpoint.
        starter = page.evaluate("window.yasgui.getTab().getQuery()")
        assert "PREFIX erkg:" in starter and "PREFIX role:" in starter
        assert page.evaluate("window.yasgui.getTab().getEndpoint()") == f"{server.url}/sparql"

        # One tab per named query, named after it.
        tabs = [t.strip() for t in page.locator(".tabsList [role=tab] > span").all_inner_texts()]
        assert set(examples) <= set(tabs), f"missing tabs: {sorted(set(examples) - set(tabs))}"

        # A query typed into the editor (through YASGUI's API) and run with the button.
        page.evaluate("""window.yasgui.getTab().getYasqe().setValue(
            'PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\\n' +
            'PREFIX role: <https://w3id.org/erkg/id/role/>\\n' +
            'SELECT ?label WHERE { role:cmo rdfs:label ?label } ORDER BY ?label')""")
        panel = page.locator("#erkg-query")
        panel.locator(".yasqe_queryButton").click()
        panel.locator(RESULT_ROWS).first.wait_for(timeout=15_000)
        rows = panel.locator(RESULT_ROWS).all_inner_texts()
        assert len(rows) >= 1
        assert any("Chief Marketing Officer" in row for row in rows), rows

        # A named query's tab runs as it stands (its PREFIX lines included).
        page.get_by_role("tab", name="roles", exact=True).click()
        panel = page.locator("#erkg-roles")
        assert "PREFIX erkg:" in page.evaluate("window.yasgui.getTab().getQuery()")
        panel.locator(".yasqe_queryButton").click()
        panel.locator(RESULT_ROWS).first.wait_for(timeout=15_000)
        rows = panel.locator(RESULT_ROWS).all_inner_texts()
        assert len(rows) >= 7   # at least the seven executive roles
        assert any("Chief Marketing Officer" in row for row in rows), rows

        page.screenshot(path=str(SCREENSHOT), full_page=False)
    finally:
        context.close()
    assert outside == [], f"the page tried to reach other hosts: {outside}"
    assert errors == [], f"script errors on the page: {errors}"


def test_the_asserted_only_switch_names_the_asserted_graphs(server, chromium, iris):
    """Ticked, every tab's query names the asserted graphs as default-graph-uri, so what only
    the ontology entails (here: roles as org:Role) is no longer in the answer."""
    context = chromium.new_context()
    page = context.new_page()
    try:
        page.goto(f"{server.url}/sparql")
        page.wait_for_selector(".yasqe .CodeMirror", timeout=15_000)

        def roles() -> tuple[int, list[str]]:
            """The count YASGUI got for org:Role, and the default graphs its request named."""
            page.evaluate("""window.yasgui.getTab().getYasqe().setValue(
                'SELECT (COUNT(*) AS ?n) WHERE { ?x a <http://www.w3.org/ns/org#Role> }')""")
            with page.expect_response(lambda r: r.url.endswith("/sparql") and r.request.method == "POST") as answer:
                page.locator("#erkg-query .yasqe_queryButton").click()
            n = int(answer.value.json()["results"]["bindings"][0]["n"]["value"])
            return n, sorted(v for k, v in parse_qsl(answer.value.request.post_data) if k == "default-graph-uri")

        n, graphs = roles()
        assert n > 0 and graphs == []
        page.locator("#erkg-asserted").check()
        n, graphs = roles()
        assert n == 0
        assert graphs and str(iris.inferred) not in graphs
        assert graphs == page_config(html_page(server).text)["assertedGraphs"]
    finally:
        context.close()


def test_a_named_query_tab_binds_its_parameters_from_a_form(server, chromium):
    """The roles tab shows a form for ?role and ?lang: the roles offered by label from the graph;
    set to role:cmo, the tab runs the text the server bound and shows the one row."""
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(f"{server.url}/sparql")
        page.wait_for_selector(".yasqe .CodeMirror", timeout=15_000)
        assert page.locator("#erkg-params").is_hidden()  # the starter tab takes no parameters
        page.get_by_role("tab", name="roles", exact=True).click()
        form = page.locator("#erkg-params")
        form.wait_for(state="visible", timeout=5_000)
        assert form.locator("#erkg-params-query").inner_text() == "roles"
        # the choices for ?role: the roles, by label, from the graph
        options = form.locator("datalist option").evaluate_all("os => os.map(o => [o.value, o.label])")
        assert ["role:cmo", "Chief Marketing Officer"] in options and len(options) >= 7
        assert form.locator("select[name=lang] option").all_inner_texts() == ["(not set)", "de", "en"]

        panel = page.locator("#erkg-roles")
        form.locator("input[name=role]").fill("role:cmo")
        with page.expect_response(lambda r: "/api/v1/queries/roles/text" in r.url) as bound:
            with page.expect_response(lambda r: r.url.endswith("/sparql") and r.request.method == "POST"):
                form.locator("#erkg-params-run").click()
        assert "role=role%3Acmo" in bound.value.url
        # the tab holds the text the server bound, the same that any client gets
        expected = httpx.get(f"{server.url}/api/v1/queries/roles/text", params={"role": "role:cmo"}).text
        assert page.evaluate("window.yasgui.getTab().getQuery()") == expected
        page.wait_for_function(f"document.querySelectorAll('#erkg-roles {RESULT_ROWS}').length === 1",
                               timeout=15_000)
        rows = panel.locator(RESULT_ROWS).all_inner_texts()
        assert len(rows) == 1 and "Chief Marketing Officer" in rows[0] and "role:cmo" in rows[0]

        # a value that is no IRI: the server's 422 is said in the form
        form.locator("input[name=role]").fill("not an iri")
        form.locator("#erkg-params-run").click()
        message = form.locator("#erkg-params-message")
        message.wait_for(state="visible", timeout=5_000)
        assert "not a valid iri" in message.inner_text()

        # a VALUES block at the end does not set a parameter: said, not silently ignored
        page.evaluate("void window.yasgui.getTab().setQuery(window.yasgui.getTab().getQuery() + "
                      "'\\nVALUES ?lang { \"de\" }')")
        assert page.evaluate("window.yasgui.getTab().getQuery()").endswith('VALUES ?lang { "de" }')
        panel.locator(".yasqe_queryButton").click()
        page.wait_for_function("document.getElementById('erkg-params-message').textContent.includes('?lang')",
                               timeout=5_000)
        assert "does not set ?lang" in message.inner_text()
        page.screenshot(path="/tmp/erkg-ui-params.png")
    finally:
        context.close()
    assert errors == [], f"script errors on the page: {errors}"


# ---------------------------------------------------------------- over plain HTTP


def test_the_bound_text_of_a_named_query_answers_as_its_endpoint(server):
    """GET /api/v1/queries/{name}/text binds as the query's endpoint does: the text sent to
    /sparql gives the endpoint's rows; a bad or unknown parameter is its 422."""
    text = httpx.get(f"{server.url}/api/v1/queries/role-responsibilities/text", params={"role": "role:cio"})
    assert text.status_code == 200 and text.headers["content-type"].startswith("application/sparql-query")
    assert "PREFIX erkg:" in text.text and "<https://w3id.org/erkg/id/role/cio>" in text.text
    rows = httpx.post(f"{server.url}/sparql", content=text.text.encode(), timeout=30,
                      headers={"Content-Type": "application/sparql-query",
                               "Accept": "application/sparql-results+json"}).json()["results"]["bindings"]
    rest = httpx.get(f"{server.url}/api/v1/queries/role-responsibilities", params={"role": "role:cio"},
                     timeout=30).json()
    assert len(rows) == rest["count"] > 0
    assert sorted(r["claim"]["value"] for r in rows) == sorted(r["claim"] for r in rest["rows"])
    assert {r["role"]["value"] for r in rows} == {"https://w3id.org/erkg/id/role/cio"}
    for params in ({"role": "cio cio"}, {"rol": "role:cio"}, [("role", "role:cio"), ("role", "role:cmo")]):
        bad = httpx.get(f"{server.url}/api/v1/queries/role-responsibilities/text", params=params)
        assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")


def test_a_trailing_values_block_does_not_bind_a_parameter(server):
    """Why the form exists: SPARQL joins a VALUES block at the end of a query with the answer of
    the whole query, so the label filters that use ?lang never see it (the English labels stay)."""
    query = (ROOT / "queries" / "roles.rq").read_text(encoding="utf-8") + '\nVALUES ?lang { "de" }\n'
    answer = httpx.post(f"{server.url}/sparql", content=query.encode(), timeout=30,
                        headers={"Content-Type": "application/sparql-query",
                                 "Accept": "application/sparql-results+json"}).json()["results"]["bindings"]
    assert answer and all("label_en" in row for row in answer)
    bound = httpx.get(f"{server.url}/api/v1/queries/roles", params={"lang": "de"}, timeout=30).json()["rows"]
    assert bound and all(row["label_en"] is None for row in bound)


def test_a_browser_get_without_a_query_gets_the_page_naming_every_named_query(server, examples):
    response = html_page(server)
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    for name in examples:
        assert name in html
    config = page_config(html)
    assert [e["name"] for e in config["examples"]] == examples
    assert config["endpoint"] == "sparql"   # relative to the page: any host, any path prefix
    assert config["prefixes"] == Iris().prefixes()


def test_the_page_names_no_other_host_and_its_assets_are_served_here(server):
    response = html_page(server)
    html = response.text
    refs = re.findall(r'\b(?:src|href)\s*=\s*"([^"]*)"', html) + re.findall(r"url\(([^)]*)\)", html)
    assert refs, "the page references no assets"
    for ref in refs:
        assert not re.match(r"^([a-z][a-z0-9+.-]*:|//)", ref, re.I), f"absolute URL in the page: {ref}"
        asset = httpx.get(urljoin(f"{server.url}/sparql", ref), timeout=10)
        assert asset.status_code == 200, ref
        if ref.endswith(".css"):
            assert not re.search(r"url\(\s*['\"]?(https?:)?//", asset.text), f"{ref} loads from another host"
            assert "@import" not in asset.text
    assert any(ref.endswith("yasgui.min.js") for ref in refs)
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "connect-src 'self'" in csp


def test_every_example_tab_declares_the_prefixes_it_uses(server):
    # An undeclared prefix is a syntax error; the empty store makes it quick.
    store = ox.Store()
    for example in page_config(html_page(server).text)["examples"]:
        try:
            store.query(example["query"])
        except SyntaxError as e:
            pytest.fail(f"the {example['name']} tab does not run as it stands: {e}")


def test_the_protocol_is_unchanged_around_the_page(server):
    sparql = f"{server.url}/sparql"
    # The service description for RDF clients.
    described = httpx.get(sparql, headers={"Accept": "text/turtle"}, timeout=10)
    assert described.status_code == 200
    assert described.headers["content-type"].startswith("text/turtle")
    assert "sd:Service" in described.text and "<!doctype" not in described.text.lower()
    assert httpx.get(sparql, timeout=10).headers["content-type"].startswith("text/turtle")
    # HTML ranked at q=0 is HTML refused, not HTML wanted.
    refusing = httpx.get(sparql, headers={"Accept": "text/html;q=0"}, timeout=10)
    assert refusing.headers["content-type"].startswith("text/turtle")
    # A browser's query gets results, not the page.
    answer = httpx.get(sparql, params={"query": "ASK {}"}, headers={"Accept": BROWSER_ACCEPT}, timeout=10)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/sparql-results+xml")  # application/xml;q=0.9
    assert "<boolean>true</boolean>" in answer.text
    # A POST without a query is still an error, whatever it accepts.
    refused = httpx.post(sparql, content=b"", timeout=10, headers={
        "Accept": BROWSER_ACCEPT, "Content-Type": "application/x-www-form-urlencoded"})
    assert refused.status_code == 400


# ---------------------------------------------------------------- the page's pieces


def test_data_for_the_page_cannot_end_its_script_element():
    text = script_json({"query": "</script><script>alert(1)</script><!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"query": "</script><script>alert(1)</script><!-- & \u2028"}


def test_a_tab_declares_the_prefixes_its_query_uses_and_no_others():
    prefixes = Iris().prefixes()
    query = ('# title: e.g. role:cmo (a comment)\n\nSELECT ?x WHERE { ?x a erkg:Role ; '
             'rdfs:label "skos:no" ; org:x <http://example.org/foaf:y> . ?role a ?t }\n')
    assert list(used_prefixes(query, prefixes)) == ["erkg", "org", "rdfs"]
    text = with_prefixes(query, prefixes)
    assert text.startswith("# title: e.g. role:cmo (a comment)\n\nPREFIX erkg: ")
    assert text.endswith("\nSELECT ?x WHERE" + query.split("SELECT ?x WHERE", 1)[1])
    ox.Store().query(text)
