"""What the Chinese edition translates: the messages of the gettext catalogs (locales/).

Sphinx's internationalisation works on the doctree: ``make gettext`` extracts every translatable
text node (a paragraph, heading, list item, table cell, admonition title, caption) as one
message, keyed by its MyST source, and the Chinese build replaces each node by its translation,
parsed again as MyST (MyST-NB 1.4 parses a translated message of a notebook as MyST Markdown,
not as a notebook: the fix of executablebooks/MyST-NB#587). This extension decides which nodes
are messages, identically for the extraction and for the Chinese build:

- not a message: display math (``$$...$$``, ``{math}`` and every equation a cell printed):
  math is the same in both editions, it comes from the same cells;
- not a message: a node inside a cell's output, except Markdown that a cell printed (the errata
  index's table, whose words are translated); stored text, LaTeX and HTML outputs are the
  English edition's own;
- not a message: the API reference's docstrings (autodoc), which are part of bplib's code, like
  its comments, and stay English; the API page's own prose is translated;
- not a message: text with nothing to translate, no Latin letter outside math, inline code and
  role targets (an erratum id "000-1", a lone ``$P$``, a glued number, a name like "h1").

Code cells and stream outputs are literal blocks, which Sphinx never extracts (the book leaves
``gettext_additional_targets`` empty).
"""
from __future__ import annotations

import os
import re
from types import SimpleNamespace

from docutils import nodes
from myst_nb.ext.glue.crossref import read_glue_cache
from myst_nb.sphinx_ import Parser as NotebookParser
from myst_parser.parsers.sphinx_ import MystParser
from sphinx import addnodes
from sphinx.locale import init as init_locale
from sphinx.transforms import SphinxTransform
from sphinx.util.i18n import docname_to_domain

# Markup whose content is never translated: math, inline code, a role's target, a link's URL.
_MARKUP = re.compile(
    r"\$\$.+?\$\$|\$[^$]+\$"           # math
    r"|`[^`]*`"                          # inline code and role contents
    r"|\{[\w:.-]+\}"                     # role names
    r"|\]\([^)]*\)"                      # link targets
)
_WORD = re.compile(r"[A-Za-z]{2,}")


def has_words(message: str) -> bool:
    """Whether a message has prose to translate: a Latin word outside math, code and link targets.

    A word is two letters or more: "i1" or "w5" in a table of names is not one.

    A role's text counts (``{ref}`read <erratum-000-1>``` has "read"), its target does not.
    """
    def keep_role_text(match):
        text = match.group(0)
        if text.startswith("`") and "<" in text:      # `title <target>`: keep the title
            return text[1:].split("<", 1)[0]
        return " "

    return bool(_WORD.search(_MARKUP.sub(keep_role_text, message)))


def _in_output(node: nodes.Node) -> bool:
    """Whether the node is inside a cell's output, other than Markdown the cell printed."""
    for parent in _ancestors(node):
        if parent.get("mime_type") == "text/markdown":
            return False
        if "cell_output" in parent.get("classes", ()):
            return True
    return False


def _from_docstring(node: nodes.Node) -> bool:
    """Whether the node comes from a Python docstring (autodoc) rather than from a page."""
    if ":docstring of " in (node.source or ""):
        return True
    return any(isinstance(parent, addnodes.desc) for parent in _ancestors(node))


def _ancestors(node):
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


class SelectMessages(SphinxTransform):
    """Mark the text nodes that are not messages (see the module docstring) as not translatable.

    Runs before Sphinx extracts or replaces messages (its Locale transform has priority 20).
    """

    default_priority = 15

    def apply(self, **kwargs):
        for node in self.document.findall(nodes.TextElement):
            if isinstance(node, nodes.Inline) and "translatable" not in node:
                continue  # only an inline node marked translatable is a message (docfields)
            if isinstance(node, nodes.math_block) or _in_output(node) or _from_docstring(node):
                node["translatable"] = False
            elif not isinstance(node, nodes.FixedTextElement):
                message = (node.rawsource or node.astext()).replace("\n", " ").strip()
                if not has_words(message):
                    node["translatable"] = False


class TranslateToctreeCaptions(SphinxTransform):
    """Translate the captions of the toctrees that sphinx-external-toc inserts from _toc.yml.

    The part titles of the sidebar ("Part I: ...") are captions of the root page's toctrees.
    Sphinx extracts them into that page's catalog, but sphinx-external-toc inserts the toctrees
    (transform priority 100) after Sphinx has translated the page (priority 20), so they are
    translated here, from the same catalog. A toctree without a caption gets no ``rawcaption``,
    which Sphinx would extract as an empty message (the catalog's header).
    """

    default_priority = 110

    def apply(self, **kwargs):
        catalog = None
        for toctree in self.document.findall(addnodes.toctree):
            caption = toctree.get("rawcaption")
            if not caption:
                toctree.attributes.pop("rawcaption", None)
                continue
            if catalog is None:
                dirs = [os.path.join(self.env.srcdir, d) for d in self.config.locale_dirs]
                domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
                catalog, _ = init_locale(dirs, self.config.language, domain)
            toctree["caption"] = catalog.gettext(caption)


class Parser(NotebookParser):
    """MyST-NB's parser, which also reads glued values in a translated message of a notebook.

    Sphinx parses each translated message with the page's parser; MyST-NB (since 1.4) parses a
    translated message as MyST Markdown, but its glue roles then find no glued values: they
    read them from the notebook being rendered, which a message is not. Here a translated
    message of a notebook gets the values the notebook glued (MyST-NB's glue cache of the
    page, written when the page was parsed), so ``{glue:text}`name:.3f``` in a Chinese
    message shows the same number as in the English page.
    """

    def parse(self, inputstring, document):
        if not document.current_source.endswith("<translated>"):
            return super().parse(inputstring, document)
        env = document.settings.env
        glue_data = read_glue_cache(env.mystnb_config.output_folder, env.docname)
        # what the glue roles read from a notebook's renderer (myst_nb.ext.glue.utils)
        document["nb_renderer"] = SimpleNamespace(renderer=SimpleNamespace(
            nb_client=SimpleNamespace(glue_data=glue_data)))
        try:
            MystParser.parse(self, inputstring, document)
        finally:
            document.attributes.pop("nb_renderer", None)


def setup(app):
    app.setup_extension("myst_nb")
    app.add_source_parser(Parser, override=True)
    app.add_transform(SelectMessages)
    app.add_transform(TranslateToctreeCaptions)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
