"""`erkg extract`: the rules on sentences of the five curated articles and on English
examples; every candidate is a span of the text; bad input is refused, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.cli import main
from kg.curation import FactsFile, load_documents
from kg.extract import InputError, build_gazetteer, draft, read_article
from kg.namespaces import Iris
from kg.ontology import load_ontology

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def ontology():
    return load_ontology(ROOT / "ontology" / "erkg.ttl", Iris())


@pytest.fixture(scope="module")
def documents():
    return load_documents(ROOT / "data")


@pytest.fixture(scope="module")
def extract(ontology, documents):
    """Extract from a text with the gazetteer of the ontology alone (no curated groups), or
    of some documents."""
    def run(text: str, with_docs: bool = False):
        docs = documents if with_docs else []
        facts, found = draft(text, "test-doc", build_gazetteer(ontology, docs),
                             {e.id for d in docs for e in d.facts.entities})
        return facts, found
    return run


@pytest.mark.parametrize("sentence, wording, share, qualifier", [
    ("Umgekehrt denken sogar weniger als 10 Prozent der Marketer, dass die IT-Jungs Ahnung von den "
     "Marketing-Aufgaben haben.", "weniger als 10 Prozent", 0.1, "less-than"),
    ("So sagt fast die Hälfte der Marketiers, dass die IT zu langsam arbeitet.", "fast die Hälfte", 0.5, "almost"),
    ("Dabei wollen jeweils mindestens 70 Prozent eine neutrale Instanz etablieren, um dieses Ziel einfacher "
     "zu erreichen.", "mindestens 70 Prozent", 0.7, "at-least"),
    ("Während 53 Prozent der CMOs davon überzeugt sind, dass es entscheidende Bedeutung hat, Kunden eine "
     "größere Anzahl an Interaktions-Kanälen zu bieten.", "53 Prozent", 0.53, "exactly"),
    ("The survey found that 53 percent of CMOs expect to own the budget.", "53 percent", 0.53, "exactly"),
    ("Nearly half of the CIOs said that marketing moves too fast.", "Nearly half", 0.5, "almost"),
    ("At least 70% of marketers want a neutral party.", "At least 70%", 0.7, "at-least"),
    ("Less than 10 percent of IT leaders agree.", "Less than 10 percent", 0.1, "less-than"),
    ("About a third of the respondents disagree.", "About a third", 1 / 3, "about"),
    ("Rund ein Viertel der Befragten stimmt zu.", "Rund ein Viertel", 0.25, "about"),
])
def test_findings(extract, sentence, wording, share, qualifier):
    facts, found = extract(sentence)
    [f] = found["findings"]
    assert (f.text, f.extra["share"], f.extra["qualifier"]) == (wording, share, qualifier)
    assert sentence[f.span.start:f.span.end] == wording
    [item] = facts["findings"]
    assert item["wording"] == wording and wording in item["quote"]


def test_finding_group_and_proposition(extract):
    text = "So sagt fast die Hälfte der Marketiers, dass die IT zu langsam arbeitet."
    facts, found = extract(text, with_docs=True)
    [f] = found["findings"]
    g = f.extra["group"]
    assert text[g.span.start:g.span.end] == "Marketiers" and g.term.id == "marketers"
    assert f.extra["proposition"].text == "die IT zu langsam arbeitet"
    assert facts["findings"][0]["group"] == "marketers"  # the curated group, referenced not redefined
    assert not any(e["id"] == "marketers" for e in facts["entities"])


def test_two_shares_in_one_sentence(extract):
    text = ("Dementsprechend glauben nur 14 Prozent der Führungskräfte im Marketing und 17 Prozent der "
            "IT-Chefs, dass ihre beiden Abteilungen integriert zusammenarbeiten.")
    facts, found = extract(text)
    assert [(f.extra["share"], text[f.extra["group"].span.start:f.extra["group"].span.end], f.role)
            for f in found["findings"]] == [(0.14, "Führungskräfte im Marketing", "cmo"), (0.17, "IT-Chefs", "cio")]
    assert {f.extra["proposition"].text for f in found["findings"]} == {
        "ihre beiden Abteilungen integriert zusammenarbeiten"}


def test_company_figures_are_not_findings(extract):
    _, found = extract("Etwa 50% unserer Kunden sind deshalb in Nordamerika. Wir haben mehr als 200.000 Kunden.")
    assert found["findings"] == []


@pytest.mark.parametrize("text, roles", [
    ("Nach wie vor hakt es bei der Zusammenarbeit von CMOs und CIOs.", ["cmo", "cio"]),
    ("51 Prozent der Marketing-Chefs sind demnach der Auffassung.", ["cmo"]),
    ("Der CMO klagt, der Chief Information Officer moniert.", ["cmo", "cio"]),
    ("Chief Marketing Officers and chief information officers disagree.", ["cmo", "cio"]),
    ("Nur 19 Prozent der IT-Leiter glauben das.", ["cio"]),
    ("Im digitalen Zeitalter müssen Marketing- und IT-Führungskräfte eng zusammenarbeiten.", ["cmo", "cio"]),
    ("Heads of IT and marketing executives met.", ["cio", "cmo"]),
    ("unsere Gründer Michael Neidhöfer (CEO), Christian Reitz (CTO) und Guido Moggert (CFO)",
     ["founder", "ceo", "cto", "cfo"]),
    ("Malte W. Wilkes ist Seniorpartner und Ehrenpräsident des BDU.", ["senior-partner", "honorary-president"]),
    ("(Bildquelle: Pixabay, CCO Public Domain)", []),
    ("Autor / Redakteur: Enrique Nuñez / Dr. Gesine Herzberger", []),
    # an abbreviation the article spells out as another title is not the role's
    ("Chief data officers are new. Three in four CDOs feel misunderstood, says the CIO.", ["cio"]),
    ("Der Chief Medical Officer (CMO) der Klinik und der CFO.", ["cfo"]),
    ("The Chief Digital Officer and the Chief Data Officer: both are called CDO.", ["cdo", "cdo"]),
    ("Acme's Chief Technical Officer (CTO) said the CTO role grows.", ["cto", "cto"]),  # another spelling
    ("Most CIOs now work with a Chief Innovation Officer. CIOs see it as a threat.", ["cio", "cio"]),
])
def test_role_mentions(extract, text, roles):
    _, found = extract("\n" + text)
    assert [m.role for m in found["roles"]] == roles
    for m in found["roles"]:
        assert ("\n" + text)[m.span.start:m.span.end] == m.text


@pytest.mark.parametrize("text, person, role, org, since", [
    ("„…“, sagt Daniel Weisbeck, seit 2012 Chief Marketing Officer bei Netbiscuits, eine Plattform.",
     "Daniel Weisbeck", "cmo", "Netbiscuits", 2012),
    ("Enrique Nuñez ist Marketing Manager DACH bei Rackspace.", "Enrique Nuñez", "marketing-manager",
     "Rackspace", None),
    ("Jane Doe, since 2015 Chief Marketing Officer at Acme Corp, said so.", "Jane Doe", "cmo", "Acme Corp", 2015),
    # a caption or signature: no comma between the name and the title
    ("Barnik Chitran Maitra Managing Partner, Arthur D Little India & South Asia, said: “It is so.”",
     "Barnik Chitran Maitra", "managing-partner", "Arthur D Little India & South Asia", None),
    ("„Das ist so“, so Jürgen Smid, Geschäftsführer von karriere.at. (red)", "Jürgen Smid", "ceo", "karriere.at", None),
    ("Präsentiert haben neben Ingeborg Neumann als Vizepräsidentin des Bundesverbandes der deutschen Industrie "
     "(Berlin) außerdem andere.", "Ingeborg Neumann", None, "Bundesverbandes der deutschen Industrie", None),
    ("„Das ist so“, sagt Dr. Peter Bartels, PwC-Vorstandsmitglied.", "Dr. Peter Bartels", None, "PwC", None),
    ("“It is so,” said Dominic Schofield, Senior Client Partner with Korn/Ferry’s Board Practice.", "Dominic Schofield",
     None, "Korn/Ferry’s Board Practice", None),
    # a caption's line, ending with the organization
    ("Intro.\nJane Doe, Managing Director, Acme Corp\nMore text.", "Jane Doe", None, "Acme Corp", None),
    ("Meinhard Platzer, CEO LGT Bank Österreich: „Österreich ist ein Unternehmer-Land.“", "Meinhard Platzer", "ceo",
     "LGT Bank Österreich", None),
    ("Raymond Chasenski, MD of executive search firm Leaders Unlimited, says so.", "Raymond Chasenski", None,
     "Leaders Unlimited", None),
    ("Intro.\nPresident of ADVAN, Kola Oyeyemi led a delegation.", "Kola Oyeyemi", None, "ADVAN", None),
    ("“It is so,” said Graeme Leach, IoD chief economist, in a statement.", "Graeme Leach", None, "IoD", None),
    ("“It is so,” said IoD chief economist, Graeme Leach. “We know.”", "Graeme Leach", None, "IoD", None),
    ("„Das ist so“, sagt Dr. Thomas Schlaak als Lead Sustainability Partner bei Deloitte.", "Dr. Thomas Schlaak", None,
     "Deloitte", None),
    ("Die Lage sei angespannt, sagte der Präsident des Hotel- und Gaststättenverbands (Dehoga), Guido Zöllick, in Berlin.",
     "Guido Zöllick", None, "Hotel- und Gaststättenverbands (Dehoga)", None),
    ("The risk, said Barry Mordsley, global co-head of the employment group at Salans.", "Barry Mordsley", None,
     "Salans", None),
    # the head of a field, not of the organization
    ("(Pictured: Mary Major, Head of Research, Gamma Group)", "Mary Major", None, "Gamma Group", None),
    ("„Das ist so“, erklärt Don Hammalian, Head of Sales Effectiveness Practice bei Proudfoot Consulting.",
     "Don Hammalian", None, "Proudfoot Consulting", None),
])
def test_posts(extract, text, person, role, org, since):
    facts, found = extract(text)
    [p] = [p for p in found["posts"] if p.extra["organization"]]
    assert (p.extra["person"].text, p.role, p.extra["organization"].text, p.extra["since"]) == (person, role, org, since)
    # a title the ontology has no role for is drafted as an affiliation
    [post] = facts["posts"] if role else facts["affiliations"]
    assert post.get("role") == role and post["quote"] in text


@pytest.mark.parametrize("text", [
    "Last year Acme hired the finance director, Jane Doe.",
    "Acme has no marketing director, Jane Doe said.",
    "In Berlin the former finance director, John Smith, said so.",
])
def test_no_post_where_no_title_is_stated(extract, text):
    _, found = extract(text)
    assert [p.text for p in found["posts"] if p.extra["organization"]] == []


@pytest.mark.parametrize("text, person, title, role", [
    ("Der oft gescholtene Wirtschaftsminister Johann Schneider-Ammann steigerte sich.", "Johann Schneider-Ammann",
     "Wirtschaftsminister", None),
    ("Their message goes to the Treasurer Wayne Swan.", "Wayne Swan", "Treasurer", None),
    ("Taoiseach Jane Murphy confirmed this week that she expects it.", "Jane Murphy", "Taoiseach", None),
    ("Attorney General Jane Murphy is currently scrutinising the text.", "Jane Murphy", "Attorney General", None),
    # a field before an English "head": no head of the organization
    ("According to PricewaterhouseCoopers wealth management head Andrew Wilson, many will retire.", "Andrew Wilson",
     "wealth management head", None),
])
def test_titles_before_a_name(extract, text, person, title, role):
    _, found = extract(text)
    assert [(p.extra["person"].text, p.extra["title"], p.role) for p in found["posts"] if p.confidence >= 0.5] == [
        (person, title, role)]


def test_hard_wrapped_lines_read_as_one(extract):
    """A sentence hard-wrapped over lines is read as one (its post, its finding's group); quotes
    and wordings stay exact spans of the text as given, line breaks included; the headline's line
    break still ends it."""
    text = ("Umfrage unter Marketingchefs\nAnton Priebe, 28. Juni 2019. Zwei Drittel der mehr\n"
            "als 1000 befragten Führungskräfte glauben das, sagt Uwe Becker, Geschäftsführer\n"
            "der Acme GmbH, die die Umfrage unter 80 Mitgliedern mit knapp\ndrei Vierteln ausgewertet hat.")
    facts, found = extract(text)
    [f, *_] = found["findings"]
    assert text[f.extra["group"].span.start:f.extra["group"].span.end] == "mehr\nals 1000 befragten Führungskräfte"
    assert [(p.extra["person"].text, p.role, p.extra["organization"] and p.extra["organization"].text)
            for p in found["posts"] if p.confidence >= 0.5] == [("Uwe Becker", "ceo", "Acme GmbH")]
    assert {item["wording"] for item in facts["findings"]} == {"Zwei Drittel", "knapp\ndrei Vierteln"}
    assert all(item["wording"] in item["quote"] and item["quote"] in text for item in facts["findings"])
    assert all(p["quote"] in text for p in facts["posts"])


def test_study_mentions(extract):
    facts, found = extract("Das zeigt die Studie „Marketing and IT: Overcoming a Cats-and-Dogs History“. "
                           "According to the Acme Digital Survey, 53 percent of CMOs agree.")
    titles = [s.extra["title"] or s.text for s in found["studies"]]
    assert titles == ["Marketing and IT: Overcoming a Cats-and-Dogs History", "Acme Digital Survey"]


def test_drafts_of_the_articles_are_valid_and_exact(ontology, documents):
    """Each article, extracted leave-one-out, gives a draft in the curation format whose every
    quote is cut out of the text: nothing is invented."""
    for doc in documents:
        others = [d for d in documents if d.id != doc.id]
        facts, found = draft(doc.text, doc.id, build_gazetteer(ontology, others),
                             {e.id for d in others for e in d.facts.entities})
        model = FactsFile.model_validate(facts)
        assert model.review.status == "unreviewed"
        for item in [*model.entities, *model.posts, *model.findings]:
            assert item.quote in doc.text
            if item.context:
                assert item.context in doc.text and item.quote in item.context
        for kind, mentions in found.items():
            for m in mentions:
                assert doc.text[m.span.start:m.span.end] == m.text, (kind, m)
        for m in model.review.role_mentions:
            assert doc.text[m.start:m.end] == m.text


# ---------------------------------------------------------------- bad input

def _bad_inputs(tmp_path: Path) -> dict[str, Path]:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_text("  \n\n ", encoding="utf-8")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Fast die Hälfte der Marketiers".encode("latin-1"))
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        f.write(b"a")
        f.truncate(10 * 1024 * 1024 + 1)
    return {"empty": empty, "blank": blank, "binary": binary, "not UTF-8": latin1, "10 MB": big}


@pytest.mark.parametrize("kind, message", [
    ("empty", "empty"), ("blank", "empty"), ("binary", "binary"), ("not UTF-8", "not UTF-8"),
    ("10 MB", "larger than the limit of 10 MB"),
])
def test_bad_input_is_refused(tmp_path, kind, message):
    path = _bad_inputs(tmp_path)[kind]
    with pytest.raises(InputError, match=message):
        read_article(path)


def test_bad_input_writes_nothing(tmp_path, capsys):
    data = tmp_path / "data"
    (data / "sources").mkdir(parents=True)
    (data / "facts").mkdir()
    for kind, path in _bad_inputs(tmp_path).items():
        out = tmp_path / f"{path.stem}.draft.yaml"
        assert main(["extract", str(path), "--out", str(out), "--data", str(ROOT / "data"),
                     "--ontology", str(ROOT / "ontology" / "erkg.ttl")]) == 1, kind
        assert not out.exists()
        assert main(["add", str(path), "--data", str(data), "--ontology", str(ROOT / "ontology" / "erkg.ttl"),
                     "--meta", "language=de"]) == 1, kind
        assert sorted(data.rglob("*")) == [data / "facts", data / "sources"], kind
        err = capsys.readouterr().err
        assert "erkg add: error:" in err and "erkg extract: error:" in err
    missing = tmp_path / "missing.txt"
    assert main(["extract", str(missing)]) == 1
    assert "file not found" in capsys.readouterr().err
