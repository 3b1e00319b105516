"""The pages' own words in English and German, and the reader's language.

The language is the `lang` query parameter if given (de or en), else the one the
reader chose last (the cookie COOKIE, which a page asked for with `lang` sets),
else the first of those two in Accept-Language, else English. Labels of the graph follow it;
the other language's label is shown alongside.
"""

from __future__ import annotations

from decimal import Decimal

from ..rest.registry import collect

LANGUAGES = ("en", "de")
DEFAULT = "en"

# The pages' own words; the names of the kinds, and of the fields of a relation the pages show
# (a post's person, title, since …), come from the REST API's resource specs (`_derived`).
WORDS: dict[str, dict[str, str]] = {
    "site": {"en": "ERKG – Executive Roles Knowledge Graph", "de": "ERKG – Wissensgraph der Führungsrollen"},
    "nav": {"en": "Site", "de": "Website"},
    "roles": {"en": "Roles", "de": "Rollen"},
    "findings": {"en": "Findings", "de": "Befunde"},
    "ontology": {"en": "Ontology", "de": "Ontologie"},
    "sparql": {"en": "SPARQL", "de": "SPARQL"},
    "language": {"en": "Language", "de": "Sprache"},
    "formats": {"en": "This resource as", "de": "Diese Ressource als"},
    "iri": {"en": "IRI", "de": "IRI"},
    "types": {"en": "Type", "de": "Typ"},
    "definition": {"en": "Definition", "de": "Definition"},
    "properties": {"en": "Properties", "de": "Eigenschaften"},
    "property": {"en": "Property", "de": "Eigenschaft"},
    "values": {"en": "Values", "de": "Werte"},
    "referenced_by": {"en": "Referenced by", "de": "Verwiesen von"},
    "provenance": {"en": "Provenance", "de": "Herkunft"},
    "rests_on": {"en": "This rests on the following passage.", "de": "Dies beruht auf der folgenden Textstelle."},
    "in_document": {"en": "in", "de": "in"},
    "show_in_source": {"en": "Show in the source text", "de": "Im Quelltext zeigen"},
    "characters": {"en": "characters", "de": "Zeichen"},
    "quotation": {"en": "Quotation", "de": "Zitat"},
    "sentence": {"en": "Sentence", "de": "Satz"},
    "quotations_in_sentence": {"en": "Quotations in this sentence", "de": "Zitate in diesem Satz"},
    "selectors": {"en": "Selectors", "de": "Selektoren"},
    "text_stored": {"en": "the stored text, {n} characters (shown in the source view)",
                    "de": "der gespeicherte Text, {n} Zeichen (in der Quellansicht)"},
    "more": {"en": "{n} more", "de": "{n} weitere"},
    "at_a_glance": {"en": "At a glance", "de": "Auf einen Blick"},
    "also_known_as": {"en": "Also known as", "de": "Auch genannt"},
    "leads": {"en": "Leads", "de": "Leitet"},
    "responsibilities": {"en": "Responsibilities", "de": "Verantwortungsbereiche"},
    "modality": {"en": "How", "de": "Wie"},
    "claimant": {"en": "According to", "de": "Laut"},
    "source": {"en": "Source", "de": "Quelle"},
    "via_group": {"en": "said of {group}", "de": "gesagt über {group}"},
    "posts": {"en": "Posts", "de": "Posten"},
    "role_findings": {"en": "Findings on respondent groups of this role", "de": "Befunde zu Befragtengruppen dieser Rolle"},
    "share": {"en": "Share", "de": "Anteil"},
    "relations": {"en": "Relations", "de": "Beziehungen"},
    "alignments": {"en": "Alignments", "de": "Entsprechungen"},
    "none": {"en": "none recorded", "de": "keine erfasst"},
    "all_statements": {"en": "All statements about this resource", "de": "Alle Aussagen über diese Ressource"},
    "text": {"en": "Text", "de": "Text"},
    "highlighted": {"en": "Highlighted: characters {start}–{end}", "de": "Hervorgehoben: Zeichen {start}–{end}"},
    "clear_highlight": {"en": "Remove the highlight", "de": "Hervorhebung entfernen"},
    "facts_here": {"en": "Resting on the highlighted passage", "de": "Auf der hervorgehobenen Stelle beruhend"},
    "facts_all": {"en": "Facts and entities curated from this text ({n})",
                  "de": "Aus diesem Text erfasste Fakten und Entitäten ({n})"},
    "offsets": {"en": "Characters", "de": "Zeichen"},
    "show": {"en": "show", "de": "zeigen"},
    "details": {"en": "details", "de": "Details"},
    "curated": {"en": "Fact or entity", "de": "Fakt oder Entität"},
    "findings_title": {"en": "Survey findings", "de": "Befunde der Studien"},
    "findings_intro": {"en": "What share of each respondent group agrees with each proposition, per study. "
                                "Dashed bars are bounds (less than, at least, almost), not exact values.",
                       "de": "Welcher Anteil jeder Befragtengruppe einer Aussage zustimmt, je Studie. "
                             "Gestrichelte Balken sind Schranken (weniger als, mindestens, fast), keine genauen Werte."},
    "all_studies": {"en": "All studies", "de": "Alle Studien"},
    "chart_title": {"en": "Shares of respondent groups per proposition – {study}",
                    "de": "Anteile der Befragtengruppen je Aussage – {study}"},
    "data_table": {"en": "The values of the chart", "de": "Die Werte des Diagramms"},
    "wording": {"en": "Wording in the source", "de": "Wortlaut der Quelle"},
    "bound": {"en": "a bound: less than, at least, almost", "de": "eine Schranke: weniger als, mindestens, fast"},
    "no_share": {"en": "Findings without a share", "de": "Befunde ohne Anteil"},
    "no_share_stated": {"en": "no share stated", "de": "kein Anteil genannt"},
    "about_group": {"en": "about {group}", "de": "über {group}"},
    "sample": {"en": "Sample", "de": "Stichprobe"},
    "no_findings": {"en": "No findings.", "de": "Keine Befunde."},
    "classes": {"en": "Classes", "de": "Klassen"},
    "datatypes": {"en": "Datatypes", "de": "Datentypen"},
    "object_properties": {"en": "Object properties", "de": "Objekteigenschaften"},
    "datatype_properties": {"en": "Data properties", "de": "Dateneigenschaften"},
    "annotation_properties": {"en": "Annotation properties", "de": "Annotationseigenschaften"},
    "concept_schemes": {"en": "Concept schemes and their concepts", "de": "Begriffsschemata und ihre Begriffe"},
    "contents": {"en": "Contents", "de": "Inhalt"},
    "subclass_of": {"en": "Subclass of", "de": "Unterklasse von"},
    "subproperty_of": {"en": "Subproperty of", "de": "Untereigenschaft von"},
    "domain": {"en": "Domain", "de": "Definitionsbereich"},
    "range": {"en": "Range", "de": "Wertebereich"},
    "characteristics": {"en": "Characteristics", "de": "Merkmale"},
    "version": {"en": "Version", "de": "Version"},
    "license": {"en": "License", "de": "Lizenz"},
    "english": {"en": "English", "de": "Englisch"},
    "german": {"en": "German", "de": "Deutsch"},
    "named_graph": {"en": "Named graph", "de": "Benannter Graph"},
    "graph_of": {"en": "The triples curated from {doc}", "de": "Die aus {doc} erfassten Tripel"},
    "triples": {"en": "Triples", "de": "Tripel"},
    "resources": {"en": "Resources", "de": "Ressourcen"},
    "segments": {"en": "{q} quotations and {s} sentences", "de": "{q} Zitate und {s} Sätze"},
    "not_found": {"en": "Not found", "de": "Nicht gefunden"},
    "not_found_text": {"en": "{iri} is not a resource of this graph.", "de": "{iri} ist keine Ressource dieses Graphen."},
    "anonymous": {"en": "(anonymous node)", "de": "(anonymer Knoten)"},
    "true": {"en": "yes", "de": "ja"},
    "home": {"en": "Home", "de": "Start"},
    "home_intro": {"en": "An open knowledge graph of who in a company's leadership is responsible for what, and "
                         "what studies say about it. Every fact is traced to the exact sentence of its source.",
                   "de": "Ein offener Wissensgraph darüber, wer in der Führung eines Unternehmens wofür "
                         "verantwortlich ist und was Studien darüber sagen. Jeder Fakt ist mit dem genauen Satz "
                         "seiner Quelle belegt."},
    "start_here": {"en": "Where to go", "de": "Einstiege"},
    "query_ui": {"en": "Query it with SPARQL", "de": "Mit SPARQL abfragen"},
    "query_ui_text": {"en": "the query editor; any SPARQL 1.1 client can use the same address",
                      "de": "der Abfrage-Editor; jeder SPARQL-1.1-Client kann dieselbe Adresse nutzen"},
    "rest_docs": {"en": "REST API", "de": "REST-API"},
    "rest_docs_text": {"en": "JSON lookups of roles, findings, persons …, documented with OpenAPI",
                       "de": "JSON-Abfragen von Rollen, Befunden, Personen …, mit OpenAPI dokumentiert"},
    "findings_text": {"en": "the survey findings as charts, per study",
                      "de": "die Befunde der Studien als Diagramme, je Studie"},
    "roles_text": {"en": "the executive roles and their concept scheme",
                   "de": "die Führungsrollen und ihr Begriffsschema"},
    "ontology_text": {"en": "every class, property and concept, in German and English",
                      "de": "jede Klasse, Eigenschaft und jeder Begriff, auf Deutsch und Englisch"},
    "description_link": {"en": "Service description", "de": "Dienstbeschreibung"},
    "description_text": {"en": "SPARQL service description and VoID statistics (Turtle)",
                         "de": "SPARQL-Dienstbeschreibung und VoID-Statistik (Turtle)"},
    "size": {"en": "What it holds", "de": "Was er enthält"},
    "downloads": {"en": "Downloads", "de": "Downloads"},
    "downloads_link_text": {"en": "the whole graph and the ontology as files", "de": "der ganze Graph und die Ontologie als Dateien"},
    "downloads_text": {"en": "The whole dataset and the ontology, as built. The ontology and the curated data are under "
                             "the licence named above; the stored source texts remain their authors' and publishers'.",
                       "de": "Der ganze Datenbestand und die Ontologie, wie gebaut. Ontologie und erfasste Daten stehen "
                             "unter der oben genannten Lizenz; die gespeicherten Quelltexte bleiben bei ihren Urhebern "
                             "und Verlagen."},
    "size_text": {"en": "{triples} triples in {graphs} named graphs. Instances per class:",
                  "de": "{triples} Tripel in {graphs} benannten Graphen. Instanzen je Klasse:"},
    "class": {"en": "Class", "de": "Klasse"},
    "instances": {"en": "Instances", "de": "Instanzen"},
    "sources": {"en": "Sources", "de": "Quellen"},
    "date": {"en": "Date", "de": "Datum"},
    "language_col": {"en": "Language", "de": "Sprache"},
    "not_stated": {"en": "not stated", "de": "nicht angegeben"},
    "quoted_sentences": {"en": "Quoted sentences", "de": "Zitierte Sätze"},
    "quotes_only_text": {"en": "This server shows the quoted sentences of the source texts only, not the full texts "
                               "(ERKG_SOURCE_TEXTS=quotes): the stored text has {n} characters; each quotation is "
                               "marked in its sentence.",
                         "de": "Dieser Server zeigt von den Quelltexten nur die zitierten Sätze, nicht die ganzen "
                               "Texte (ERKG_SOURCE_TEXTS=quotes): der gespeicherte Text hat {n} Zeichen; jedes Zitat "
                               "ist in seinem Satz hervorgehoben."},
    "texts_full": {"en": "This server shows the stored source texts in full (ERKG_SOURCE_TEXTS=full). Each document "
                         "states who holds the rights to its text.",
                   "de": "Dieser Server zeigt die gespeicherten Quelltexte vollständig (ERKG_SOURCE_TEXTS=full). "
                         "Jedes Dokument nennt, wer die Rechte an seinem Text hält."},
    "texts_quotes": {"en": "This server shows only the quoted sentences of the source texts, not the full texts "
                           "(ERKG_SOURCE_TEXTS=quotes); the downloads that hold the texts are not offered. Each "
                           "document states who holds the rights to its text.",
                     "de": "Dieser Server zeigt von den Quelltexten nur die zitierten Sätze, nicht die ganzen Texte "
                           "(ERKG_SOURCE_TEXTS=quotes); die Downloads, die die Texte enthalten, werden nicht "
                           "angeboten. Jedes Dokument nennt, wer die Rechte an seinem Text hält."},
    "cite": {"en": "How to cite", "de": "Zitieren"},
    "cite_text": {"en": "Cite the graph with its version; cite a fact by its IRI and the source it rests on.",
                  "de": "Den Graphen mit seiner Version zitieren; einen Fakt mit seiner IRI und der Quelle, auf "
                        "der er beruht."},
    "false": {"en": "no", "de": "nein"},
}



