"""Candidate facts from a new article: a rule-based extractor writing a draft facts file in
the curation format (docs/curation.md).

- article.py: reading an article, and its text with sentences, paragraphs and quotes;
- gazetteer.py: what the extractor knows by name (the ontology's roles and departments, the
  curated groups and studies);
- shares.py, groups.py and persons.py: the grammar of share expressions, of respondent
  groups and of persons, titles and organizations;
- patterns/: one registered Pattern per kind of fact (roles, studies, findings, posts), which
  finds candidates, drafts them as curation models, reads its gold and scores itself;
- draft.py: the draft and the commands that write it (`erkg extract`, `erkg add`).

Everything extracted is a span of the text: its quote is cut out of the text, so nothing is
invented; a curator reviews the draft before it is built. No model or data is downloaded.
"""

from .article import InputError, Mention, read_article, slugify
from .draft import add_document, draft, dump_draft, extract_file, parse_meta
from .gazetteer import build_gazetteer, ontology_roles

__all__ = ["InputError", "Mention", "add_document", "build_gazetteer", "draft", "dump_draft", "extract_file",
           "ontology_roles", "parse_meta", "read_article", "slugify"]
