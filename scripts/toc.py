"""The pages of the book, in reading order, from its table of contents _toc.yml.

Used by the tests that check every page (tests/test_glossary.py, tests/test_pdf.py). Load it by
its path, like scripts/glossary.py.
"""
from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def toc_pages(toc_path: Path = ROOT / "_toc.yml") -> list[str]:
    """The pages of _toc.yml in reading order, the root first: paths relative to the repository,
    without suffix (``book/part1/losses``)."""
    toc = yaml.safe_load(Path(toc_path).read_text(encoding="utf-8"))
    pages = [toc["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                pages.append(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(toc.get("parts", toc.get("chapters", [])))
    return pages


def toc_files(toc_path: Path = ROOT / "_toc.yml") -> list[Path]:
    """The source file (.md or .ipynb) of every page of ``toc_pages``, in the same order.

    Raises
    ------
    FileNotFoundError
        If _toc.yml names a page that is neither a .md nor an .ipynb file.
    """
    root = Path(toc_path).resolve().parent
    files = []
    for page in toc_pages(toc_path):
        found = [root / (page + ext) for ext in (".md", ".ipynb") if (root / (page + ext)).exists()]
        if not found:
            raise FileNotFoundError(f"_toc.yml lists {page}, which is neither a .md nor an .ipynb file")
        files.append(found[0])
    return files
