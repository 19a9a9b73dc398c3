"""The book as a PDF (`make pdf`), built with XeLaTeX into a temporary folder and read back.

The build is the one `make pdf` runs (jupyter-book's pdflatex builder, warnings as errors). The
tests read the PDF as text (poppler's pdftotext) and the LaTeX log, and check what a reader
would notice: a sane page count, no unresolved reference printed as "??", every chapter and
part title, the Chinese terms of the glossary, the glued numbers, the exercise solutions that
the HTML hides behind a toggle, every figure, and no glyph missing from the fonts.

Needs XeLaTeX, latexmk and poppler-utils: the Debian packages of README.md's PDF install line,
which .ci/run installs. Without them the tests are skipped with a message naming what is missing.
The build takes about a minute on two cores.
"""
import ast
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from repo_modules import load

ROOT = Path(__file__).resolve().parent.parent
PAGES = (60, 600)  # 262 pages on 2026-11-28; room for the book to grow (or shrink) a lot
TOOLS = ("xelatex", "latexmk", "pdftotext", "pdfinfo", "pdfimages")
MISSING = [tool for tool in TOOLS if shutil.which(tool) is None]

pytestmark = pytest.mark.skipif(
    bool(MISSING),
    reason=f"the PDF test needs {', '.join(MISSING)}: install the Debian packages named in README.md "
           "(section 'The book as a PDF'; .ci/run installs them)",
)

check_log = load("book/_latex/check_log.py")
toc = load("scripts/toc.py")
toc_files = toc.toc_files


# ---------------------------------------------------------------------------------------------
# What the PDF must contain, read from the sources


def part_captions(toc_path=ROOT / "_toc.yml"):
    """The captions of the parts in _toc.yml."""
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    return [part["caption"] for part in toc.get("parts", []) if part.get("caption")]


def markdown_sources(path):
    """The markdown of a page: the file itself, or a notebook's markdown cells."""
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        return ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown"]
    return [path.read_text(encoding="utf-8")]


def title(path):
    """The first `# ` heading of a page."""
    for text in markdown_sources(path):
        for line in text.splitlines():
            if line.startswith("# "):
                return line[2:].strip()
    raise AssertionError(f"{path.relative_to(ROOT)} has no '# ' title")


CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def chinese_glossary_terms(path=ROOT / "book" / "glossary.yml"):
    """The Chinese terms of the glossary (the data file the glossary page is rendered from)."""
    return load("scripts/glossary.py").all_chinese_terms(path)


GLUE_TEXT = re.compile(r"\{glue:text\}`([^`]+)`")
PLAIN_BEFORE = re.compile(r"([A-Za-z][A-Za-z ,;()-]{8,})$")  # no markup; no ' (LaTeX curls it)


def glued_texts(path):
    """``(needle, role)`` for every {glue:text} role of a notebook, as the PDF must print it.

    The value is the glued output's text/plain (stored by myst_nb.glue under its scrapbook mime
    prefix), formatted by the role's format spec. Where the
    role follows plain words on its line of markdown (no markup in between), the last of them
    are part of the needle, so that a short number is not found just anywhere.
    """
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    values = {}
    for cell in cells:
        for output in cell.get("outputs", []):
            scrapbook = output.get("metadata", {}).get("scrapbook", {})
            plain = output.get("data", {}).get(scrapbook.get("mime_prefix", "") + "text/plain")
            if "name" in scrapbook and plain is not None:
                values[scrapbook["name"]] = "".join(plain)
    found = []
    for text in markdown_sources(path):
        for match in GLUE_TEXT.finditer(text):
            name, _, spec = match.group(1).partition(":")
            assert name in values, f"{path.relative_to(ROOT)}: no stored glue output named {name!r}"
            value = format_glue(values[name], spec)
            line = text[text.rfind("\n", 0, match.start()) + 1:match.start()][-40:]
            before = PLAIN_BEFORE.search(line)
            context = " ".join(before.group(1).split()[-3:]) + " " if before else ""
            found.append((context + value, match.group(0)))
    return found


