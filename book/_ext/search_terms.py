"""The Chinese edition's search knows the glossary's terms.

Sphinx's Chinese search index segments the text with jieba (``jieba.cut_for_search``), whose
dictionary does not hold every term of this book: "反向传播" (backpropagation) comes out as
"反向" and "传播" only, so a reader who searches for 反向传播 finds nothing. When the book is built
in Chinese, this extension writes the Chinese terms of the glossary (book/glossary.yml, read by
scripts/glossary.py) into a jieba user dictionary and points Sphinx's ``html_search_options``
at it: jieba then indexes each term whole, and its parts as before.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def glossary_terms() -> list[str]:
    """The Chinese terms of the glossary (``all_chinese_terms`` of scripts/glossary.py)."""
    spec = importlib.util.spec_from_file_location("glossary", ROOT / "scripts" / "glossary.py")
    glossary = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(glossary)
    return glossary.all_chinese_terms()


def _configure(app, config):
    if not (config.language or "").startswith("zh"):
        return
    path = Path(app.doctreedir) / "jieba_glossary.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    # jieba's user dictionary: one word per line, a frequency high enough to keep it whole
    path.write_text("".join(f"{term.replace(' ', '')} 100000\n" for term in glossary_terms()), encoding="utf-8")
    config.html_search_options = {**(config.html_search_options or {}), "dict": str(path)}


def setup(app):
    app.connect("config-inited", _configure)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
