"""LaTeX-only adjustments of the document tree for the PDF book (`make pdf`).

Each transform below acts only when the builder is LaTeX; the HTML build is untouched.

* ``ShowHiddenCells``: sphinx-jupyterbook-latex drops every notebook cell tagged ``hide-cell``,
  ``hide-input`` or ``hide-output`` from the PDF. In this book those cells hold the exercise
  solutions, which HTML readers unfold with a toggle and paper readers must see, so the tags'
  classes are removed before it looks for them.
* ``FitLongTables``: a table of more than 30 rows becomes a ``longtable`` whose columns Sphinx
  sets to their natural width (``l``), so a table with a column of sentences (the glossary)
  runs off the page; a shorter but tall table cannot break across pages and leaves a half-empty
  page. Such tables get ragged-right paragraph columns that fill the line, each as wide as the
  text in it asks for, and may break across pages.
* ``ShrinkWideTables``: a table of eight or more columns is set in 8 pt with narrower gaps.
* ``FitOutputMath``: an equation printed by a cell that is wider than the line is scaled
  down to the line (SymPy's expansions can be several lines long).
* ``CheckHtmlFallback``: a raw HTML block (the app of an interactive page) is dropped from the
  PDF; it must have an ``{only} latex`` block beside it, its static fallback, or a warning says so.
* ``DropEmptyChapters``: Sphinx gathers the bibliography at the end of the document under its
  own heading, which leaves the chapter of the page that holds the ``{bibliography}``
  directive with a title and nothing else. An empty chapter is removed; its labels stay.
"""
import re
import unicodedata

from docutils import nodes
from sphinx import addnodes
from sphinx.builders.latex import LaTeXBuilder
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

logger = logging.getLogger(__name__)

HIDE_CLASSES = ("tag_hide-cell", "tag_hide-input", "tag_hide-output")
LONGTABLE_ROWS = 30  # Sphinx's LaTeX writer turns a table with more rows into a longtable
WIDE_TABLE_COLUMNS = 8  # from this many columns on, a table is set smaller and tighter
WIDE_TABLE_FONT = r"\footnotesize\setlength{\tabcolsep}{3pt}"


class _LatexOnly(SphinxPostTransform):
    def run(self, **kwargs):
        if isinstance(self.app.builder, LaTeXBuilder):
            self.apply_latex()

    def apply_latex(self):
        raise NotImplementedError


class ShowHiddenCells(_LatexOnly):
    """Strip the hide-* tag classes from cell containers."""

    default_priority = 390  # before sphinx-jupyterbook-latex's MystNbPostTransform (400)

    def apply_latex(self):
        for node in self.document.findall(nodes.container):
            classes = node.get("classes", [])
            if any(c in classes for c in HIDE_CLASSES):
                node["classes"] = [c for c in classes if c not in HIDE_CLASSES]