def format_glue(plain, spec):
    """A glued text/plain value as {glue:text}`name:spec` prints it (a Python literal, formatted)."""
    try:
        value = ast.literal_eval(plain)
    except (SyntaxError, ValueError):
        value = plain
    if not spec:
        return str(value)
    kind = spec[-1]
    try:
        if kind in "bcdoxX":
            value = int(value)
        elif kind in "eEfFgGn%":
            value = float(value)
        else:
            value = str(value)
    except ValueError as err:
        raise AssertionError(f"glued value {plain!r} cannot be formatted with {spec!r} "
                             "(neither can myst-nb: the book's build warns)") from err
    return format(value, spec)


def hidden_cells(path):
    """The first source line of every code cell tagged hide-cell/-input/-output (the solutions)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    lines = []
    for cell in cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell["cell_type"] == "code" and {"hide-cell", "hide-input"} & set(tags):
            first = next((line for line in "".join(cell["source"]).splitlines() if line.strip()), None)
            if first:
                lines.append(first)
    return lines


def image_outputs(path):
    """How many images a notebook's stored outputs hold."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return sum(1 for cell in cells for output in cell.get("outputs", [])
               if any(mime.startswith("image/") for mime in output.get("data", {})))


def squash(text):
    """Text without whitespace (lines, CJK spacing and wrapped cells differ), case folded."""
    return re.sub(r"\s+", "", text).casefold()


# ---------------------------------------------------------------------------------------------
# The build


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    """Build the PDF as `make pdf` does; return (pdf path, its text, the LaTeX log)."""
    out = tmp_path_factory.mktemp("pdf")
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    env = dict(os.environ, max_print_line="10000")  # unwrapped log lines
    run = subprocess.run([str(jupyter_book), "build", str(ROOT), "--builder", "pdflatex", "--path-output", str(out),
                          "--warningiserror", "--nitpick", "--keep-going"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200)
    latex = out / "_build" / "latex"
    assert run.returncode == 0, f"the PDF build failed:\n{run.stdout[-4000:]}\n{run.stderr[-4000:]}"
    book = latex / "book.pdf"
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(book), "-"], capture_output=True, text=True,
                          check=True).stdout
    return book, text, check_log.read_log(latex / "book.log")


def test_page_count_is_sane(pdf):
    info = subprocess.run(["pdfinfo", str(pdf[0])], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))
    assert PAGES[0] <= pages <= PAGES[1], f"{pages} pages, expected {PAGES[0]} to {PAGES[1]}"


def test_no_unresolved_reference(pdf):
    _, text, log = pdf
    assert check_log.undefined_references(log) == []
    unresolved = [line for line in text.splitlines() if "??" in line]
    assert unresolved == [], f"'??' printed for an unresolved reference: {unresolved[:5]}"


def test_no_missing_glyph(pdf):
    assert check_log.missing_glyphs(pdf[2]) == []


def test_every_title_is_in_the_pdf(pdf):
    text = squash(pdf[1])
    titles = [title(path) for path in toc_files()] + part_captions()
    missing = []
    for heading in titles:
        # inline markup does not reach the PDF's text; math is compared outside $...$ only
        pieces = re.split(r"\$[^$]*\$", heading.replace("`", "").replace("*", ""))
        if not all(squash(piece) in text for piece in pieces):
            missing.append(heading)
    assert missing == [], f"titles not found in the PDF's text: {missing}"


def test_glossary_chinese_terms_are_in_the_pdf(pdf):
    terms = chinese_glossary_terms()
    assert len(terms) >= 20, f"only {len(terms)} Chinese terms read from the glossary: is the reader right?"
    text = squash(pdf[1])
    missing = [term for term in terms if squash(term) not in text]
    assert missing == [], f"Chinese glossary terms not in the PDF's text: {missing}"


def unhyphenate(text):
    """Squashed text without the hyphens inside words: pdftotext drops the hyphen of "edge-like"
    when a line ends there, so "edge-like" and "edgelike" must compare equal (a minus sign,
    between digits or before one, stays)."""
    return re.sub(r"(?<=[^\W\d_])-(?=[^\W\d_])", "", squash(text))


def test_glued_values_are_in_the_pdf(pdf):
    text = unhyphenate(pdf[1])
    notebooks = [path for path in toc_files() if path.suffix == ".ipynb"]
    glued = [(path, needle, role) for path in notebooks for needle, role in glued_texts(path)]
    assert glued, "no {glue:text} role found in the book"
    missing = [f"{path.relative_to(ROOT)}: {role} -> {needle!r}" for path, needle, role in glued
               if unhyphenate(needle) not in text]
    assert missing == [], "glued values not printed in the PDF:\n" + "\n".join(missing)


