"""Read the glossary's data file, book/glossary.yml: one record per term.

The glossary page (book/glossary.md) is rendered from this file at build time by the
``glossary-table`` directive (book/_ext/glossary_table.py); tests/test_glossary.py checks it;
tests/test_pdf.py reads its Chinese terms. Any other reader should use ``read_glossary`` too
rather than parse the file itself. From a test, load this module by its path::

    import importlib.util
    spec = importlib.util.spec_from_file_location("glossary", ROOT / "scripts" / "glossary.py")
    glossary = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(glossary)
    for record in glossary.read_glossary():
        record["english"], glossary.chinese_terms(record), record["definition"], record["link"]

The four fields of a record, all one-line strings:

english
    The English term. A part in parentheses is a remark or abbreviation ("weight gradient
    (wgrad)"); several names of one idea are separated by " / " ("scatter / gather").
chinese
    The Chinese term as the five source articles write it; alternatives separated by " / ".
    A term followed by ``*`` does not occur in the articles: the usual Chinese term is given.
definition
    One line of MyST Markdown in the book's notation (book/notation.md); inline math is $...$.
    No "|" (it would split the table's cell): write ``\\lvert x\\rvert`` for an absolute value.
link
    Where the book introduces the term: a page, as a path relative to book/ with its suffix
    (``part2/pooling.ipynb``), optionally followed by ``#`` and a label that the page defines
    with a MyST target line ``(label)=`` (``part2/pooling.ipynb#pooling-ties``). With a label
    the glossary links to that section, otherwise to the page.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import NamedTuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
GLOSSARY = BOOK / "glossary.yml"
FIELDS = ("english", "chinese", "definition", "link")
LINK = re.compile(r"^(?P<page>[\w/.-]+\.(?:md|ipynb))(?:#(?P<label>[\w-]+))?$")


class ChineseTerm(NamedTuple):
    """One Chinese alternative of a record: the term, and whether the sources use it (no ``*``)."""

    term: str
    in_sources: bool


def read_glossary(path: str | Path = GLOSSARY) -> list[dict[str, str]]:
    """The records of the glossary data file, in file order.

    Parameters
    ----------
    path : str or Path
        The YAML file: a list of mappings, each with exactly the keys ``english``, ``chinese``,
        ``definition`` and ``link`` (see the module docstring).

    Returns
    -------
    list of dict
        One dict per term, mapping each of the four field names to a non-empty one-line string.

    Raises
    ------
    ValueError
        If the file is not such a list, naming the record (its position and English term) and
        the problem: a missing or unknown field, an empty, multi-line or non-string value, a
        "|" in a value, a malformed link, or an English term that occurs twice (compared
        without regard to case).
    """
    path = Path(path)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, list) or not data:
        raise ValueError(f"{path}: expected a non-empty list of records, got {type(data).__name__}")
    records, seen = [], {}
    for i, record in enumerate(data):
        where = f"{path.name}, record {i + 1}"
        if not isinstance(record, dict):
            raise ValueError(f"{where}: expected a mapping with the fields {FIELDS}, got {record!r}")
        where += f" ({record.get('english', '?')!r})"
        missing, unknown = set(FIELDS) - set(record), set(record) - set(FIELDS)
        if missing or unknown:
            raise ValueError(f"{where}: missing fields {sorted(missing)}, unknown fields {sorted(unknown)}")
        for field in FIELDS:
            value = record[field]
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"{where}: {field} must be a non-empty string, got {value!r}")
            if "\n" in value.strip() or value != value.strip():
                raise ValueError(f"{where}: {field} must be one line without surrounding spaces: {value!r}")
            if "|" in value:
                raise ValueError(f"{where}: {field} contains '|', which splits a table cell: {value!r}")
        if not LINK.match(record["link"]):
            raise ValueError(f"{where}: link must be 'page.md' or 'page.ipynb', optionally with "
                             f"'#label', relative to book/: {record['link']!r}")
        key = record["english"].casefold()
        if key in seen:
            raise ValueError(f"{where}: the English term occurs twice (also record {seen[key]})")
        seen[key] = i + 1
        chinese_terms(record)  # validates the alternatives
        records.append(dict(record))
    return records


def chinese_terms(record: dict[str, str]) -> list[ChineseTerm]:
    """The Chinese alternatives of a record, each with whether the sources use it.

    ``"sigmoid函数* / S型函数*"`` gives ``[ChineseTerm("sigmoid函数", False),
    ChineseTerm("S型函数", False)]``; ``"标签 / 真实标签"`` two terms with ``in_sources=True``.

    Raises
    ------
    ValueError
        If an alternative is empty, or has a ``*`` other than one at its end.
    """
    terms = []
    for alternative in record["chinese"].split(" / "):
        alternative = alternative.strip()
        term = alternative.removesuffix("*").strip()
        if not term or "*" in term:
            raise ValueError(f"{record['english']!r}: bad Chinese alternative {alternative!r} in "
                             f"{record['chinese']!r} (alternatives are separated by ' / ', a '*' ends one)")
        terms.append(ChineseTerm(term, not alternative.endswith("*")))
    return terms


CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def all_chinese_terms(path: str | Path = GLOSSARY) -> list[str]:
    """Every Chinese term of the glossary, without its "*", each once, in the glossary's order.

    Alternatives without a Chinese character ("mini-batch", "ReLU") are left out. Read by the PDF
    test (the terms must be printed) and by the Chinese search (book/_ext/search_terms.py).
    """
    terms = [term for record in read_glossary(path) for term, _ in chinese_terms(record) if CJK.search(term)]
    return list(dict.fromkeys(terms))


def english_terms(record: dict[str, str]) -> list[str]:
    """The English names of a record that its linked page must contain.

    Parenthesised parts are remarks or abbreviations and are dropped; the rest is split at
    " / ": ``"weight gradient (wgrad)"`` gives ``["weight gradient"]``, ``"scatter / gather"``
    gives ``["scatter", "gather"]``.
    """
    text = re.sub(r"\s*\([^)]*\)", "", record["english"])
    return [name.strip() for name in text.split(" / ") if name.strip()]


def split_link(record: dict[str, str]) -> tuple[Path, str | None]:
    """The linked page (a path under book/) and the label, or None for a link to the whole page."""
    match = LINK.match(record["link"])
    if match is None:
        raise ValueError(f"{record['english']!r}: malformed link {record['link']!r}")
    return BOOK / match["page"], match["label"]


def markdown_of(page: str | Path) -> str:
    """The Markdown of a page: a .md file's text, or a notebook's markdown cells joined by blank lines."""
    page = Path(page)
    text = page.read_text(encoding="utf-8")
    if page.suffix != ".ipynb":
        return text
    cells = json.loads(text)["cells"]
    return "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


def page_title(page: str | Path) -> str:
    """The first level-1 heading (``# ...``) of a page."""
    for line in markdown_of(page).splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    raise ValueError(f"{page} has no '# ' title")
