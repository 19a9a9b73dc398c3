"""The book's editions: a link to the same page in the other language on every page.

The English edition is the site's root, the Chinese one lives beside it (``_build/html/zh``,
built by ``make book``; scripts/i18n.py). ``book_editions`` in _config.yml names them::

    book_editions:
      en: {path: ".", label: English}
      zh_CN: {path: zh, label: 中文}

Each page of the edition being built gets, in its header next to the theme's buttons, a link
to the page of the same name in every other edition (a relative link: it works from file://,
with no server), and a ``<link rel="alternate" hreflang=...>`` for each. The book's title in
the header and the browser tab is translated with the root page's catalog, whose first heading
is the title.
"""
from __future__ import annotations

import os
import posixpath
from pathlib import Path

from sphinx.locale import init as init_locale
from sphinx.util.i18n import docname_to_domain

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"
COMPONENT = "language-switch.html"


def hreflang(language: str) -> str:
    """The HTML language tag of a Sphinx language (``zh_CN`` -> ``zh-CN``)."""
    return language.replace("_", "-")


def other_editions(editions: dict, language: str, page_uri: str) -> list[dict]:
    """The links from a page (its URI relative to its edition's root) to the same page elsewhere.

    >>> other_editions({"en": {"path": ".", "label": "English"}, "zh_CN": {"path": "zh", "label": "中文"}},
    ...                "zh_CN", "book/part1/losses.html")[0]["url"]
    '../../../book/part1/losses.html'
    """
    if language not in editions:
        raise ValueError(f"book_editions has no edition for the language {language!r} being built "
                         f"(it has {sorted(editions)})")
    here = editions[language]["path"]
    to_root = "../" * page_uri.count("/")
    links = []
    for other, edition in editions.items():
        if other == language:
            continue
        there = posixpath.relpath(edition["path"], here)
        url = posixpath.normpath(posixpath.join(to_root or ".", there, page_uri))
        links.append({"url": url, "label": edition["label"], "lang": hreflang(other)})
    return links


def _configure(app, config):
    if not config.book_editions:
        return
    if str(TEMPLATES) not in config.templates_path:
        config.templates_path.append(str(TEMPLATES))
    if str(STATIC) not in config.html_static_path:
        config.html_static_path.append(str(STATIC))
    app.add_css_file("editions.css")
    options = config.html_theme_options
    end = list(options.get("article_header_end") or ["article-header-buttons.html"])
    if COMPONENT not in end:
        options["article_header_end"] = [COMPONENT, *end]


def _translated_title(app) -> str | None:
    """The book's title in the edition's language, from the root page's catalog (None if untranslated)."""
    if not app.config.language or app.config.language == "en":
        return None
    dirs = [os.path.join(app.srcdir, folder) for folder in app.config.locale_dirs]
    domain = docname_to_domain(app.config.root_doc, app.config.gettext_compact)
    catalog, found = init_locale(dirs, app.config.language, domain)
    title = app.config.html_title
    return catalog.gettext(title) if found and title else None


def _page_context(app, pagename, templatename, context, doctree):
    if not app.config.book_editions or app.builder.format != "html":
        return
    links = other_editions(app.config.book_editions, app.config.language or "en",
                           app.builder.get_target_uri(pagename))
    context["language_switch"] = links
    context["metatags"] = context.get("metatags", "") + "".join(
        f'\n<link rel="alternate" hreflang="{link["lang"]}" href="{link["url"]}" />' for link in links)
    title = _translated_title(app)
    if title:
        context["docstitle"] = title


def setup(app):
    app.add_config_value("book_editions", {}, "html", types=[dict])
    app.connect("config-inited", _configure)
    app.connect("html-page-context", _page_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
