"""The Linked Data pages in a browser: Debian's Chromium, headless, driven by
Playwright against a real `erkg serve`. What a person sees on a role page, on
the source view a finding's provenance link leads to, and on the findings
chart. Every request to another host is recorded and refused; there must be
none. Screenshots go to /tmp/erkg-page-*.png."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[3]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
SHOTS = Path("/tmp")


@pytest.fixture(scope="module")
def chromium():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: scripts/setup.sh installs Debian's chromium")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Visit:
    """A fresh browser profile that may only talk to loopback, collecting what went wrong."""

    def __init__(self, chromium, **context) -> None:
        self.context = chromium.new_context(viewport={"width": 1280, "height": 900}, **context)
        self.page = self.context.new_page()
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.page.route("**/*", self._only_loopback)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)

    def _only_loopback(self, route) -> None:
        host = urlsplit(route.request.url).hostname
        if host is None or host == "127.0.0.1":
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def close(self) -> None:
        self.context.close()
        assert self.outside == [], f"the pages tried to reach other hosts: {self.outside}"
        assert self.errors == [], f"errors in the browser: {self.errors}"


@pytest.fixture
def visit(chromium):
    v = Visit(chromium)
    yield v
    v.close()


def in_viewport(locator) -> bool:
    return locator.evaluate("""el => { const r = el.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0
            && r.bottom <= window.innerHeight && r.right <= window.innerWidth; }""")


def test_a_role_page_shows_the_role_at_a_glance(server, visit):
    page = visit.page
    response = page.goto(f"{server.url}/id/role/cmo")
    assert response.status == 200
    assert page.title().startswith("Chief Marketing Officer")
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Chief Marketing Officer"
    assert page.locator("p.other-label").count() == 0  # the German label is the same, not shown twice
    assert page.locator("p.definition", has_text="Executive responsible for a company's marketing.").is_visible()

    # The departments it leads.
    departments = page.locator("#departments")
    assert departments.get_by_role("link", name="marketing").is_visible()

    # Responsibilities, each with how it holds, who says so, and the quoted words.
    responsibilities = page.locator("#responsibilities")
    assert responsibilities.get_by_role("heading", name="Responsibilities").is_visible()
    rows = responsibilities.locator("tbody tr")
    assert rows.count() >= 10
    assert responsibilities.get_by_role("link", name="mobile web strategy").first.is_visible()
    assert responsibilities.get_by_role("link", name="managing the data").is_visible()
    first = rows.first.inner_text()
    assert "„" in first  # a quotation from the source

    # Posts held with this role: Daniel Weisbeck, CMO of Netbiscuits since 2012.
    posts = page.locator("#posts")
    weisbeck = posts.locator("li", has_text="Daniel Weisbeck")
    assert weisbeck.is_visible()
    assert weisbeck.get_by_role("link", name="Netbiscuits", exact=True).is_visible()
    assert weisbeck.get_by_text("Since 2012").is_visible()

    # Findings on respondent groups of CMOs, with their shares.
    findings = page.locator("#findings")
    assert findings.get_by_text("53 %").is_visible()
    assert findings.locator("svg.minibar").first.is_visible()

    page.screenshot(path=str(SHOTS / "erkg-page-role.png"), full_page=True)


def test_a_findings_provenance_link_opens_the_source_with_the_quote_highlighted(server, visit):
    page = visit.page
    page.goto(f"{server.url}/id/role/cmo")
    # From the role page to the finding ...
    page.locator("#findings").get_by_role("link", name="It is of decisive importance", exact=False).first.click()
    page.wait_for_url("**/id/finding/netbiscuits-interview/f-cmos-interaction-channels")
    # The English page: the share in English; the German wording stays in the quote below.
    assert page.get_by_role("heading", level=1).inner_text().startswith("53 % CMOs:")
    provenance = page.locator("section.provenance")
    quoted = provenance.locator("mark").inner_text()
    assert quoted.startswith("Während 53 Prozent der CMOs")
    page.screenshot(path=str(SHOTS / "erkg-page-finding.png"))

    # ... and on to the source view at the quotation's offsets.
    provenance.get_by_role("link", name="Show in the source text").click()
    page.wait_for_url("**/id/document/netbiscuits-interview?start=*")
    query = parse_qs(urlsplit(page.url).query)
    start, end = int(query["start"][0]), int(query["end"][0])
    assert urlsplit(page.url).fragment == "quote"
    text = (ROOT / "data" / "sources" / "netbiscuits-interview.txt").read_bytes().decode("utf-8")

    mark = page.locator("mark#quote")
    assert mark.count() == 1
    assert mark.inner_text() == text[start:end] == quoted
    assert mark.is_visible()
    assert in_viewport(mark), "the highlighted quote is not scrolled into view"
    # It stands in the whole stored text, with its line breaks.
    source = page.locator(".source-text")
    assert source.evaluate("el => getComputedStyle(el).whiteSpace") == "pre-wrap"
    assert source.evaluate("el => el.textContent") == text
    # The highlight is visibly different from the text around it.
    assert mark.evaluate("el => getComputedStyle(el).backgroundColor") != \
        source.evaluate("el => getComputedStyle(el).backgroundColor")
    # What rests on the passage is listed next to it.
    assert page.locator(".selection").get_by_role("link", name="53", exact=False).count() >= 1
    page.screenshot(path=str(SHOTS / "erkg-page-source.png"))


def test_quotes_only_the_provenance_link_opens_the_quotation_in_its_sentence(quotes_server, visit):
    """ERKG_SOURCE_TEXTS=quotes: the same way from a finding to its source leads to the quoted
    sentences in place of the text, the finding's quotation marked and scrolled into view."""
    page = visit.page
    page.goto(f"{quotes_server.url}/id/finding/netbiscuits-interview/f-cmos-interaction-channels")
    quoted = page.locator("section.provenance mark").inner_text()
    page.locator("section.provenance").get_by_role("link", name="Show in the source text").click()
    page.wait_for_url("**/id/document/netbiscuits-interview?start=*")
    assert page.locator(".source-text").count() == 0
    assert page.get_by_role("heading", name="Quoted sentences").is_visible()
    mark = page.locator("mark#quote")
    assert mark.count() == 1 and mark.inner_text() == quoted and in_viewport(mark)
    passage = page.locator("ol.passages li.here").first
    assert passage.get_by_role("link", name="53", exact=False).count() >= 1  # the finding resting on it
    page.screenshot(path=str(SHOTS / "erkg-page-source-quotes.png"))


