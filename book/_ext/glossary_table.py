"""The ``glossary-table`` directive: the glossary page's table, rendered from its data file.

In book/glossary.md::

    ```{glossary-table} glossary.yml
    ```

reads the records of the data file (path relative to the page) with ``read_glossary`` of
scripts/glossary.py, sorts them by their English term, and writes one Markdown table, which is
parsed like the rest of the page (MyST: math, roles). Each row is: English, 中文 (a ``*`` after
a term the sources do not use), the definition, and a link to where the term is introduced: the
page (``{doc}``, titled by Sphinx) or, for a link with a label, that section (``{ref}``, titled
with the page's title). Editing the data file rebuilds the page (it is a dependency of it).
"""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

_spec = importlib.util.spec_from_file_location(
    "book_glossary_data", Path(__file__).resolve().parents[2] / "scripts" / "glossary.py")
glossary = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(glossary)


def sort_key(record):
    """English term, case-folded, with δ spelled out and punctuation ignored ("δ-rule" as "delta rule")."""
    text = record["english"].casefold().replace("δ", "delta")
    return re.sub(r"[^\w ]+", " ", text).split()


def escape(text):
    """Markdown text with the emphasis character escaped (a Chinese term's ``*`` marker stays visible)."""
    return text.replace("*", r"\*")


def link(record):
    """The MyST role that links to where the record's term is introduced (absolute docnames)."""
    page, label = glossary.split_link(record)
    if label is None:
        return f"{{doc}}`/{page.relative_to(glossary.ROOT).with_suffix('').as_posix()}`"
    return f"{{ref}}`{glossary.page_title(page)} <{label}>`"


def markdown_table(records):
    """The glossary as one Markdown table, sorted by English term."""
    rows = ["| English | 中文 | meaning | introduced in |", "|---|---|---|---|"]
    for record in sorted(records, key=sort_key):
        chinese = " / ".join(term + ("" if in_sources else r"\*")
                             for term, in_sources in glossary.chinese_terms(record))
        rows.append(f"| {escape(record['english'])} | {chinese} | {record['definition']} "
                    f"| {link(record)} |")
    return "\n".join(rows)


class GlossaryTable(SphinxDirective):
    """Render the glossary data file named by the argument (relative to the page) as a table."""

    required_arguments = 1
    has_content = False

    def run(self):
        relpath, path = self.env.relfn2path(self.arguments[0], self.env.docname)
        self.env.note_dependency(relpath)
        table = self.parse_text_to_nodes(markdown_table(glossary.read_glossary(path)))
        # The Chinese edition translates the headings, definitions and links; the English and
        # Chinese terms are the same in both editions, so they are not messages (scripts/i18n.py).
        for body in (body for node in table for body in node.findall(nodes.tbody)):
            for entries in (row.children[:2] for row in body.children):
                for paragraph in (p for entry in entries for p in entry.findall(nodes.paragraph)):
                    paragraph["translatable"] = False
        return table


def setup(app):
    app.add_directive("glossary-table", GlossaryTable)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
