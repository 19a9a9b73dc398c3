"""Theme settings that keep every page free of dead links and console errors.

Repository buttons. 
The buttons of the book theme all point into a source repository. A button that leads nowhere
is a broken link, so they are off unless one setting names the repository:

    BOOK_REPOSITORY_URL=https://github.com/<owner>/<repo> make book

turns on the repository, issues, edit-this-page and launch (Binder, Colab) buttons, all built
from that URL. Without it the rendered book links only to its own pages.

Colour mode. The theme's start-up script reads ``default_mode`` and logs "Got invalid theme
mode" when it is empty, which it is unless set: it is set to "auto" (follow the reader's
system setting).

Live code. The book has no live-code (Thebe) button, but ``sphinx-thebe``, which Jupyter
Book always loads, adds its configuration script to every page twice, and the second copy
throws "Identifier 'THEBE_JS_URL' has already been declared". Its scripts are removed from
the pages.

Wide tables. The notation page and the benchmark table have more columns than the text is wide;
on those pages the right-hand "Contents" sidebar is left out so that the table gets its width
(``WIDE_PAGES``), and tables everywhere use a slightly smaller type (static/book.css).
"""
import os
import re
from pathlib import Path

ENV = "BOOK_REPOSITORY_URL"
STATIC = Path(__file__).resolve().parent / "static"
WIDE_PAGES = ("book/notation", "book/part3/performance")


def _configure(app, config):
    url = os.environ.get(ENV, "").strip().rstrip("/")
    options = config.html_theme_options
    config.html_context.setdefault("default_mode", "auto")
    if "secondary_sidebar_items" not in options:
        options["secondary_sidebar_items"] = {"**": ["page-toc.html"], **{page: [] for page in WIDE_PAGES}}
    for key in ("repository_url", "use_repository_button", "use_issues_button",
                "use_edit_page_button", "launch_buttons"):
        options.pop(key, None)
    if not url:
        return
    if not url.startswith("https://"):
        raise ValueError(f"{ENV} must be an https:// URL of the book's repository, got {url!r}")
    options.update(
        repository_url=url,
        use_repository_button=True,
        use_issues_button=True,
        use_edit_page_button=True,
        launch_buttons={
            "notebook_interface": "jupyterlab",
            "binderhub_url": "https://mybinder.org",
            "colab_url": "https://colab.research.google.com",
        },
    )


THEBE_CONFIG = re.compile(r'\s*<script type="text/x-thebe-config">.*?</script>', re.S)


def _drop_thebe(app, pagename, templatename, context, doctree):
    """Remove sphinx-thebe's scripts, style sheet and configuration block from a page."""
    def keep(asset):
        name = getattr(asset, "filename", None) or ""
        body = (getattr(asset, "attributes", None) or {}).get("body") or ""
        return "thebe" not in name and "THEBE_JS_URL" not in body

    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [asset for asset in context[key] if keep(asset)]
    if "body" in context:
        context["body"] = THEBE_CONFIG.sub("", context["body"])


def _add_style(app, config):
    """The book's style sheet (static/book.css) on every page."""
    if str(STATIC) not in config.html_static_path:
        config.html_static_path.append(str(STATIC))
    app.add_css_file("book.css")


def setup(app):
    app.connect("config-inited", _configure)
    app.connect("config-inited", _add_style)
    app.connect("html-page-context", _drop_thebe)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
