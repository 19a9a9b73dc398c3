"""The Chinese edition: build it, and read its message catalogs.

The book is translated with Sphinx's internationalisation: ``make gettext`` extracts the English
messages of every page (paragraphs, headings, list items, table cells, admonition titles) from
the built doctree into one template per page, and sphinx-intl merges them into one catalog per
page, locales/zh_CN/LC_MESSAGES/<page>.po, where the translators write the Chinese. The Chinese
edition is the same book built with ``language: zh_CN``: Sphinx replaces each message by its
translation. Which nodes are messages, and how a notebook's translated message is parsed, is
decided by book/_ext/i18n_notebooks.py; the language switch by book/_ext/editions.py.

Usage::

    python scripts/i18n.py gettext [--path-output DIR]       # extract, then update the catalogs (make gettext)
    python scripts/i18n.py extract [--path-output DIR]       # only extract: DIR/_build/i18n/pot/_build/gettext
    python scripts/i18n.py build zh_CN [--path-output DIR]   # the Chinese edition (make book)
    python scripts/i18n.py pdf zh_CN [--path-output DIR]     # the Chinese PDF (make pdf-zh)
    python scripts/i18n.py stats                             # messages per page, translated or not

``extract`` builds the book with Sphinx's gettext builder (the notebooks are not executed: it
takes seconds) into one template per page; ``gettext`` then merges the templates into the
catalogs with sphinx-intl: a new message is added untranslated, a changed one is marked fuzzy
with the old translation as a starting point, a removed one is kept at the end as obsolete
(``#~``), for reuse. tests/test_translation.py extracts the same way and compares.

``build`` writes the edition's configuration (``_config.yml`` with ``language`` set; nothing
else differs, so the editions cannot drift apart), builds with jupyter-book into
DIR/_build/i18n/<language>/, warnings as errors, and copies the HTML into the English site,
DIR/_build/html/<path> (``book_editions`` in _config.yml: ``zh`` for zh_CN), so that one site
holds both editions and the language switch is a relative link that works from file://.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "_config.yml"
LOCALES = ROOT / "locales"
JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"
STRICT = ["--warningiserror", "--nitpick", "--keep-going"]


def editions(config_path: Path = CONFIG) -> dict[str, dict]:
    """The editions of the book, ``{language: {"path": ..., "label": ...}}``, from _config.yml.

    ``path`` is where the edition's HTML lives relative to the English site (``"."`` for the
    English edition itself), ``label`` the text of the link that leads to it.
    """
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    found = config.get("sphinx", {}).get("config", {}).get("book_editions")
    if not isinstance(found, dict) or not found:
        raise ValueError(f"{config_path}: sphinx.config.book_editions must map each language to its path and label")
    return found


def edition_config(language: str, config_path: Path = CONFIG) -> dict:
    """The jupyter-book configuration of one edition: _config.yml with ``language`` set.

    The local extensions' folders become absolute, because jupyter-book resolves them from the
    folder of the configuration file, which for a generated one is not the repository's.
    """
    if language not in editions(config_path):
        raise ValueError(f"language must be one of {sorted(editions(config_path))} (book_editions "
                         f"in {config_path.name}), got {language!r}")
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    sphinx = config.setdefault("sphinx", {})
    sphinx["local_extensions"] = {name: str((config_path.parent / folder).resolve())
                                  for name, folder in (sphinx.get("local_extensions") or {}).items()}
    sphinx.setdefault("config", {})["language"] = language
    _translate_front_matter(config, editions(config_path)[language], language, config_path.parent)
    return config


def _translate_front_matter(config: dict, edition: dict, language: str, root: Path) -> None:
    """The words of the configuration itself in the edition's language: the book's title (as the
    root page's catalog translates it), and the PDF's author line, "Introduction" chapter heading
    and bibliography heading (``pdf`` of the edition in ``book_editions``). In a Chinese PDF the quotation marks,
    dashes and ellipsis take the Chinese font: the preamble line that gives them the Latin font
    of the English book is left out."""
    words = edition.get("pdf") or {}
    if not words:
        return
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    catalog_path = root / "locales" / language / "LC_MESSAGES" / f"{toc['root']}.po"
    if catalog_path.exists():
        message = read_catalog(catalog_path).get(config.get("title", ""))
        if message is not None and message.string and not message.fuzzy:
            config["title"] = message.string
    config["author"] = words.get("author", config.get("author"))
    elements = config.get("sphinx", {}).get("config", {}).get("latex_elements", {})
    if "tableofcontents" in elements and "introduction" in words:
        elements["tableofcontents"] = elements["tableofcontents"].replace("Introduction", words["introduction"])
    if "preamble" in elements and "bibliography" in words:
        # LaTeX's heading of the bibliography (the bibliography page has no heading of its own in
        # the PDF), set after babel sets its English one at \begin{document}
        elements["preamble"] += f"\\AtBeginDocument{{\\renewcommand{{\\bibname}}{{{words['bibliography']}}}}}\n"
    if "preamble" in elements and words.get("cjk_punctuation"):
        elements["preamble"] = "\n".join(line for line in elements["preamble"].splitlines()
                                         if "xeCJKDeclareCharClass" not in line and "in this English book" not in line
                                         and "shared with English;" not in line) + "\n"


def _jupyter_book(language: str, out: Path, builder: list[str]) -> subprocess.CompletedProcess:
    """Run jupyter-book on the edition's configuration, output in ``out/_build``."""
    out.mkdir(parents=True, exist_ok=True)
    config = out / f"_config.{language}.yml"
    config.write_text(yaml.safe_dump(edition_config(language), allow_unicode=True, sort_keys=False),
                      encoding="utf-8")
    return subprocess.run([str(JUPYTER_BOOK), "build", str(ROOT), "--config", str(config),
                           "--path-output", str(out), *builder, *STRICT], cwd=ROOT)


def extract(path_output: Path = ROOT) -> Path:
    """Extract the English messages of every page into DIR/_build/i18n/pot; return the templates' folder."""
    out = Path(path_output) / "_build" / "i18n" / "pot"
    pots = out / "_build" / "gettext"
    shutil.rmtree(pots, ignore_errors=True)  # no template of a page that is gone
    run = subprocess.run([str(JUPYTER_BOOK), "build", str(ROOT), "--path-output", str(out),
                          "--builder", "custom", "--custom-builder", "gettext", *STRICT], cwd=ROOT)
    if run.returncode != 0:
        raise SystemExit("the extraction of the messages failed (the messages above say why)")
    return pots


def update(pots: Path, language: str = "zh_CN", locales: Path = LOCALES) -> None:
    """Merge the templates into the language's catalogs with sphinx-intl (see the module docstring)."""
    subprocess.run([str(Path(sys.executable).parent / "sphinx-intl"), "update", "--pot-dir", str(pots),
                    "--locale-dir", str(locales), "--language", language], check=True)


def build(language: str, path_output: Path = ROOT) -> Path:
    """Build one edition's HTML and copy it into the English site; return its folder there."""
    out = Path(path_output) / "_build" / "i18n" / language
    if _jupyter_book(language, out, []).returncode != 0:
        raise SystemExit(f"the {language} edition did not build (the messages above say why)")
    site = Path(path_output) / "_build" / "html" / editions()[language]["path"]
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(out / "_build" / "html", site)
    return site


def pdf(language: str, path_output: Path = ROOT) -> Path:
    """Build one edition's PDF with XeLaTeX; return its path."""
    out = Path(path_output) / "_build" / "i18n" / language
    book = out / "_build" / "latex" / "book.pdf"
    book.unlink(missing_ok=True)
    if _jupyter_book(language, out, ["--builder", "pdflatex"]).returncode != 0:
        book.unlink(missing_ok=True)
        raise SystemExit(f"the {language} PDF did not build (the messages above say why)")
    return book


def catalogs(language: str = "zh_CN", locales: Path = LOCALES) -> dict[str, Path]:
    """The catalog of each page, ``{page: path}``; a page is its path without suffix (``book/intro``)."""
    folder = locales / language / "LC_MESSAGES"
    return {path.relative_to(folder).with_suffix("").as_posix(): path for path in sorted(folder.rglob("*.po"))}


def read_catalog(path: Path):
    """A .po or .pot file as a babel Catalog (iterate it for its messages; the header is skipped)."""
    with open(path, "rb") as file:
        return read_po(file)


def messages(path: Path) -> list:
    """The messages of a catalog, without its header."""
    return [message for message in read_catalog(path) if message.id]


def stats(language: str = "zh_CN") -> list[tuple[str, int, int, int]]:
    """(page, messages, translated, fuzzy) for every catalog of the language."""
    rows = []
    for page, path in catalogs(language).items():
        found = messages(path)
        rows.append((page, len(found), sum(1 for m in found if m.string and not m.fuzzy),
                     sum(1 for m in found if m.fuzzy)))
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("build", "pdf", "gettext", "extract"):
        command = commands.add_parser(name)
        if name in ("build", "pdf"):
            command.add_argument("language")
        command.add_argument("--path-output", type=Path, default=ROOT)
    commands.add_parser("stats")
    args = parser.parse_args(argv)
    if args.command == "extract":
        print(f"The templates: {extract(args.path_output)}")
    elif args.command == "gettext":
        update(extract(args.path_output))
    elif args.command == "build":
        print(f"The {args.language} edition: {build(args.language, args.path_output)}")
    elif args.command == "pdf":
        print(f"The {args.language} PDF: {pdf(args.language, args.path_output)}")
    else:
        rows = stats()
        width = max(len(page) for page, *_ in rows)
        for page, total, done, fuzzy in rows:
            print(f"{page:<{width}}  {total:4d} messages  {done:4d} translated  {fuzzy:3d} fuzzy")
        print(f"{'total':<{width}}  {sum(r[1] for r in rows):4d} messages  {sum(r[2] for r in rows):4d} translated  "
              f"{sum(r[3] for r in rows):3d} fuzzy")


if __name__ == "__main__":
    main()