def test_hidden_solution_cells_are_printed(pdf):
    text = squash(pdf[1])
    notebooks = [path for path in toc_files() if path.suffix == ".ipynb"]
    hidden = [(path, line) for path in notebooks for line in hidden_cells(path)]
    assert hidden, "no hide-cell code cell found in the book"
    # the first 40 characters: a longer line may be wrapped in the PDF, with a continuation mark
    missing = [f"{path.relative_to(ROOT)}: {line}" for path, line in hidden if squash(line)[:40] not in text]
    assert missing == [], "hidden (solution) cells missing from the PDF:\n" + "\n".join(missing)


def test_every_figure_is_in_the_pdf(pdf):
    listing = subprocess.run(["pdfimages", "-list", str(pdf[0])], capture_output=True, text=True,
                             check=True).stdout.splitlines()[2:]
    images = sum(1 for row in listing if row.split()[2] == "image")
    expected = sum(image_outputs(path) for path in toc_files() if path.suffix == ".ipynb")
    expected += sum(len(re.findall(r"!\[[^]]*\]\(|```\{(?:figure|image)\}", text))
                    for path in toc_files() for text in markdown_sources(path))
    assert images == expected, f"{images} images in the PDF, {expected} in the book's sources"


# ---------------------------------------------------------------------------------------------
# The Chinese edition's PDF (`make pdf-zh`)


@pytest.fixture(scope="module")
def pdf_zh(tmp_path_factory):
    """Build the Chinese PDF as `make pdf-zh` does; return (pdf path, its text, the LaTeX log)."""
    out = tmp_path_factory.mktemp("pdf-zh")
    env = dict(os.environ, max_print_line="10000")
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "i18n.py"), "pdf", "zh_CN", "--path-output", str(out)],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200)
    assert run.returncode == 0, f"the Chinese PDF build failed:\n{run.stdout[-4000:]}\n{run.stderr[-4000:]}"
    latex = out / "_build" / "i18n" / "zh_CN" / "_build" / "latex"
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(latex / "book.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    return latex / "book.pdf", text, check_log.read_log(latex / "book.log")


def test_chinese_pdf_has_every_glyph_and_reference(pdf_zh):
    _, text, log = pdf_zh
    assert check_log.missing_glyphs(log) == []
    assert check_log.undefined_references(log) == []
    assert [line for line in text.splitlines() if "??" in line] == []


def test_chinese_pdf_has_the_chinese_titles(pdf_zh):
    """Every page's title, as its catalog translates it, is in the Chinese PDF, and the English
    titles of three words or more are not (outside the API reference's docstrings): the PDF is
    the translated edition, not the English one."""
    from babel.messages.pofile import read_po

    text = squash(pdf_zh[1])
    folder = ROOT / "locales" / "zh_CN" / "LC_MESSAGES"
    missing, english_left, titles = [], [], {}
    for path in toc_files():
        page = path.relative_to(ROOT).with_suffix("").as_posix()
        with open(folder / f"{page}.po", "rb") as file:
            catalog = read_po(file)
        english = title(path)
        message = catalog.get(english)
        assert message is not None and message.string, f"{page}: the title {english!r} has no translation"
        pieces = re.split(r"\$[^$]*\$", message.string.replace("`", "").replace("*", ""))
        if not all(squash(piece) in text for piece in pieces):
            missing.append(message.string)
        titles[page] = (english, message.string)
    # English titles of three words or more (a one-word title such as "Losses" also names code),
    # before the API reference, whose docstrings (bplib's code) stay English and name chapters
    before_api = text[:text.rindex(squash(titles["book/bplib_api"][1]))]
    for english, chinese in titles.values():
        if len(english.split()) >= 3 and CJK.search(chinese) and squash(english) in before_api:
            english_left.append(english)
    assert missing == [], f"Chinese titles not found in the Chinese PDF's text: {missing}"
    # the chapter heading of the introduction comes from the edition's configuration (scripts/i18n.py)
    assert "引言" in text and "introduction" not in text
    assert english_left == [], f"English titles in the Chinese PDF: {english_left}"