def test_the_findings_chart_draws_the_shares_side_by_side(server, visit):
    page = visit.page
    response = page.goto(f"{server.url}/findings")
    assert response.status == 200
    assert page.get_by_role("heading", level=1).inner_text() == "Survey findings"
    svg = page.locator("#netbiscuits-study svg.bars")
    assert svg.is_visible()
    assert svg.get_attribute("role") == "img"

    bars = svg.locator("rect.bar")
    assert bars.count() == 3
    cmos = svg.locator('rect.bar[data-share="0.53"]')
    cios = svg.locator('rect.bar[data-share="0.35"]')
    a, b = cmos.bounding_box(), cios.bounding_box()
    assert a["width"] > b["width"] > 0
    assert a["width"] / b["width"] == pytest.approx(53 / 35, rel=0.02)
    assert a["x"] == pytest.approx(b["x"])                        # one axis
    assert 0 < b["y"] - a["y"] < 3 * a["height"]                  # side by side, one under the other
    # Both bars are labelled with their value and group, visibly.
    assert svg.get_by_text("53 %", exact=True).is_visible()
    assert svg.get_by_text("35 %", exact=True).is_visible()
    assert svg.get_by_text("CIOs", exact=True).is_visible()

    # The text alternative names the chart and lists the values.
    labelled_by = svg.get_attribute("aria-labelledby").split()
    alternative = " ".join(page.locator(f"[id='{i}']").text_content() for i in labelled_by)
    assert "Netbiscuits" in alternative and "53 %" in alternative and "35 %" in alternative
    # The same values as a plain table.
    table = page.locator("#netbiscuits-study table.data")
    assert table.is_visible()
    assert table.get_by_role("link", name="53 %").is_visible()

    # A share stated as a bound is drawn dashed and labelled as such.
    bound = page.locator('rect.bar.bound[data-qualifier="less-than"]')
    assert bound.count() == 1
    assert bound.evaluate("el => getComputedStyle(el).strokeDasharray") not in ("none", "")
    assert page.locator("svg.bars").get_by_text("< 10 %", exact=True).is_visible()

    svg.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "erkg-page-findings.png"), full_page=True)


def test_the_ontology_page_lands_on_a_term(server, visit):
    page = visit.page
    page.goto(f"{server.url}/ontology#Finding")
    entry = page.locator("#Finding")
    assert entry.is_visible() and in_viewport(entry.locator("h4"))
    assert entry.get_by_text("survey finding", exact=True).is_visible()
    assert entry.get_by_text("Befund", exact=True).is_visible()