def _derived() -> dict[str, dict[str, str]]:
    names: dict[str, dict[str, str]] = {}
    for spec in collect():
        names[spec.kind] = dict(spec.names)
        names.update({f.key: dict(f.names) for f in spec.fields if f.names and f.key not in names})
    return names


STRINGS: dict[str, dict[str, str]] = {**_derived(), **WORDS}

# How a qualified share reads ("< 10 %"); {v} is the number with its percent sign.
QUALIFIED: dict[str, dict[str, str]] = {
    "exactly": {"en": "{v}", "de": "{v}"},
    "less-than": {"en": "< {v}", "de": "< {v}"},
    "at-least": {"en": "≥ {v}", "de": "≥ {v}"},
    "more-than": {"en": "> {v}", "de": "> {v}"},
    "at-most": {"en": "≤ {v}", "de": "≤ {v}"},
    "almost": {"en": "almost {v}", "de": "fast {v}"},
    "about": {"en": "≈ {v}", "de": "≈ {v}"},
}


class Words:
    """The strings of one language: words["key"] or words("key", n=3)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __getitem__(self, key: str) -> str:
        return STRINGS[key][self.lang]

    def __call__(self, key: str, **values: object) -> str:
        return STRINGS[key][self.lang].format(**values)


def percent(share: Decimal, lang: str) -> str:
    """0.53 -> "53 %", 0.125 -> "12.5 %" ("12,5 %" in German)."""
    value = (share * 100).normalize()
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if lang == "de":
        text = text.replace(".", ",")
    return f"{text} %"


def qualified(share: Decimal, qualifier: str, lang: str) -> str:
    pattern = QUALIFIED.get(qualifier, QUALIFIED["exactly"])[lang]
    return pattern.format(v=percent(share, lang))


COOKIE = "erkg-lang"


def chosen(value: str | None) -> str | None:
    """`value` as one of LANGUAGES, or None."""
    return value.lower() if value and value.lower() in LANGUAGES else None


def choose_language(requested: str | None, accept_language: str | None, remembered: str | None = None) -> str:
    if (lang := chosen(requested) or chosen(remembered)) is not None:
        return lang
    ranges = []
    for position, part in enumerate((accept_language or "").split(",")):
        fields = [f.strip() for f in part.split(";")]
        tag = fields[0].lower().split("-")[0]
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if tag in LANGUAGES and q > 0:
            ranges.append((-q, position, tag))
    return min(ranges)[2] if ranges else DEFAULT