def text_width(text):
    """Width of ``text`` in units of a Latin letter: CJK (wide) characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def math_width(source):
    r"""Rough printed width of inline LaTeX math, in letters: ``\partial`` is one, braces none."""
    source = re.sub(r"\\(?:text|mathrm|mathbf|operatorname)\s*\{([^{}]*)\}", r"\1", source)
    source = re.sub(r"\\[A-Za-z]+", "x", source)
    return text_width(re.sub(r"[{}^_\\\s]", "", source))


def measure_cell(entry):
    """``(width, unbreakable)`` of a table cell in letters: its whole text, and its longest
    word or inline equation (which LaTeX cannot break)."""
    width = longest = 0
    for node in entry.findall(nodes.math):
        w = math_width(node.astext())
        width, longest = width + w, max(longest, w)
    for node in entry.findall(nodes.Text):
        if any(isinstance(parent, nodes.math) for parent in _ancestors(node)):
            continue
        width += text_width(node.astext())
        longest = max([longest] + [text_width(word) for word in node.astext().split()])
    return width, longest


def _ancestors(node):
    while node.parent is not None:
        node = node.parent
        yield node


def column_widths(rows, ncols, line=95, pad=3, short=15, wider=1.2):
    """Fractions of the line width (summing to 1) for ``ncols`` columns of a table.

    ``rows`` holds a ``(width, unbreakable)`` pair (``measure_cell``) for each cell; ``line`` is
    the number of Latin letters a 9 pt line holds, ``pad`` the room between two columns, in
    letters, and ``wider`` the margin for letters wider than average (digits, bold headers). A
    column whose longest cell is short (at most ``short`` letters: labels, numbers, names) gets
    that width, so that it does not wrap; the other columns share the rest of the line in
    proportion to the 90th percentile of their cells (one long cell does not decide), each
    asking for at most half a line and getting at least its longest word or equation. If the
    short columns alone would take most of the line, all columns share it in proportion.
    """
    asks, least, fixed = [], [], []
    for j in range(ncols):
        widths = sorted(row[j][0] for row in rows) or [0]
        p90 = widths[min(len(widths) - 1, int(0.9 * len(widths)))]
        fixed.append(widths[-1] <= short)
        asks.append((widths[-1] * wider if fixed[-1] else min(max(p90, short), line / 2)) + pad)
        least.append(max(row[j][1] for row in rows) * wider + pad)
    rest = line - sum(a for a, f in zip(asks, fixed) if f)
    wide = sum(a for a, f in zip(asks, fixed) if not f)
    if not wide or rest < 0.4 * line:
        sizes = [a * line / sum(asks) for a in asks]
    else:
        sizes = [a if f else a * rest / wide for a, f in zip(asks, fixed)]
    short_of = sum(max(m - w, 0) for m, w in zip(least, sizes))
    spare = sum(max(w - m, 0) for m, w in zip(least, sizes))
    if 0 < short_of <= spare:  # widen the columns whose longest word does not fit
        sizes = [m if w < m else w - (w - m) * short_of / spare for m, w in zip(least, sizes)]
    return [w / sum(sizes) for w in sizes]


def estimated_lines(rows, fractions, line=95, pad=3):
    """How many lines of text a table takes with columns of these ``fractions`` of the line."""
    return sum(max(-(-width // max(f * line - pad, 1)) or 1 for (width, _), f in zip(row, fractions))
               for row in rows)


class FitLongTables(_LatexOnly):
    """Make long and tall tables longtables with ragged-right columns that fill the line.

    A table of more than 30 rows is a ``longtable`` whose columns Sphinx sets to their natural
    width (``l``), so a column of sentences runs off the page. A shorter table is a ``tabulary``,
    which cannot break across pages: a tall one leaves the rest of its page empty. Both get
    paragraph columns sized by ``column_widths`` and may break across pages.
    """

    default_priority = 800
    tall = 25  # lines of text from which a table may break across pages

    def apply_latex(self):
        for table in list(self.document.findall(nodes.table)):
            if "colwidths-given" in table["classes"]:
                continue
            if isinstance(table.previous_sibling(), addnodes.tabular_col_spec):
                continue
            tgroup = next(iter(table.findall(nodes.tgroup)), None)
            if tgroup is None:
                continue
            ncols = len([c for c in tgroup.children if isinstance(c, nodes.colspec)])
            rows = [[measure_cell(entry) for entry in row.findall(nodes.entry)]
                    for row in tgroup.findall(nodes.row)]
            if not ncols or not rows or any(len(row) != ncols for row in rows):
                continue  # spanning cells: leave the table to Sphinx
            fractions = column_widths(rows, ncols)
            if len(rows) <= LONGTABLE_ROWS and estimated_lines(rows, fractions) <= self.tall:
                continue
            spec = "".join(r">{\raggedright\arraybackslash}\Y{%.3f}" % f for f in fractions)
            table.parent.insert(table.parent.index(table), addnodes.tabular_col_spec(spec=spec))
            table["classes"].append("longtable")


class ShrinkWideTables(_LatexOnly):
    """Set a table of many columns in a smaller font with less space between columns.

    The preamble sets every table in ``\\bpTableFont`` (9 pt); around a wide table that
    macro is redefined in a group, so ten columns of numbers and names fit the line.
    """

    default_priority = 800

    def apply_latex(self):
        for table in list(self.document.findall(nodes.table)):
            tgroup = next(iter(table.findall(nodes.tgroup)), None)
            if tgroup is None or int(tgroup.get("cols", 0)) < WIDE_TABLE_COLUMNS:
                continue
            parent, index = table.parent, table.parent.index(table)
            if isinstance(table.previous_sibling(), addnodes.tabular_col_spec):
                index -= 1  # the spec must stay right before the table
            begin = r"\begingroup\def\bpTableFont{%s}" % WIDE_TABLE_FONT
            parent.insert(index, nodes.raw("", begin, format="latex"))
            parent.insert(parent.index(table) + 1, nodes.raw("", r"\endgroup", format="latex"))


def _is_latex_fallback(node):
    return isinstance(node, addnodes.only) and "latex" in node.get("expr", "")


class CheckHtmlFallback(_LatexOnly):
    """Warn about a raw HTML block (an interactive page's app) that has no PDF fallback.

    LaTeX cannot typeset HTML, and Sphinx drops such a block from the PDF without a word. A
    page gives the PDF its static fallback in an ``{only} latex`` block next to the HTML one;
    a block without one is reported (and `make pdf`, warnings being errors, fails).
    """

    default_priority = 40  # before Sphinx resolves the ``only`` blocks (50)

    def apply_latex(self):
        for raw in list(self.document.findall(nodes.raw)):
            if "html" not in raw.get("format", "").split() or "\n" not in raw.astext().strip():
                continue  # not HTML, or inline markup such as <br>
            siblings, index = raw.parent.children, raw.parent.index(raw)
            neighbours = siblings[max(index - 1, 0):index] + siblings[index + 1:index + 2]
            if not any(_is_latex_fallback(node) for node in neighbours):
                logger.warning("raw HTML block without a PDF fallback: put an ```{only} latex``` "
                               "block next to it with what the PDF should show", location=raw)


def _in_cell_output(node):
    while node is not None:
        if isinstance(node, nodes.container) and "cell_output" in node.get("classes", []):
            return True
        node = node.parent
    return False


class FitOutputMath(_LatexOnly):
    """Typeset each equation a cell printed with ``\\bpfitmath``, which shrinks it to the line.

    SymPy prints expressions as long as they are; in HTML a long one scrolls, on paper it would
    run off the page. The macro (preamble) scales an equation wider than the line down to it and
    says so in the log ("bpfitmath: ..."). Equations of the prose are left alone: the log's
    overfull boxes point at those.
    """

    default_priority = 800

    def apply_latex(self):
        for block in list(self.document.findall(nodes.math_block)):
            text = block.astext().strip()
            if block.get("label") or block.get("nowrap") or "\n\n" in text or not _in_cell_output(block):
                continue
            block.replace_self(nodes.raw("", "\\bpfitmath{%s}\n" % text, format="latex"))


def _is_empty(node):
    """True for a node that typesets nothing: labels, index entries, emptied containers."""
    if isinstance(node, (nodes.target, addnodes.index, nodes.comment)):
        return True
    if type(node).__name__ == "HiddenCellNode":  # sphinx-jupyterbook-latex: never rendered
        return True
    if isinstance(node, nodes.container):  # e.g. the bibliography's, after the move
        return all(_is_empty(child) for child in node.children)
    return False


def _is_empty_chapter(section):
    return all(isinstance(child, nodes.title) or _is_empty(child) for child in section.children)


class DropEmptyChapters(_LatexOnly):
    """Remove a document's top section when nothing but its title is left in it."""

    default_priority = 800  # after the bibliography has been gathered at the end (700, 750)

    def apply_latex(self):
        for start in list(self.document.findall(addnodes.start_of_file)):
            for section in [c for c in start.children if isinstance(c, nodes.section)]:
                if _is_empty_chapter(section):
                    # Keep the labels: a reference to the page still resolves.
                    section.replace_self(nodes.target("", "", ids=list(section["ids"])))


def setup(app):
    app.add_post_transform(ShowHiddenCells)
    app.add_post_transform(FitLongTables)
    app.add_post_transform(ShrinkWideTables)
    app.add_post_transform(CheckHtmlFallback)
    app.add_post_transform(FitOutputMath)
    app.add_post_transform(DropEmptyChapters)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
